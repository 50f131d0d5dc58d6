//! The process models: what the plant does between two rule firings.
//!
//! Each model owns the facts it writes; it reads actuator facts (pumps, valves, jackets,
//! statuses set by rules) instead of overwriting them.

pub mod amr;
pub mod fermentation;
pub mod grid;
pub mod lauter;
pub mod packaging;

/// Stationary distribution of a Markov chain in which the states flagged in `dwell` cannot be
/// left before `min_dwell` ticks: the chain over (state, ticks in state) is iterated to
/// convergence and summed per state.
pub fn stationary_with_dwell<const N: usize>(
    transitions: &[[f64; N]; N],
    dwell: &[bool; N],
    min_dwell: u32,
) -> [f64; N] {
    let slots = min_dwell as usize + 1;
    let slot = |state: usize, ticks: usize| state * slots + ticks;
    let mut pi = vec![0.0; N * slots];
    pi[slot(0, 0)] = 1.0;
    for _ in 0..5_000 {
        let mut next = vec![0.0; pi.len()];
        for s in 0..N {
            for d in 0..slots {
                let mass = pi[slot(s, d)];
                if mass == 0.0 {
                    continue;
                }
                let held = dwell[s] && (d as u32) < min_dwell;
                let stay = slot(s, (d + 1).min(slots - 1));
                for (t, p) in transitions[s].iter().enumerate() {
                    if t == s || held {
                        next[stay] += mass * p;
                    } else {
                        next[slot(t, 0)] += mass * p;
                    }
                }
            }
        }
        pi = next;
    }
    let mut marginal = [0.0; N];
    for (s, m) in marginal.iter_mut().enumerate() {
        *m = (0..slots).map(|d| pi[slot(s, d)]).sum();
    }
    marginal
}
