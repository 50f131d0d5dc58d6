//! The console's reactive state: one signal per fact and per displayed figure, so that a change
//! patches only the elements that show it.
//!
//! The store is written only by [`crate::driver`], at most once per animation frame; components
//! only read it.

use std::sync::Arc;

use leptos::prelude::*;
use twin::catalog::{FACTS, FBES};
use twin::oee::OeeBreakdown;
use twin::rules::RULES;

use crate::event_log::LogLine;
use crate::settings::RunSettings;

/// What the console is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// Nothing runs; the plant shows its last state.
    Ready,
    /// The brew day is running.
    Scripted,
    /// The Monte Carlo loop is running.
    MonteCarlo,
    /// Replaying the run to a given tick.
    Replaying(u64),
}

impl RunState {
    /// The badge text.
    pub fn label(self) -> &'static str {
        match self {
            RunState::Ready => "Ready",
            RunState::Scripted => "Scripted run",
            RunState::MonteCarlo => "Monte Carlo",
            RunState::Replaying(_) => "Replaying",
        }
    }

    /// Whether ticks are being run.
    pub fn is_running(self) -> bool {
        self != RunState::Ready
    }
}

/// Status of a piece of equipment, for its tile's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing to report.
    Normal,
    /// Working in an expected but notable mode (chilling paused, cleaning).
    Active,
    /// Abnormal: needs attention.
    Warning,
    /// Abnormal: needs action now.
    Critical,
}

impl Status {
    /// CSS class suffix.
    pub fn name(self) -> &'static str {
        match self {
            Status::Normal => "normal",
            Status::Active => "active",
            Status::Warning => "warning",
            Status::Critical => "critical",
        }
    }
}

/// What an FBE tile shows.
#[derive(Clone, Copy, Debug)]
pub struct TileSignals {
    /// Key fact with its unit.
    pub value: RwSignal<String>,
    /// Change of the key fact at its last change.
    pub delta: RwSignal<Option<String>>,
    /// Sparkline points of the key fact.
    pub spark: RwSignal<String>,
    /// Facts of the FBE currently outside their control band.
    pub anomalies: RwSignal<Vec<&'static str>>,
    /// Whether a rule acted on the FBE in the last 1.2 s.
    pub flash: RwSignal<bool>,
    /// Status.
    pub status: RwSignal<Status>,
}

/// The last firing of a rule, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct LastFiring {
    /// Plant time of the firing.
    pub when: String,
    /// The change that reached the rule.
    pub trigger: String,
    /// Premises as `text = value ✓/✗`.
    pub premises: Vec<(String, bool)>,
    /// Notes of its methods.
    pub notes: Vec<String>,
}

/// What a rule card shows.
#[derive(Clone, Copy, Debug)]
pub struct RuleSignals {
    /// Firings since the run began.
    pub count: RwSignal<u64>,
    /// Its last firing.
    pub last: RwSignal<Option<LastFiring>>,
    /// Whether it fired in the last second (diagrams light it up).
    pub lit: RwSignal<bool>,
}

/// The reactive state of the page.
#[derive(Clone, Debug)]
pub struct Store {
    /// Settings that reproduce the run.
    pub settings: RwSignal<RunSettings>,
    /// What runs.
    pub run: RwSignal<RunState>,
    /// Ticks run.
    pub tick: RwSignal<u64>,
    /// Plant minute.
    pub minute: RwSignal<u64>,
    /// Ticks per second over the last second.
    pub rate: RwSignal<f64>,
    /// OEE rated from the current state, fractions.
    pub oee: RwSignal<OeeBreakdown>,
    /// Time-based OEE of the current shift, fractions.
    pub shift_oee: RwSignal<OeeBreakdown>,
    /// The grid fault flag.
    pub grid_fault: RwSignal<bool>,
    /// Display text of each fact, by id.
    pub facts: Arc<[RwSignal<String>]>,
    /// FBE tiles, by FBE index.
    pub tiles: Arc<[TileSignals]>,
    /// Rule cards, by rule index.
    pub rules: Arc<[RuleSignals]>,
    /// Whether each premise of the engine holds, by premise id.
    pub premises: Arc<[RwSignal<bool>]>,
    /// Whether each condition of the engine holds, by condition id.
    pub conditions: Arc<[RwSignal<bool>]>,
    /// Event log lines, newest first.
    pub log: RwSignal<Vec<LogLine>>,
    /// The FBE whose detail page is open, which alone receives [`Store::history`].
    pub focus: RwSignal<Option<usize>>,
    /// Recent history of each numeric fact of the focused FBE, by fact id.
    pub history: Arc<[RwSignal<crate::format::History>]>,
    /// Plain-language notices (bad link values, replay results).
    pub notices: RwSignal<Vec<String>>,
    /// The last link made by Copy link.
    pub link: RwSignal<Option<String>>,
}

impl Store {
    /// A store showing the plant's initial state.
    pub fn new(settings: RunSettings, notices: Vec<String>) -> Store {
        let initial = twin::rules::rule_set()
            .compile()
            .expect("the plant's rule set is valid");
        let facts: Arc<[RwSignal<String>]> = initial
            .facts
            .iter()
            .map(|f| RwSignal::new(crate::format::value(&f.initial)))
            .collect();
        let tiles = FBES
            .iter()
            .map(|fbe| {
                let key = &initial.facts[fbe.key_fact.index()];
                TileSignals {
                    value: RwSignal::new(crate::format::with_unit(
                        &key.initial,
                        FACTS[fbe.key_fact.index()].unit,
                    )),
                    delta: RwSignal::new(None),
                    spark: RwSignal::new(String::new()),
                    anomalies: RwSignal::new(Vec::new()),
                    flash: RwSignal::new(false),
                    status: RwSignal::new(Status::Normal),
                }
            })
            .collect();
        let rules = RULES
            .iter()
            .map(|_| RuleSignals {
                count: RwSignal::new(0),
                last: RwSignal::new(None),
                lit: RwSignal::new(false),
            })
            .collect();
        let engine = pon_core::Engine::new(initial.clone());
        let premises = (0..initial.premises.len())
            .map(|p| RwSignal::new(engine.premise_holds(pon_core::PremiseId(p as u32))))
            .collect();
        let conditions = (0..initial.conditions.len())
            .map(|c| RwSignal::new(engine.condition_holds(pon_core::ConditionId(c as u32))))
            .collect();
        Store {
            settings: RwSignal::new(settings),
            run: RwSignal::new(RunState::Ready),
            tick: RwSignal::new(0),
            minute: RwSignal::new(0),
            rate: RwSignal::new(0.0),
            oee: RwSignal::new(OeeBreakdown::default()),
            shift_oee: RwSignal::new(OeeBreakdown::default()),
            grid_fault: RwSignal::new(false),
            facts,
            tiles,
            rules,
            premises,
            conditions,
            log: RwSignal::new(Vec::new()),
            focus: RwSignal::new(None),
            history: FACTS
                .iter()
                .map(|_| RwSignal::new(crate::format::History::default()))
                .collect(),
            notices: RwSignal::new(notices),
            link: RwSignal::new(None),
        }
    }
}
