//! The target-shooting workload, shared by the criterion bench and the wasm runner.
//!
//! The range has `n` lanes. Each lane has an apple (its colour, green or red, and whether it
//! is in range) and an archer (whether the bow is loaded, and a hit count). One rule per lane
//! is an AND of three premises: the apple is red, the apple is in range, the archer is loaded.
//! Its action counts a hit and replaces the shot apple with a green one.
//!
//! Each iteration paints a volley of `p` % of the apples red, a different volley every time.
//! Every painted apple is shot in the same iteration and turns green again, so each iteration
//! changes the same number of facts, fires `n * p / 100` rules and leaves the range as it found
//! it. The implementations below all run exactly this, so their costs can be compared:
//!
//! * [`EngineRange`]: the notification engine, one batch of writes per iteration;
//! * [`RetestRange`]: plain vectors, every rule re-tested on every iteration, its most
//!   selective premise (the apple is red) first, so that a green apple ends the test;
//! * [`RetestAllRange`]: the same, with the premises tested in the order archer loaded, apple
//!   in range, apple red, as a loop that does not order premises by selectivity would: the
//!   first two hold for almost every rule, so all three are read;
//! * [`HandWrittenRange`]: plain vectors, only the painted apples' rules tested, written
//!   straight-line: the lower bound any notification scheme can reach.

use pon_core::spec::{all, fact, FactSpec, FbeSpec, RuleSpec, Step};
use pon_core::{Engine, FactId, Program, RuleSetSpec, Value};

/// The colour domain of an apple fact.
const COLOURS: [&str; 2] = ["green", "red"];

/// Seed of the shuffle that orders the volleys; fixed so that every run paints the same apples.
const VOLLEY_SEED: u64 = 0x9e37_79b9_7f4a_7c15;

fn colour_fact(lane: usize) -> String {
    format!("apple_{lane}_colour")
}

fn hits_fact(lane: usize) -> String {
    format!("archer_{lane}_hits")
}

/// The rule set of a range of `n` lanes: four facts, one FBE and one rule per lane.
pub fn rule_set(n: usize) -> RuleSetSpec {
    let mut spec = RuleSetSpec::new();
    for lane in 0..n {
        let colour = colour_fact(lane);
        let in_range = format!("apple_{lane}_in_range");
        let loaded = format!("archer_{lane}_loaded");
        let hits = hits_fact(lane);
        spec.fact(FactSpec::symbol(&colour, &COLOURS, "green"))
            .fact(FactSpec::bool(&in_range, true))
            .fact(FactSpec::bool(&loaded, true))
            .fact(FactSpec::int(&hits, 0));
        let lane_fbe = format!("Lane_{lane}");
        spec.fbe(
            FbeSpec::new(&lane_fbe)
                .facts([colour.as_str(), &in_range, &loaded, &hits])
                .method(
                    "shoot",
                    [Step::add(&hits, 1, None, None), Step::set(&colour, "green")],
                ),
        );
        let when = all([
            fact(&colour).eq("red"),
            fact(&in_range).eq(true),
            fact(&loaded).eq(true),
        ]);
        spec.rule(
            RuleSpec::new(&format!("R_shoot_{lane}"), when).then([&*format!("{lane_fbe}.shoot")]),
        );
    }
    spec
}

/// The compiled rule set of a range of `n` lanes.
pub fn program(n: usize) -> Program {
    rule_set(n)
        .compile()
        .expect("the target-shooting rule set compiles")
}

/// The colour fact of every lane of `program`, by lane.
pub fn colour_facts(program: &Program) -> Vec<FactId> {
    lane_facts(program, colour_fact)
}

/// The hit-count fact of every lane of `program`, by lane.
pub fn hits_facts(program: &Program) -> Vec<FactId> {
    lane_facts(program, hits_fact)
}

/// The sum of hit counts read from fact values.
pub fn total_hits<'a>(values: impl Iterator<Item = &'a Value>) -> u64 {
    values
        .map(|v| v.as_i64().expect("hit counts are integers") as u64)
        .sum()
}

fn lane_facts(program: &Program, name: fn(usize) -> String) -> Vec<FactId> {
    (0..program.rules.len())
        .map(|lane| {
            program
                .fact_id(&name(lane))
                .expect("every lane declares its facts")
        })
        .collect()
}

/// The lanes painted red in each iteration: successive windows of one fixed shuffle of all
/// lanes, so that consecutive volleys differ and, over `n / volley` iterations, every apple is
/// painted once.
#[derive(Clone, Debug)]
pub struct Volleys {
    order: Vec<u32>,
    size: usize,
    next: usize,
}

impl Volleys {
    /// Volleys of `percent` % of `n` lanes. `n * percent / 100` must divide `n`.
    pub fn new(n: usize, percent: usize) -> Volleys {
        let size = n * percent / 100;
        assert!(
            size > 0 && n.is_multiple_of(size),
            "a volley of {percent} % of {n} lanes must be a whole divisor of {n}"
        );
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut state = VOLLEY_SEED;
        for i in (1..n).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        Volleys {
            order,
            size,
            next: 0,
        }
    }

    /// Apples painted per iteration, which is also the number of rules that fire.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The lanes of the next volley.
    pub fn next_volley(&mut self) -> &[u32] {
        let start = self.next;
        self.next = (start + self.size) % self.order.len();
        &self.order[start..start + self.size]
    }
}

/// The range run by the notification engine.
pub struct EngineRange {
    engine: Engine,
    colours: Vec<FactId>,
    hits: Vec<FactId>,
    red: Value,
}

impl EngineRange {
    /// A range of `n` lanes, with firing explanations off.
    pub fn new(n: usize) -> EngineRange {
        let mut engine = Engine::new(program(n));
        engine.set_explain(false);
        let colours = colour_facts(engine.program());
        let hits = hits_facts(engine.program());
        EngineRange {
            engine,
            colours,
            hits,
            red: Value::symbol("red"),
        }
    }

    /// Paints the volley red in one batch and propagates; returns the number of firings.
    pub fn iterate(&mut self, volley: &[u32]) -> usize {
        let writes = volley
            .iter()
            .map(|&lane| (self.colours[lane as usize], self.red.clone()));
        let report = self
            .engine
            .apply(writes)
            .expect("the target-shooting cascade settles");
        report.firings as usize
    }

    /// Hits summed over all archers.
    pub fn total_hits(&self) -> u64 {
        total_hits(self.hits.iter().map(|&fact| self.engine.value(fact)))
    }
}

/// The colour of an apple in the plain-vector implementations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Colour {
    Green,
    Red,
}

/// Facts of every lane as plain vectors, one per fact kind.
#[derive(Clone, Debug)]
struct Lanes {
    colour: Vec<Colour>,
    in_range: Vec<bool>,
    loaded: Vec<bool>,
    hits: Vec<u64>,
}

impl Lanes {
    fn new(n: usize) -> Lanes {
        Lanes {
            colour: vec![Colour::Green; n],
            in_range: vec![true; n],
            loaded: vec![true; n],
            hits: vec![0; n],
        }
    }
}

/// The range as plain vectors, with every rule re-tested on every iteration.
#[derive(Clone, Debug)]
pub struct RetestRange {
    lanes: Lanes,
}

impl RetestRange {
    /// A range of `n` lanes.
    pub fn new(n: usize) -> RetestRange {
        RetestRange {
            lanes: Lanes::new(n),
        }
    }

    /// Paints the volley red, then tests the three conditions of every lane's rule and fires
    /// those that hold; returns the number of firings. One pass reaches the fixed point: a
    /// firing only turns its own rule false.
    pub fn iterate(&mut self, volley: &[u32]) -> usize {
        let lanes = &mut self.lanes;
        for &lane in volley {
            lanes.colour[lane as usize] = Colour::Red;
        }

        let mut firings = 0;
        let rules = lanes
            .colour
            .iter_mut()
            .zip(&lanes.in_range)
            .zip(&lanes.loaded)
            .zip(&mut lanes.hits);
        for (((colour, &in_range), &loaded), hits) in rules {
            if *colour == Colour::Red && in_range && loaded {
                *hits += 1;
                *colour = Colour::Green;
                firings += 1;
            }
        }
        firings
    }

    /// Hits summed over all archers.
    pub fn total_hits(&self) -> u64 {
        self.lanes.hits.iter().sum()
    }
}

/// The range as plain vectors, with every rule re-tested on every iteration and its premises
/// tested in an order that does not favour the selective one.
#[derive(Clone, Debug)]
pub struct RetestAllRange {
    lanes: Lanes,
}

impl RetestAllRange {
    /// A range of `n` lanes.
    pub fn new(n: usize) -> RetestAllRange {
        RetestAllRange {
            lanes: Lanes::new(n),
        }
    }

    /// Paints the volley red, then tests whether each lane's archer is loaded, its apple in
    /// range and red, and fires the rules that hold; returns the number of firings.
    pub fn iterate(&mut self, volley: &[u32]) -> usize {
        let lanes = &mut self.lanes;
        for &lane in volley {
            lanes.colour[lane as usize] = Colour::Red;
        }

        let mut firings = 0;
        let rules = lanes
            .loaded
            .iter()
            .zip(&lanes.in_range)
            .zip(&mut lanes.colour)
            .zip(&mut lanes.hits);
        for (((&loaded, &in_range), colour), hits) in rules {
            if loaded && in_range && *colour == Colour::Red {
                *hits += 1;
                *colour = Colour::Green;
                firings += 1;
            }
        }
        firings
    }

    /// Hits summed over all archers.
    pub fn total_hits(&self) -> u64 {
        self.lanes.hits.iter().sum()
    }
}

/// The range as plain vectors, where painting an apple tests only that apple's rule.
#[derive(Clone, Debug)]
pub struct HandWrittenRange {
    lanes: Lanes,
}

impl HandWrittenRange {
    /// A range of `n` lanes.
    pub fn new(n: usize) -> HandWrittenRange {
        HandWrittenRange {
            lanes: Lanes::new(n),
        }
    }

    /// Paints the volley red, testing each painted lane's rule right away; returns the number
    /// of firings.
    pub fn iterate(&mut self, volley: &[u32]) -> usize {
        let lanes = &mut self.lanes;
        let mut firings = 0;
        for &lane in volley {
            let lane = lane as usize;
            if lanes.colour[lane] == Colour::Red {
                continue;
            }
            lanes.colour[lane] = Colour::Red;
            if lanes.in_range[lane] && lanes.loaded[lane] {
                lanes.hits[lane] += 1;
                lanes.colour[lane] = Colour::Green;
                firings += 1;
            }
        }
        firings
    }

    /// Hits summed over all archers.
    pub fn total_hits(&self) -> u64 {
        self.lanes.hits.iter().sum()
    }
}
