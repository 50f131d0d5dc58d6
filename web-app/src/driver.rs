//! Runs the twin in the page and keeps the store up to date.
//!
//! One animation-frame loop does everything: it runs the ticks that are due at the chosen
//! speed, never for longer than [`TICK_BUDGET_MS`] per frame, then writes to the store only the
//! figures that changed since the last frame. Between frames the twin's output is gathered in
//! plain Rust structures (log, sparkline series, flash deadlines), not in signals.

use std::collections::VecDeque;

use leptos::prelude::*;
use pon_core::Value;
use twin::catalog::{self, FACTS, FBES};
use twin::history::History;
use twin::rules::RULES;
use twin::{Twin, TwinConfig, TwinEvent};

use crate::clock::now_ms;
use crate::event_log::{EventLog, LogKind};
use crate::format;
use crate::settings::{RunSettings, Speed};
use crate::store::{LastFiring, RunState, Status, Store};

/// Time spent running ticks in a frame at first. The budget then adapts: it shrinks when a
/// frame came late (the page missed a refresh) and grows back slowly while frames are on time,
/// between [`MIN_TICK_BUDGET_MS`] and [`MAX_TICK_BUDGET_MS`].
pub const TICK_BUDGET_MS: f64 = 6.0;
/// Smallest tick budget per frame.
pub const MIN_TICK_BUDGET_MS: f64 = 1.0;
/// Largest tick budget per frame.
pub const MAX_TICK_BUDGET_MS: f64 = 8.0;
/// A frame interval above this means a refresh was missed.
const LATE_FRAME_MS: f64 = 20.0;
/// Shortest interval between two updates of the event log on the page.
const LOG_REFRESH_MS: f64 = 250.0;
/// How long a tile is highlighted after a rule acts on its FBE.
pub const FLASH_MS: f64 = 1200.0;
/// Window over which ticks per second are averaged.
const RATE_WINDOW_MS: f64 = 5000.0;

/// Facts whose changes are told in the event log: discrete states an operator follows (the
/// measurements themselves are on the tiles and in the table).
pub const STATE_FACTS: [pon_core::FactId; 10] = [
    catalog::FEED_VALVE,
    catalog::AGITATOR,
    catalog::HOP_DOSER,
    catalog::FERM_A_PHASE,
    catalog::FERM_A_JACKET,
    catalog::FERM_B_PHASE,
    catalog::FERM_B_JACKET,
    catalog::CAPPER_JAM,
    catalog::CIP_PUMP,
    catalog::GRID_FAULT,
];

/// How long a rule stays lit in the diagrams after it fires.
pub const LIT_MS: f64 = 1000.0;
/// Points kept in a sparkline.
pub const SPARK_POINTS: usize = 60;
/// Ticks of history kept for each numeric fact: one plant day of 6-minute ticks.
pub const HISTORY_POINTS: usize = 240;

/// The page's simulation: the twin and what the display needs from it.
pub struct Driver {
    twin: Twin,
    /// Everything the run did, for the BI view.
    history: History,
    /// Bumped after every recorded tick, so views know when the history has moved on.
    history_version: u64,
    state: RunState,
    speed: Speed,
    /// Wall time from which interval ticks are counted, and ticks run since then.
    anchor_ms: f64,
    anchor_ticks: u64,
    log: EventLog,
    log_version_shown: u64,
    /// Recent values of each numeric fact, by fact id, and whether they changed since the
    /// last frame.
    series: Vec<VecDeque<f64>>,
    series_dirty: Vec<bool>,
    /// The FBE whose fact histories the store last received.
    history_shown: Option<usize>,
    flash_until: Vec<f64>,
    lit_until: Vec<f64>,
    shown: Vec<Value>,
    rule_counts_shown: Vec<u64>,
    last_firings: Vec<Option<LastFiring>>,
    last_firings_dirty: Vec<bool>,
    states_logged: Vec<Value>,
    /// The tile showing each fact, for the key facts.
    tile_of_fact: Vec<Option<usize>>,
    rate_window: VecDeque<(f64, u64)>,
    budget_ms: f64,
    last_frame_ms: f64,
    log_shown_at: f64,
}

fn wall_ms() -> f64 {
    js_sys::Date::now()
}

impl Driver {
    /// A driver for a fresh twin with these settings.
    pub fn new(settings: &RunSettings) -> Driver {
        let twin = Twin::new(TwinConfig::new(settings.scenario, settings.seed));
        let shown = twin.values().to_vec();
        let states_logged = STATE_FACTS
            .iter()
            .map(|f| shown[f.index()].clone())
            .collect();
        Driver {
            history: History::new(&twin),
            history_version: 0,
            twin,
            state: RunState::Ready,
            speed: settings.speed,
            anchor_ms: 0.0,
            anchor_ticks: 0,
            log: EventLog::default(),
            log_version_shown: u64::MAX,
            series: FACTS
                .iter()
                .map(|_| VecDeque::with_capacity(HISTORY_POINTS))
                .collect(),
            series_dirty: vec![true; FACTS.len()],
            history_shown: None,
            flash_until: vec![0.0; FBES.len()],
            lit_until: vec![0.0; RULES.len()],
            shown,
            rule_counts_shown: vec![u64::MAX; RULES.len()],
            last_firings: vec![None; RULES.len()],
            last_firings_dirty: vec![false; RULES.len()],
            states_logged,
            tile_of_fact: (0..FACTS.len())
                .map(|i| FBES.iter().position(|f| f.key_fact.index() == i))
                .collect(),
            rate_window: VecDeque::new(),
            budget_ms: TICK_BUDGET_MS,
            last_frame_ms: 0.0,
            log_shown_at: f64::NEG_INFINITY,
        }
    }

    /// What runs.
    pub fn state(&self) -> RunState {
        self.state
    }

    /// The twin.
    pub fn twin(&self) -> &Twin {
        &self.twin
    }

    /// The run's history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// A number that changes whenever the history records a tick.
    pub fn history_version(&self) -> u64 {
        self.history_version
    }

    /// Adds a system line to the log.
    pub fn say(&mut self, text: String) {
        self.log
            .push(LogKind::System, "", wall_ms(), self.twin.minute(), text);
    }

    /// Starts over from tick 0 with `settings`, keeping the log.
    pub fn reset(&mut self, settings: &RunSettings) {
        let mut log = std::mem::take(&mut self.log);
        log.new_run();
        *self = Driver::new(settings);
        self.log = log;
        self.log_version_shown = u64::MAX;
    }

    /// Starts running the twin's scenario at `speed`.
    pub fn start(&mut self, state: RunState, speed: Speed) {
        self.state = state;
        self.speed = speed;
        self.anchor_ms = now_ms();
        self.anchor_ticks = 0;
    }

    /// Stops running; the plant keeps its state.
    pub fn stop(&mut self) {
        self.state = RunState::Ready;
    }

    /// Changes the pace of a run in progress.
    pub fn set_speed(&mut self, speed: Speed) {
        self.speed = speed;
        self.anchor_ms = now_ms();
        self.anchor_ticks = 0;
    }

    /// Runs what is due this frame, then brings the store up to date.
    pub fn frame(&mut self, store: &Store) {
        let started = now_ms();
        let interval = started - self.last_frame_ms;
        self.last_frame_ms = started;
        if self.state.is_running() {
            self.budget_ms = if interval > LATE_FRAME_MS {
                (self.budget_ms * 0.7).max(MIN_TICK_BUDGET_MS)
            } else {
                (self.budget_ms + 0.1).min(MAX_TICK_BUDGET_MS)
            };
        }
        let ran = self.run_due_ticks(started);
        if ran > 0 {
            self.rate_window.push_back((started, ran));
        }
        while self
            .rate_window
            .front()
            .is_some_and(|(t, _)| started - t > RATE_WINDOW_MS)
        {
            self.rate_window.pop_front();
        }
        self.flush(store, started);
    }

    fn run_due_ticks(&mut self, started: f64) -> u64 {
        let mut ran = 0;
        let due = match (self.state, self.speed) {
            (RunState::Ready, _) => return 0,
            (RunState::Replaying(target), _) => target.saturating_sub(self.twin.tick()),
            (_, Speed::Max) => u64::MAX,
            (_, Speed::Interval(ms)) => {
                let elapsed = started - self.anchor_ms;
                let due = (elapsed / f64::from(ms)).floor() as u64;
                let due = due.saturating_sub(self.anchor_ticks);
                // After a long pause (a hidden tab) do not try to catch up for minutes.
                if due > 1000 {
                    self.anchor_ms = started;
                    self.anchor_ticks = 0;
                    1
                } else {
                    due
                }
            }
        };
        while ran < due && now_ms() - started < self.budget_ms {
            self.step();
            ran += 1;
            if self.twin.finished() {
                break;
            }
        }
        self.anchor_ticks += ran;

        if self.twin.finished() && self.state == RunState::Scripted {
            self.state = RunState::Ready;
            self.say(format!(
                "The brew day is complete after {} ticks; all twelve rules have fired.",
                format::thousands(self.twin.tick())
            ));
        }
        if let RunState::Replaying(target) = self.state {
            if self.twin.tick() >= target || self.twin.finished() {
                self.state = RunState::Ready;
                self.say(format!(
                    "Replayed seed {} to tick {} ({}).",
                    self.twin.config().seed,
                    format::thousands(self.twin.tick()),
                    format::plant_time(self.twin.minute())
                ));
            }
        }
        ran
    }

    fn step(&mut self) {
        let wall = wall_ms();
        let now = now_ms();
        self.twin.step();
        self.history.record(&self.twin, wall);
        self.history_version += 1;
        for (k, fact) in STATE_FACTS.iter().enumerate() {
            let value = &self.twin.values()[fact.index()];
            if !value.same_as(&self.states_logged[k]) {
                let info = &FACTS[fact.index()];
                let text = format!(
                    "{} is now {} ({}).",
                    info.name,
                    format::value(value),
                    info.description.trim_end_matches('.')
                );
                self.log
                    .push(LogKind::Fact, info.name, wall, self.twin.minute(), text);
                self.states_logged[k] = value.clone();
            }
        }
        for (i, value) in self.twin.values().iter().enumerate() {
            if let Some(x) = value.as_f64() {
                let series = &mut self.series[i];
                if series.len() == HISTORY_POINTS {
                    series.pop_front();
                }
                series.push_back(x);
                self.series_dirty[i] = true;
            }
        }
        let minute = self.twin.minute();
        for event in self.twin.events() {
            match event {
                TwinEvent::Rule {
                    rule,
                    trigger,
                    premises,
                    notes,
                    ..
                } => {
                    let index = RULES.iter().position(|r| r.id == *rule).unwrap_or(0);
                    let info = &RULES[index];
                    for fbe in info.acts_on {
                        self.flash_until[*fbe] = now + FLASH_MS;
                    }
                    self.lit_until[index] = now + LIT_MS;
                    let mut text = format!("{} {} fired: {trigger}.", info.id, info.title);
                    for note in notes {
                        text.push(' ');
                        text.push_str(note);
                    }
                    self.log.push(LogKind::Rule, info.id, wall, minute, text);
                    self.last_firings[index] = Some(LastFiring {
                        when: format::plant_time(minute),
                        trigger: trigger.clone(),
                        premises: premises
                            .iter()
                            .map(|p| {
                                (
                                    format!("{} (value {})", p.premise, format::value(&p.value)),
                                    p.holds,
                                )
                            })
                            .collect(),
                        notes: notes.clone(),
                    });
                    self.last_firings_dirty[index] = true;
                }
                TwinEvent::Anomaly {
                    fact,
                    value,
                    ema,
                    sigma,
                    ..
                } => {
                    let unit = catalog::fact_by_name(fact)
                        .map(|(_, f)| f.unit)
                        .unwrap_or("");
                    self.log.push(
                        LogKind::Anomaly,
                        fact,
                        wall,
                        minute,
                        format!(
                            "{fact} left its control band: {} {unit} against a mean of {:.2} \
                             (σ {:.2}).",
                            format::value(&Value::Float(*value)),
                            ema,
                            sigma
                        ),
                    );
                }
                TwinEvent::System { message, .. } => {
                    self.log
                        .push(LogKind::System, "", wall, minute, message.clone());
                }
            }
        }
    }

    fn flush(&mut self, store: &Store, now: f64) {
        let values = self.twin.values();
        for (i, value) in values.iter().enumerate() {
            if value.same_as(&self.shown[i]) {
                continue;
            }
            store.facts[i].set(format::value(value));
            if let Some(fbe) = self.tile_of_fact[i] {
                let tile = &store.tiles[fbe];
                tile.value.set(format::with_unit(value, FACTS[i].unit));
                tile.delta
                    .set(format::delta(&self.shown[i], value, FACTS[i].unit));
            }
            self.shown[i] = value.clone();
        }
        for (i, tile) in store.tiles.iter().enumerate() {
            let key = FBES[i].key_fact.index();
            if self.series_dirty[key] {
                let series = &self.series[key];
                let recent: Vec<f64> = series
                    .iter()
                    .skip(series.len().saturating_sub(SPARK_POINTS))
                    .copied()
                    .collect();
                tile.spark.set(format::sparkline(&recent));
            }
            let flashing = now < self.flash_until[i];
            if tile.flash.get_untracked() != flashing {
                tile.flash.set(flashing);
            }
            let status = status_of(i, values);
            if tile.status.get_untracked() != status {
                tile.status.set(status);
            }
            // Compared in place; a new list is built only when the marks change.
            let anomalous = || {
                catalog::facts_of(i)
                    .filter(|(id, _)| self.twin.is_anomalous(*id))
                    .map(|(_, f)| f.name)
            };
            if !tile
                .anomalies
                .with_untracked(|shown| shown.iter().copied().eq(anomalous()))
            {
                tile.anomalies.set(anomalous().collect());
            }
        }

        // Only the FBE on show gets its facts' histories; a newly shown one gets them all.
        let focus = store.focus.get_untracked();
        let refocused = focus != self.history_shown;
        self.history_shown = focus;
        if let Some(fbe) = focus {
            for (id, _) in catalog::facts_of(fbe) {
                let i = id.index();
                if self.series_dirty[i] || refocused {
                    let series: Vec<f64> = self.series[i].iter().copied().collect();
                    store.history[i].set(format::History::of(&series));
                }
            }
        }
        self.series_dirty.iter_mut().for_each(|d| *d = false);

        for (r, signals) in store.rules.iter().enumerate() {
            let count = self.twin.firings(pon_core::RuleId(r as u32));
            if count != self.rule_counts_shown[r] {
                self.rule_counts_shown[r] = count;
                signals.count.set(count);
            }
            let lit = now < self.lit_until[r];
            if signals.lit.get_untracked() != lit {
                signals.lit.set(lit);
            }
            if self.last_firings_dirty[r] {
                self.last_firings_dirty[r] = false;
                signals.last.set(self.last_firings[r].clone());
            }
        }

        let engine = self.twin.engine();
        for (p, signal) in store.premises.iter().enumerate() {
            let holds = engine.premise_holds(pon_core::PremiseId(p as u32));
            if signal.get_untracked() != holds {
                signal.set(holds);
            }
        }
        for (c, signal) in store.conditions.iter().enumerate() {
            let holds = engine.condition_holds(pon_core::ConditionId(c as u32));
            if signal.get_untracked() != holds {
                signal.set(holds);
            }
        }

        let log_due = now - self.log_shown_at >= LOG_REFRESH_MS || !self.state.is_running();
        if self.log.version() != self.log_version_shown && log_due {
            self.log_shown_at = now;
            self.log_version_shown = self.log.version();
            store.log.set(self.log.lines().iter().cloned().collect());
        }

        let tick = self.twin.tick();
        if store.tick.get_untracked() != tick {
            store.tick.set(tick);
            store.minute.set(self.twin.minute());
        }
        if store.oee.get_untracked() != self.twin.oee() {
            store.oee.set(self.twin.oee());
        }
        if store.shift_oee.get_untracked() != self.twin.shift_oee() {
            store.shift_oee.set(self.twin.shift_oee());
        }
        let fault = values[catalog::GRID_FAULT.index()] == Value::Bool(true);
        if store.grid_fault.get_untracked() != fault {
            store.grid_fault.set(fault);
        }
        if store.run.get_untracked() != self.state {
            store.run.set(self.state);
        }
        let ticks = self.rate_window.iter().map(|(_, n)| *n).sum::<u64>() as f64;
        let rate = if self.state.is_running() {
            ticks * 1000.0 / RATE_WINDOW_MS
        } else {
            0.0
        };
        if (store.rate.get_untracked() - rate).abs() >= 0.05 {
            store.rate.set(rate);
        }
    }
}

/// Status of the FBE at `fbe` for its tile: colour only for what needs attention.
pub fn status_of(fbe: usize, values: &[Value]) -> Status {
    use catalog::*;
    let number = |f: pon_core::FactId| values[f.index()].as_f64().unwrap_or(0.0);
    let flag = |f: pon_core::FactId| values[f.index()] == Value::Bool(true);
    let symbol = |f: pon_core::FactId| values[f.index()].as_symbol().unwrap_or("");
    // Chilling paused for load balancing during the peak tariff.
    let peak = number(POWER_COST) > 150.0;
    match fbe {
        0 if number(VIBRATION) > 80.0 || number(MOTOR_TEMP) > 70.0 => Status::Warning,
        2 if number(DIFF_PRESSURE) > 150.0 => Status::Warning,
        3 if number(FOAM_LEVEL) > 85.0 || number(STEAM_PRESSURE) > 4.0 => Status::Warning,
        5 if peak && symbol(FERM_A_JACKET) == "off" => Status::Active,
        6 if peak && symbol(FERM_B_JACKET) == "off" => Status::Active,
        7 if symbol(LEVEL_DETECT) == "fail" || flag(CAPPER_JAM) => Status::Warning,
        8 if symbol(CIP_PUMP) == "on" => Status::Active,
        9 if flag(COLLISION) => Status::Warning,
        9 if number(ROBOT_BATTERY) < 20.0 => Status::Warning,
        10 if flag(GRID_FAULT) => Status::Critical,
        10 if number(POWER_COST) > 150.0 => Status::Warning,
        _ => Status::Normal,
    }
}
