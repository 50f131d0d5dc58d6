//! The running twin: the engine with the plant's rule set, the process models, the clock, and
//! the two scenarios (the scripted brew day and the hybrid Monte Carlo loop).
//!
//! One tick advances the plant clock by a configurable amount of plant time (6 minutes by
//! default). The models read the current facts and produce their writes; in the Monte Carlo
//! scenario a few random facts are drawn as well; all of it is applied as one batch, so each
//! fact has one writer per tick and the rules see the merged state. In the scripted scenario
//! the brew day's operator actions follow as batches of their own. OEE and the control charts
//! are then updated from the resulting state.

use pon_core::{Engine, EngineError, FactId, RuleId, Value, Writer};
use serde::{Deserialize, Serialize};

use crate::anomaly::{AnomalyMode, ControlChart};
use crate::brew_day::{self, ScriptAction, ScriptStep};
use crate::catalog::{self, FactKind, FACTS};
use crate::models::amr::Robot;
use crate::models::fermentation::{Fermenter, FERMENTER_A, FERMENTER_B};
use crate::models::grid;
use crate::models::lauter::{self, LauterBed};
use crate::models::packaging::BottlingLine;
use crate::oee::{self, OeeBreakdown, OeeMode, ShiftOee};
use crate::random::{round_to, Random};
use crate::rules;

/// Which run the twin performs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// The scripted brew day: one plant day with operator actions that exercise every rule.
    Scripted,
    /// Process models plus random draws of a few facts per tick, without end.
    #[default]
    MonteCarlo,
}

impl Scenario {
    /// The scenario's name in URLs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Scripted => "scripted",
            Scenario::MonteCarlo => "monte-carlo",
        }
    }

    /// The scenario called `name`.
    pub fn from_name(name: &str) -> Option<Scenario> {
        match name {
            "scripted" => Some(Scenario::Scripted),
            "monte-carlo" | "montecarlo" | "monte_carlo" => Some(Scenario::MonteCarlo),
            _ => None,
        }
    }
}

/// Settings of a run. Two twins with the same configuration produce the same run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TwinConfig {
    /// Seed of the run's only random generator.
    pub seed: u64,
    /// Scenario.
    pub scenario: Scenario,
    /// Plant minutes per tick.
    pub minutes_per_tick: u64,
    /// Fewest random facts drawn per Monte Carlo tick.
    pub min_facts_per_tick: u32,
    /// Most random facts drawn per Monte Carlo tick.
    pub max_facts_per_tick: u32,
    /// OEE mode.
    pub oee_mode: OeeMode,
    /// Anomaly mode.
    pub anomaly_mode: AnomalyMode,
}

/// Plant minutes per tick unless configured otherwise.
pub const DEFAULT_MINUTES_PER_TICK: u64 = 6;

impl TwinConfig {
    /// The default configuration of a scenario for a seed.
    pub fn new(scenario: Scenario, seed: u64) -> TwinConfig {
        TwinConfig {
            seed,
            scenario,
            minutes_per_tick: DEFAULT_MINUTES_PER_TICK,
            min_facts_per_tick: 1,
            max_facts_per_tick: 4,
            oee_mode: OeeMode::State,
            anomaly_mode: AnomalyMode::ThreeSigma,
        }
    }
}

/// A premise as a firing rule saw it, in words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PremiseView {
    /// The premise, such as `fbe_03_pump_speed > 50`.
    pub premise: String,
    /// Whether it held.
    pub holds: bool,
    /// The fact's value.
    pub value: Value,
}

/// Something that happened during a tick, for logs and displays.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TwinEvent {
    /// A rule fired.
    Rule {
        /// Tick.
        tick: u64,
        /// Plant minute.
        minute: u64,
        /// `R_01` …
        rule: &'static str,
        /// The change that reached the rule, in words.
        trigger: String,
        /// Its premises as it saw them.
        premises: Vec<PremiseView>,
        /// Lines its methods wrote.
        notes: Vec<String>,
    },
    /// A fact left its control band.
    Anomaly {
        /// Tick.
        tick: u64,
        /// Plant minute.
        minute: u64,
        /// Fact name.
        fact: &'static str,
        /// Value.
        value: f64,
        /// Moving average.
        ema: f64,
        /// Deviation.
        sigma: f64,
    },
    /// A step of the brew day, or a message about the run.
    System {
        /// Tick.
        tick: u64,
        /// Plant minute.
        minute: u64,
        /// The message.
        message: String,
    },
}

/// A value for a sentence: floats with at most two decimals, flags as yes / no, everything
/// else as it is.
pub fn shown(value: &Value) -> String {
    match value {
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Float(x) => {
            let text = format!("{x:.2}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            if text == "-0" {
                "0".to_owned()
            } else {
                text.to_owned()
            }
        }
        other => other.to_string(),
    }
}

/// Ids of the facts the Monte Carlo loop may draw (those no model owns).
pub fn monte_carlo_candidates() -> Vec<FactId> {
    use catalog::*;
    let owned = [
        DIFF_PRESSURE,
        WORT_CLARITY,
        SPARGE_TEMP,
        RAKE_HEIGHT,
        PUMP_SPEED,
        FERM_A_TEMP,
        FERM_A_PRESSURE,
        FERM_A_BRIX,
        FERM_A_JACKET,
        FERM_A_CO2,
        FERM_A_PHASE,
        FERM_A_PH,
        FERM_B_TEMP,
        FERM_B_PRESSURE,
        FERM_B_BRIX,
        FERM_B_JACKET,
        FERM_B_CO2,
        FERM_B_PHASE,
        CONVEYOR_SPEED,
        FILL_HEAD,
        LEVEL_DETECT,
        CAPPER_JAM,
        STOP_SENSOR,
        CIP_PUMP,
        ROBOT_BATTERY,
        ROBOT_LOCATION,
        ROBOT_STATUS,
        COLLISION,
        POWER_COST,
        V2G_LEVEL,
    ];
    (0..FACTS.len() as u32)
        .map(FactId)
        .filter(|f| !owned.contains(f))
        .collect()
}

/// Facts drawn as Gaussian random walks rather than uniformly.
fn is_random_walk(fact: FactId) -> bool {
    use catalog::*;
    [
        MOTOR_TEMP,
        MASH_TEMP,
        BOIL_TEMP,
        WORT_IN_TEMP,
        WORT_OUT_TEMP,
        CIP_FLOW,
    ]
    .contains(&fact)
}

/// Measurement noise of the lauter sensors, as standard deviations.
const PRESSURE_NOISE_MBAR: f64 = 2.0;
const CLARITY_NOISE_PCT: f64 = 0.8;
/// Working height the lauter operator raises the rake back to, one point per tick.
const RAKE_WORKING_HEIGHT: i64 = 50;
/// Pump speed the lauter operator restarts at once the mash is ready again.
const PUMP_RESTART_PCT: f64 = 40.0;

/// The twin.
#[derive(Clone, Debug)]
pub struct Twin {
    config: TwinConfig,
    engine: Engine,
    rng: Random,
    noise_factor: [[f64; 3]; 3],
    candidates: Vec<FactId>,
    bed: LauterBed,
    fermenter_a: Fermenter,
    fermenter_b: Fermenter,
    line: BottlingLine,
    robot: Robot,
    shift: ShiftOee,
    shift_oee: OeeBreakdown,
    oee: OeeBreakdown,
    charts: Vec<ControlChart>,
    sampled: Vec<Value>,
    anomaly_counts: Vec<u64>,
    script: Vec<ScriptStep>,
    script_cursor: usize,
    tick: u64,
    minute: u64,
    events: Vec<TwinEvent>,
    writes: Vec<(FactId, Value)>,
}

impl Twin {
    /// A twin at the plant's initial state.
    pub fn new(config: TwinConfig) -> Twin {
        let program = rules::rule_set()
            .compile()
            .expect("the plant's rule set is valid");
        let engine = Engine::new(program);
        let sampled = engine.values().to_vec();
        let script = match config.scenario {
            Scenario::Scripted => brew_day::steps(),
            Scenario::MonteCarlo => Vec::new(),
        };
        let mut twin = Twin {
            rng: Random::new(config.seed),
            noise_factor: lauter::cholesky(&lauter::CORRELATION)
                .expect("the lauter correlation matrix is positive definite"),
            candidates: monte_carlo_candidates(),
            bed: LauterBed::default(),
            fermenter_a: Fermenter::new(FERMENTER_A),
            fermenter_b: Fermenter::new(FERMENTER_B),
            line: BottlingLine::default(),
            robot: Robot::default(),
            shift: ShiftOee::default(),
            shift_oee: OeeBreakdown::default(),
            oee: OeeBreakdown::default(),
            charts: vec![ControlChart::default(); FACTS.len()],
            sampled,
            anomaly_counts: vec![0; FACTS.len()],
            script,
            script_cursor: 0,
            tick: 0,
            minute: 0,
            events: Vec::new(),
            writes: Vec::new(),
            engine,
            config,
        };
        twin.oee = oee::from_state(twin.engine.values());
        twin
    }

    /// The configuration.
    pub fn config(&self) -> &TwinConfig {
        &self.config
    }

    /// The engine, for values, counters and explanations.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Current fact values, by id.
    pub fn values(&self) -> &[Value] {
        self.engine.values()
    }

    /// Ticks run.
    pub fn tick(&self) -> u64 {
        self.tick
    }

    /// Plant minutes since the run began.
    pub fn minute(&self) -> u64 {
        self.minute
    }

    /// OEE after the last tick in the configured mode, as fractions.
    pub fn oee(&self) -> OeeBreakdown {
        self.oee
    }

    /// Time-based OEE of the current 8-hour shift, whatever the configured mode.
    pub fn shift_oee(&self) -> OeeBreakdown {
        self.shift_oee
    }

    /// Anomalies counted per fact, by id.
    pub fn anomaly_counts(&self) -> &[u64] {
        &self.anomaly_counts
    }

    /// Whether the fact's last sample was outside its control band.
    pub fn is_anomalous(&self, fact: FactId) -> bool {
        self.charts[fact.index()].anomalous()
    }

    /// The fact's control chart.
    pub fn chart(&self, fact: FactId) -> &ControlChart {
        &self.charts[fact.index()]
    }

    /// Firings of the rule since the run began.
    pub fn firings(&self, rule: RuleId) -> u64 {
        self.engine.rule_counters(rule).firings
    }

    /// The events of the last tick.
    pub fn events(&self) -> &[TwinEvent] {
        &self.events
    }

    /// Whether the scenario has run to its end (the brew day lasts one plant day).
    pub fn finished(&self) -> bool {
        self.config.scenario == Scenario::Scripted && self.minute >= brew_day::DAY_MINUTES
    }

    /// Ticks in a finished scripted run.
    pub fn scripted_ticks(&self) -> u64 {
        brew_day::DAY_MINUTES.div_ceil(self.config.minutes_per_tick.max(1))
    }

    /// Runs ticks until the scenario ends or `ticks` have run.
    pub fn run(&mut self, ticks: u64) {
        for _ in 0..ticks {
            if self.finished() {
                break;
            }
            self.step();
        }
    }

    /// Advances one tick and returns what happened.
    pub fn step(&mut self) -> &[TwinEvent] {
        self.events.clear();
        self.tick += 1;
        self.minute += self.config.minutes_per_tick.max(1);

        self.writes.clear();
        self.model_writes();
        if self.config.scenario == Scenario::MonteCarlo {
            self.random_writes();
        }
        let writes = std::mem::take(&mut self.writes);
        self.apply(writes.iter().cloned());
        self.writes = writes;

        while let Some(step) = self.script.get(self.script_cursor) {
            if step.minute > self.minute {
                break;
            }
            let step = step.clone();
            self.script_cursor += 1;
            self.run_script_step(&step);
        }

        self.oee = self.rate_oee();
        self.sample_charts();
        &self.events
    }

    fn rate_oee(&mut self) -> OeeBreakdown {
        let values = self.engine.values();
        self.shift_oee = self
            .shift
            .record(self.config.minutes_per_tick as f64 * 60.0, values);
        match self.config.oee_mode {
            OeeMode::State => oee::from_state(values),
            OeeMode::TimeBased => self.shift_oee,
        }
    }

    fn value(&self, fact: FactId) -> &Value {
        self.engine.value(fact)
    }

    fn float(&self, fact: FactId) -> f64 {
        self.value(fact).as_f64().unwrap_or(0.0)
    }

    fn int(&self, fact: FactId) -> i64 {
        self.value(fact).as_i64().unwrap_or(0)
    }

    fn push(&mut self, fact: FactId, value: Value) {
        self.writes.push((fact, value));
    }

    fn model_writes(&mut self) {
        use catalog::*;

        let grid = grid::step(self.minute, self.int(V2G_LEVEL), &mut self.rng);
        self.push(POWER_COST, Value::Int(grid.cost));
        self.push(V2G_LEVEL, Value::Int(grid.v2g_pct));
        self.push(
            CIP_PUMP,
            Value::symbol(if grid.cip_on { "on" } else { "off" }),
        );

        self.lauter_writes();
        self.fermenter_writes();

        let line = self.line.step(&mut self.rng);
        self.line_writes(line);

        let status = self
            .value(ROBOT_STATUS)
            .as_symbol()
            .unwrap_or("idle")
            .to_owned();
        let robot = self
            .robot
            .step(&status, self.int(ROBOT_BATTERY), &mut self.rng);
        self.push(ROBOT_STATUS, Value::symbol(robot.status));
        self.push(ROBOT_BATTERY, Value::Int(robot.battery_pct));
        self.push(COLLISION, Value::Bool(robot.collision));
        let (x, y) = robot.location;
        self.push(ROBOT_LOCATION, Value::tuple([Value::Int(x), Value::Int(y)]));
    }

    fn lauter_writes(&mut self) {
        use catalog::*;

        let pump = self.float(PUMP_SPEED);
        let rake = self.int(RAKE_HEIGHT);
        let sparge = self.float(SPARGE_TEMP);
        let reading = self.bed.step(pump, sparge, rake);
        let noise = lauter::correlated_draw(&self.noise_factor, &mut self.rng);

        let pressure = reading.diff_pressure_mbar + PRESSURE_NOISE_MBAR * noise[1];
        let clarity = reading.clarity_pct + CLARITY_NOISE_PCT * noise[2];
        self.push(
            DIFF_PRESSURE,
            Value::Float(round_to(pressure.clamp(40.0, 200.0), 1)),
        );
        self.push(
            WORT_CLARITY,
            Value::Float(round_to(clarity.clamp(5.0, 80.0), 1)),
        );

        let sparge_sigma = 0.02 * (80.0 - 70.0);
        let sparge = self.rng.normal(sparge, sparge_sigma).clamp(70.0, 80.0);
        self.push(SPARGE_TEMP, Value::Float(round_to(sparge, 1)));
        if rake < RAKE_WORKING_HEIGHT {
            self.push(RAKE_HEIGHT, Value::Int(rake + 1));
        }

        // The pump is an actuator. In the Monte Carlo scenario the operator moves it with the
        // correlated draw; after an interlock stop it is restarted only once the mash is ready.
        if self.config.scenario == Scenario::MonteCarlo {
            if pump == 0.0 {
                let ready = self.float(MASH_TEMP) >= 65.0 && self.int(MASH_LEVEL) >= 50;
                if ready {
                    self.push(PUMP_SPEED, Value::Float(PUMP_RESTART_PCT));
                }
            } else {
                let demand = lauter::to_range(noise[0], 20.0, 80.0);
                self.push(PUMP_SPEED, Value::Float(round_to(demand, 2)));
            }
        }
    }

    fn fermenter_writes(&mut self) {
        use catalog::*;

        let hours_now = self.minute / 60;
        let hours_before = (self.minute - self.config.minutes_per_tick.max(1)) / 60;
        for _ in hours_before..hours_now {
            for (is_a, jacket) in [(true, FERM_A_JACKET), (false, FERM_B_JACKET)] {
                let chilling = self.value(jacket).as_symbol() == Some("on");
                let tank = if is_a {
                    &mut self.fermenter_a
                } else {
                    &mut self.fermenter_b
                };
                let reading = tank.step_hour(chilling, &mut self.rng);
                let facts = if is_a {
                    [
                        FERM_A_PHASE,
                        FERM_A_BRIX,
                        FERM_A_TEMP,
                        FERM_A_CO2,
                        FERM_A_PRESSURE,
                        jacket,
                    ]
                } else {
                    [
                        FERM_B_PHASE,
                        FERM_B_BRIX,
                        FERM_B_TEMP,
                        FERM_B_CO2,
                        FERM_B_PRESSURE,
                        jacket,
                    ]
                };
                self.push(facts[0], Value::symbol(reading.phase.symbol()));
                self.push(facts[1], Value::Float(reading.brix));
                self.push(facts[2], Value::Float(reading.temp_c));
                self.push(facts[3], Value::Int(reading.co2_l_min));
                self.push(facts[4], Value::Int(reading.pressure_bar));
                if let Some(on) = reading.jacket_order {
                    self.push(facts[5], Value::symbol(if on { "on" } else { "off" }));
                }
                if is_a {
                    self.push(FERM_A_PH, Value::Float(reading.ph));
                }
            }
        }
    }

    fn line_writes(&mut self, line: crate::models::packaging::LineReading) {
        use catalog::*;
        self.push(CAPPER_JAM, Value::Bool(line.capper_jam));
        self.push(
            LEVEL_DETECT,
            Value::symbol(if line.level_fail { "fail" } else { "ok" }),
        );
        self.push(STOP_SENSOR, Value::Bool(line.stopped));
        self.push(
            FILL_HEAD,
            Value::symbol(if line.filling { "filling" } else { "idle" }),
        );
        if let Some(speed) = line.conveyor_pct {
            self.push(CONVEYOR_SPEED, Value::Int(speed));
        }
    }

    fn random_writes(&mut self) {
        let low = self
            .config
            .min_facts_per_tick
            .min(self.config.max_facts_per_tick);
        let high = self
            .config
            .max_facts_per_tick
            .min(self.candidates.len() as u32);
        let k = self.rng.int(i64::from(low), i64::from(high.max(low))) as usize;
        let mut pool = self.candidates.clone();
        for i in 0..k.min(pool.len()) {
            let j = i + self.rng.index(pool.len() - i);
            pool.swap(i, j);
            let fact = pool[i];
            let value = self.random_value(fact);
            self.push(fact, value);
        }
    }

    fn random_value(&mut self, fact: FactId) -> Value {
        let info = &FACTS[fact.index()];
        match info.kind {
            FactKind::Float { min, max, .. } if is_random_walk(fact) => {
                let sigma = 0.02 * (max - min);
                let next = self.rng.normal(self.float(fact), sigma).clamp(min, max);
                Value::Float(round_to(next, 2))
            }
            FactKind::Float { min, max, .. } => {
                Value::Float(round_to(min + self.rng.unit() * (max - min), 1))
            }
            FactKind::Int { min, max, .. } => Value::Int(self.rng.int(min, max)),
            FactKind::Bool { .. } => Value::Bool(self.rng.chance(0.5)),
            FactKind::Symbol { domain, .. } => Value::symbol(domain[self.rng.index(domain.len())]),
            FactKind::Pair { .. } => self.value(fact).clone(),
        }
    }

    fn run_script_step(&mut self, step: &ScriptStep) {
        self.events.push(TwinEvent::System {
            tick: self.tick,
            minute: self.minute,
            message: step.message.to_owned(),
        });
        let mut writes: Vec<(FactId, Value)> = step
            .writes
            .iter()
            .map(|(fact, value)| (*fact, value.to_value()))
            .collect();
        match step.action {
            ScriptAction::Writes => {}
            ScriptAction::RefillFermenterA => {
                self.fermenter_a.refill();
                writes.extend([
                    (catalog::FERM_A_PHASE, Value::symbol("lag")),
                    (
                        catalog::FERM_A_BRIX,
                        Value::Float(FERMENTER_A.original_brix),
                    ),
                    (catalog::FERM_A_TEMP, Value::Float(FERMENTER_A.pitch_temp_c)),
                    (catalog::FERM_A_PH, Value::Float(5.2)),
                    (catalog::FERM_A_CO2, Value::Int(0)),
                    (catalog::FERM_A_PRESSURE, Value::Int(0)),
                ]);
            }
            ScriptAction::LineBreakdown => {
                let reading = self
                    .line
                    .force(crate::models::packaging::LineState::Failure, &mut self.rng);
                self.writes.clear();
                self.line_writes(reading);
                writes.append(&mut self.writes);
            }
        }
        self.apply(writes);
    }

    fn apply(&mut self, writes: impl IntoIterator<Item = (FactId, Value)>) {
        match self.engine.apply(writes) {
            Ok(_) => {}
            Err(EngineError::Cascade { waves, rules }) => self.events.push(TwinEvent::System {
                tick: self.tick,
                minute: self.minute,
                message: format!(
                    "A rule cascade was stopped after {waves} waves ({}); the plant continues \
                     from the values written so far.",
                    rules.join(", ")
                ),
            }),
            Err(EngineError::Write(e)) => {
                panic!("the twin wrote a value its own catalogue refuses: {e}")
            }
        }
        self.record_firings();
    }

    fn record_firings(&mut self) {
        let program = self.engine.program();
        for firing in self.engine.firings() {
            let rule = rules::RULES[firing.rule.index()].id;
            let trigger = match &firing.trigger {
                Some(change) => {
                    let by = match change.writer {
                        Writer::External => "the plant".to_owned(),
                        Writer::Rule(r) => rules::RULES[r.index()].id.to_owned(),
                    };
                    format!(
                        "{} changed from {} to {} (written by {by})",
                        program.fact(change.fact).name,
                        shown(&change.old),
                        shown(&change.new)
                    )
                }
                None => "evaluated at start".to_owned(),
            };
            let premises = self
                .engine
                .explain(firing.rule)
                .map(|why| {
                    why.premises
                        .iter()
                        .map(|p| PremiseView {
                            premise: program.describe_premise(p.premise),
                            holds: p.holds,
                            value: p.left.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let notes = self
                .engine
                .notes()
                .iter()
                .filter(|n| n.rule == firing.rule)
                .map(|n| n.text.to_string())
                .collect();
            self.events.push(TwinEvent::Rule {
                tick: self.tick,
                minute: self.minute,
                rule,
                trigger,
                premises,
                notes,
            });
        }
    }

    fn sample_charts(&mut self) {
        let mode = self.config.anomaly_mode;
        for (i, value) in self.engine.values().iter().enumerate() {
            if value.same_as(&self.sampled[i]) {
                continue;
            }
            self.sampled[i] = value.clone();
            let Some(x) = value.as_f64() else { continue };
            let sample = self.charts[i].add(x, mode);
            if sample.anomaly {
                self.anomaly_counts[i] += 1;
                self.events.push(TwinEvent::Anomaly {
                    tick: self.tick,
                    minute: self.minute,
                    fact: FACTS[i].name,
                    value: x,
                    ema: sample.ema,
                    sigma: sample.sigma,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monte_carlo_draws_from_the_28_facts_no_model_owns() {
        let candidates = monte_carlo_candidates();
        assert_eq!(candidates.len(), 28);
        let names: Vec<&str> = candidates.iter().map(|f| FACTS[f.index()].name).collect();
        assert!(names.contains(&"fbe_08_ir_bottle_detect"));
        assert!(names.contains(&"fbe_11_grid_fault_detec"));
        assert!(!names.contains(&"fbe_03_pump_speed"));
        assert!(!names.contains(&"fbe_10_robot_1_battery"));
    }

    #[test]
    fn each_fact_has_at_most_one_writer_per_tick() {
        let mut twin = Twin::new(TwinConfig::new(Scenario::MonteCarlo, 3));
        for _ in 0..2_000 {
            twin.writes.clear();
            twin.minute += twin.config.minutes_per_tick;
            twin.model_writes();
            twin.random_writes();
            let mut facts: Vec<FactId> = twin.writes.iter().map(|(f, _)| *f).collect();
            let total = facts.len();
            facts.sort();
            facts.dedup();
            assert_eq!(facts.len(), total, "a fact was written twice in one tick");
            let writes = std::mem::take(&mut twin.writes);
            twin.apply(writes);
        }
    }

    #[test]
    fn a_paused_jacket_stays_paused_until_the_thermostat_calls_for_chilling() {
        let mut twin = Twin::new(TwinConfig::new(Scenario::Scripted, 1));
        twin.apply([(catalog::FERM_A_JACKET, Value::symbol("off"))]);
        let jacket = |t: &Twin| t.values()[catalog::FERM_A_JACKET.index()].clone();
        let mut switched_on = None;
        for _ in 0..600 {
            twin.step();
            if jacket(&twin) == Value::symbol("on") {
                switched_on = Some(twin.float(catalog::FERM_A_TEMP));
                break;
            }
        }
        let temp = switched_on.expect("the fermentation warms the tank past the set-point");
        // The fact shows one decimal of the model's temperature, which crossed the set-point.
        assert!(temp >= FERMENTER_A.set_point_c, "switched on at {temp} °C");
        assert!(twin.minute() > 14 * 60, "not during the lag");
    }
}
