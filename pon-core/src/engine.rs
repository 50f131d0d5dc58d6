//! The notification engine.
//!
//! A batch of writes is applied, then propagated in waves. In each wave:
//!
//! 1. every fact that changed notifies the premises that read it, and only those;
//! 2. each notified premise is re-evaluated once; if its truth changed, it updates the counts of
//!    the conditions above it, which pass a change of their own truth further up;
//! 3. every rule above a notified premise is notified (once per wave, whatever the number of
//!    changes) and evaluated on the merged state: a level rule fires if its condition holds, an
//!    edge rule only if it held false at its previous evaluation;
//! 4. fired rules run their methods in rule-id order; the facts they change form the next wave.
//!
//! No step visits an entity that no change reached: the cost of a wave grows with the changes,
//! not with the size of the rule set. Conditions keep a count of their true children, so a
//! change of one premise updates an AND or OR in constant time.

use std::collections::HashMap;
use std::fmt;

use crate::action::{
    run_method, ActionContext, Change, FactCounters, FactStore, Note, PendingChange, Writer,
};
use crate::program::{
    ConditionId, FactId, MethodBody, Node, Operand, PremiseId, Program, RuleDef, RuleId, StepDef,
};
use crate::spec::Trigger;
use crate::value::{Op, Value};
use crate::WriteError;

/// Waves allowed in one propagation before the engine gives up on a cascade.
pub const DEFAULT_MAX_WAVES: u32 = 1_000;

/// Counters of one premise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PremiseCounters {
    /// Fact changes received.
    pub notifications: u64,
    /// Evaluations (at most one per wave).
    pub evaluations: u64,
    /// Evaluations whose result differed from the previous one.
    pub changes: u64,
}

/// Counters of one condition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConditionCounters {
    /// Truth changes of children received.
    pub notifications: u64,
    /// Recomputations of its own truth.
    pub evaluations: u64,
    /// Recomputations whose result differed from the previous one.
    pub changes: u64,
}

/// Counters of one rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleCounters {
    /// Notifications received from premises.
    pub notifications: u64,
    /// Evaluations (at most one per wave).
    pub evaluations: u64,
    /// Firings.
    pub firings: u64,
}

/// Totals over all entities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Writes received by facts.
    pub writes: u64,
    /// Writes that changed nothing.
    pub noop_writes: u64,
    /// Fact changes notified.
    pub fact_notifications: u64,
    /// Premise evaluations.
    pub premise_evaluations: u64,
    /// Condition recomputations.
    pub condition_evaluations: u64,
    /// Rule evaluations.
    pub rule_evaluations: u64,
    /// Rule firings.
    pub firings: u64,
    /// Waves propagated.
    pub waves: u64,
}

/// One firing of a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Firing {
    /// The rule.
    pub rule: RuleId,
    /// The wave of the propagation it fired in, from 1.
    pub wave: u32,
    /// The first change of that wave that reached the rule; `None` for an evaluation at start.
    pub trigger: Option<Change>,
}

/// A premise as a rule saw it when it fired.
#[derive(Clone, Debug, PartialEq)]
pub struct PremiseSeen {
    /// The premise.
    pub premise: PremiseId,
    /// Its truth.
    pub holds: bool,
    /// The value of its fact.
    pub left: Value,
    /// The constant or the other fact's value.
    pub right: Value,
}

/// Why a rule fired: the change that reached it and every premise with the values it saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The firing.
    pub firing: Firing,
    /// Its premises at that moment.
    pub premises: Vec<PremiseSeen>,
}

/// What one propagation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Propagation {
    /// Waves run.
    pub waves: u32,
    /// Rules fired.
    pub firings: u32,
    /// Fact changes notified.
    pub changes: u32,
}

/// Why a propagation failed.
#[derive(Clone, Debug, PartialEq)]
pub enum EngineError {
    /// A write was refused; nothing of the batch was applied.
    Write(WriteError),
    /// Rules kept re-firing each other past the wave limit. The facts keep the values written
    /// so far, premises and conditions agree with them, and the last wave's changes are
    /// dropped.
    Cascade {
        /// Waves run.
        waves: u32,
        /// The rules that fired in the last waves, by name.
        rules: Vec<String>,
    },
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::Write(e) => write!(f, "write refused: {e}"),
            EngineError::Cascade { waves, rules } => write!(
                f,
                "the cascade did not settle after {waves} waves; rules involved: {}",
                rules.join(", ")
            ),
        }
    }
}

impl std::error::Error for EngineError {}

impl From<WriteError> for EngineError {
    fn from(e: WriteError) -> EngineError {
        EngineError::Write(e)
    }
}

/// Compressed adjacency lists: the items of `i` are `items[starts[i]..starts[i + 1]]`.
#[derive(Clone, Debug, Default)]
struct Adjacency {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Adjacency {
    fn build(lists: Vec<Vec<u32>>) -> Adjacency {
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::new();
        starts.push(0);
        for list in lists {
            items.extend(list);
            starts.push(items.len() as u32);
        }
        Adjacency { starts, items }
    }

    #[inline]
    fn of(&self, i: usize) -> &[u32] {
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// The range of `items` that holds the list of `i`.
    fn span(&self, i: usize) -> Span {
        Span {
            start: self.starts[i],
            end: self.starts[i + 1],
        }
    }
}

/// A range of an item array, stored beside the state of the entity whose list it is.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    #[inline]
    fn of<T>(self, items: &[T]) -> &[T] {
        &items[self.start as usize..self.end as usize]
    }
}

/// Everything a wave reads and writes of one premise, in one record.
#[derive(Clone, Debug)]
struct PremiseState {
    fact: u32,
    /// The other fact's id, or the constant's index in [`Engine::constants`].
    right: u32,
    right_is_fact: bool,
    op: Op,
    holds: bool,
    stamp: u32,
    parents: Span,
    rules: Span,
    counters: PremiseCounters,
}

impl PremiseState {
    #[inline]
    fn right<'a>(&self, values: &'a [Value], constants: &'a [Value]) -> &'a Value {
        if self.right_is_fact {
            &values[self.right as usize]
        } else {
            &constants[self.right as usize]
        }
    }

    #[inline]
    fn evaluate(&self, values: &[Value], constants: &[Value]) -> bool {
        self.op
            .holds(&values[self.fact as usize], self.right(values, constants))
    }
}

/// A method step of the two kinds most actions are made of, with its constant in the engine's
/// table. A rule whose methods are all made of these runs them without going through
/// [`run_method`].
#[derive(Clone, Copy, Debug)]
enum Step {
    /// `fact := constants[value]`.
    Set { fact: FactId, value: u32 },
    /// `fact := fact + by`, an integer fact without bounds.
    AddInt { fact: FactId, by: i64 },
}

/// The constants of premises and steps, each distinct scalar stored once, so that ten thousand
/// premises testing for `red` read one value.
#[derive(Debug, Default)]
struct Constants {
    values: Vec<Value>,
    scalars: HashMap<(u8, u64), u32>,
}

impl Constants {
    fn add(&mut self, value: &Value) -> u32 {
        let key = match value {
            Value::Bool(b) => Some((0, *b as u64)),
            Value::Int(i) => Some((1, *i as u64)),
            Value::Float(x) => Some((2, x.to_bits())),
            Value::Symbol(s) => Some((3, s.name().as_ptr() as u64)),
            Value::Text(_) | Value::Tuple(_) => None,
        };
        let next = self.values.len() as u32;
        if let Some(key) = key {
            let index = *self.scalars.entry(key).or_insert(next);
            if index != next {
                return index;
            }
        }
        self.values.push(value.clone());
        next
    }
}

/// The steps of a rule's methods, when they are all [`Step`]s.
fn plain_steps(program: &Program, rule: &RuleDef, constants: &mut Constants) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for method in &rule.actions {
        let MethodBody::Steps(body) = &program.methods[method.index()].body else {
            return None;
        };
        for step in body {
            steps.push(match step {
                StepDef::Set { fact, value } => Step::Set {
                    fact: *fact,
                    value: constants.add(value),
                },
                StepDef::Add {
                    fact,
                    by: Value::Int(by),
                    min: None,
                    max: None,
                } => Step::AddInt {
                    fact: *fact,
                    by: *by,
                },
                _ => return None,
            });
        }
    }
    Some(steps)
}

#[derive(Clone, Debug)]
struct ConditionState {
    all: bool,
    holds: bool,
    size: u32,
    true_count: u32,
    parents: Span,
    counters: ConditionCounters,
}

#[derive(Clone, Debug)]
struct RuleState {
    edge: bool,
    last: bool,
    stamp: u32,
    trigger: u32,
    condition: u32,
    /// Whether the actions are all in `steps`.
    plain: bool,
    actions: Span,
    steps: Span,
    last_fired_wave: u64,
    counters: RuleCounters,
}

/// The notification engine: runs a [`Program`] incrementally.
#[derive(Clone, Debug)]
pub struct Engine {
    program: Program,
    store: FactStore,
    fact_readers: Adjacency,
    parent_items: Vec<u32>,
    rule_items: Vec<u32>,
    action_items: Vec<u32>,
    steps: Vec<Step>,
    constants: Vec<Value>,
    premises: Vec<PremiseState>,
    conditions: Vec<ConditionState>,
    rules: Vec<RuleState>,
    totals: Totals,
    max_waves: u32,
    explain: bool,
    stamp: u32,
    wave_serial: u64,
    batch: Vec<(FactId, Value)>,
    changes: Vec<PendingChange>,
    next_changes: Vec<PendingChange>,
    notified: Vec<u32>,
    fired: Vec<u32>,
    truth_stack: Vec<(u32, bool)>,
    firings: Vec<Firing>,
    notes: Vec<Note>,
    changed: Vec<FactId>,
    propagation_serial: u32,
    explanations: Vec<Option<Explanation>>,
}

impl Engine {
    /// An engine at the program's initial values. Premises and conditions are computed from
    /// those values; rules are not evaluated (see [`Engine::start`]).
    pub fn new(program: Program) -> Engine {
        let store = FactStore::new(&program);
        let n_facts = program.facts.len();
        let n_premises = program.premises.len();
        let n_conditions = program.conditions.len();

        let mut readers = vec![Vec::new(); n_facts];
        for (i, p) in program.premises.iter().enumerate() {
            readers[p.fact.index()].push(i as u32);
            if let Operand::Fact(other) = p.operand {
                if other != p.fact {
                    readers[other.index()].push(i as u32);
                }
            }
        }
        let mut premise_parents = vec![Vec::new(); n_premises];
        let mut condition_parents = vec![Vec::new(); n_conditions];
        for (i, c) in program.conditions.iter().enumerate() {
            for child in &c.children {
                match child {
                    Node::Premise(p) => premise_parents[p.index()].push(i as u32),
                    Node::Condition(k) => condition_parents[k.index()].push(i as u32),
                }
            }
        }
        let mut premise_rules = vec![Vec::new(); n_premises];
        for (r, rule) in program.rules.iter().enumerate() {
            for p in &rule.premises {
                premise_rules[p.index()].push(r as u32);
            }
        }
        let mut parents = premise_parents;
        parents.extend(condition_parents);
        let parents = Adjacency::build(parents);
        let premise_rules = Adjacency::build(premise_rules);
        let actions = Adjacency::build(
            program
                .rules
                .iter()
                .map(|r| r.actions.iter().map(|m| m.0).collect())
                .collect(),
        );

        let mut constants = Constants::default();
        let premises: Vec<PremiseState> = program
            .premises
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (right, right_is_fact) = match &p.operand {
                    Operand::Value(v) => (constants.add(v), false),
                    Operand::Fact(f) => (f.0, true),
                };
                PremiseState {
                    fact: p.fact.0,
                    right,
                    right_is_fact,
                    op: p.op,
                    holds: program.premise_holds(p, &store.values),
                    stamp: 0,
                    parents: parents.span(i),
                    rules: premise_rules.span(i),
                    counters: PremiseCounters::default(),
                }
            })
            .collect();
        let mut conditions: Vec<ConditionState> = Vec::with_capacity(n_conditions);
        for (i, c) in program.conditions.iter().enumerate() {
            let true_count = c
                .children
                .iter()
                .filter(|child| match child {
                    Node::Premise(p) => premises[p.index()].holds,
                    Node::Condition(k) => conditions[k.index()].holds,
                })
                .count() as u32;
            let size = c.children.len() as u32;
            let holds = if c.all {
                true_count == size
            } else {
                true_count > 0
            };
            conditions.push(ConditionState {
                all: c.all,
                holds,
                size,
                true_count,
                parents: parents.span(n_premises + i),
                counters: ConditionCounters::default(),
            });
        }
        let mut steps = Vec::new();
        let rules = program
            .rules
            .iter()
            .enumerate()
            .map(|(r, rule)| {
                let plain = plain_steps(&program, rule, &mut constants);
                let start = steps.len() as u32;
                steps.extend(plain.iter().flatten());
                RuleState {
                    edge: rule.trigger == Trigger::Edge,
                    last: false,
                    stamp: 0,
                    trigger: 0,
                    condition: rule.condition.0,
                    plain: plain.is_some(),
                    actions: actions.span(r),
                    steps: Span {
                        start,
                        end: steps.len() as u32,
                    },
                    last_fired_wave: 0,
                    counters: RuleCounters::default(),
                }
            })
            .collect();

        let n_rules = program.rules.len();
        Engine {
            store,
            fact_readers: Adjacency::build(readers),
            parent_items: parents.items,
            rule_items: premise_rules.items,
            action_items: actions.items,
            steps,
            constants: constants.values,
            premises,
            conditions,
            rules,
            totals: Totals::default(),
            max_waves: DEFAULT_MAX_WAVES,
            explain: true,
            stamp: 0,
            wave_serial: 0,
            batch: Vec::new(),
            changes: Vec::new(),
            next_changes: Vec::new(),
            notified: Vec::new(),
            fired: Vec::new(),
            truth_stack: Vec::new(),
            firings: Vec::new(),
            notes: Vec::new(),
            changed: Vec::new(),
            propagation_serial: 0,
            explanations: vec![None; n_rules],
            program,
        }
    }

    /// The program this engine runs.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Sets the number of waves after which a cascade is stopped with an error.
    pub fn set_max_waves(&mut self, waves: u32) {
        self.max_waves = waves.max(1);
    }

    /// Turns the recording of firing explanations on (the default) or off. Off saves a copy of
    /// each fired rule's premises per firing; the firings themselves are always recorded.
    pub fn set_explain(&mut self, explain: bool) {
        self.explain = explain;
    }

    /// The fact's current value.
    #[inline]
    pub fn value(&self, fact: FactId) -> &Value {
        &self.store.values[fact.index()]
    }

    /// All current values, by fact id.
    pub fn values(&self) -> &[Value] {
        &self.store.values
    }

    /// The current value of the fact called `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.program.fact_id(name).map(|id| self.value(id))
    }

    /// The id of the fact called `name`.
    pub fn fact_id(&self, name: &str) -> Option<FactId> {
        self.program.fact_id(name)
    }

    /// The id of the rule called `name`.
    pub fn rule_id(&self, name: &str) -> Option<RuleId> {
        self.program.rule_id(name)
    }

    /// Whether the premise holds now.
    pub fn premise_holds(&self, premise: PremiseId) -> bool {
        self.premises[premise.index()].holds
    }

    /// Whether the condition holds now.
    pub fn condition_holds(&self, condition: ConditionId) -> bool {
        self.conditions[condition.index()].holds
    }

    /// Writes one fact and propagates.
    pub fn write(&mut self, fact: FactId, value: Value) -> Result<Propagation, EngineError> {
        self.apply([(fact, value)])
    }

    /// Writes one fact, by name, and propagates.
    pub fn write_named(&mut self, name: &str, value: Value) -> Result<Propagation, EngineError> {
        let fact = self
            .fact_id(name)
            .ok_or_else(|| WriteError::UnknownFact(name.to_owned()))?;
        self.write(fact, value)
    }

    /// Applies writes made together, then propagates. Every write is type-checked first; if one
    /// is refused, none is applied. A later write to the same fact wins.
    pub fn apply(
        &mut self,
        writes: impl IntoIterator<Item = (FactId, Value)>,
    ) -> Result<Propagation, EngineError> {
        self.batch.clear();
        self.batch.extend(writes);
        for (fact, value) in &self.batch {
            if let Err(e) = self.store.check(&self.program, *fact, value) {
                self.batch.clear();
                return Err(e.into());
            }
        }
        for (fact, value) in self.batch.drain(..) {
            self.store.write_checked(fact, value, Writer::External);
        }
        self.begin_propagation();
        self.changes.clear();
        self.store.finish_phase_pending(&mut self.changes);
        self.propagate(false)
    }

    /// Evaluates the rules that ask to be evaluated at start, and propagates what they do.
    pub fn start(&mut self) -> Result<Propagation, EngineError> {
        self.begin_propagation();
        self.propagate(true)
    }

    fn begin_propagation(&mut self) {
        self.firings.clear();
        self.notes.clear();
        self.changed.clear();
        self.propagation_serial = self.propagation_serial.wrapping_add(1);
        if self.propagation_serial == 0 {
            self.store.meta.iter_mut().for_each(|m| m.reported = 0);
            self.propagation_serial = 1;
        }
    }

    /// The firings of the last propagation, in order.
    pub fn firings(&self) -> &[Firing] {
        &self.firings
    }

    /// The notes written by actions in the last propagation, in order.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// The facts that changed in the last propagation, each once, in first-change order.
    pub fn changed(&self) -> &[FactId] {
        &self.changed
    }

    /// Why the rule fired the last time it did, if it did while explanations were on.
    pub fn explain(&self, rule: RuleId) -> Option<&Explanation> {
        self.explanations[rule.index()].as_ref()
    }

    /// Counters of a fact.
    pub fn fact_counters(&self, fact: FactId) -> FactCounters {
        self.store.meta[fact.index()].counters
    }

    /// Counters of a premise.
    pub fn premise_counters(&self, premise: PremiseId) -> PremiseCounters {
        self.premises[premise.index()].counters
    }

    /// Counters of a condition.
    pub fn condition_counters(&self, condition: ConditionId) -> ConditionCounters {
        self.conditions[condition.index()].counters
    }

    /// Counters of a rule.
    pub fn rule_counters(&self, rule: RuleId) -> RuleCounters {
        self.rules[rule.index()].counters
    }

    /// Totals over all entities since creation or the last reset.
    pub fn totals(&self) -> Totals {
        let mut totals = self.totals;
        for c in self.store.counters() {
            totals.writes += c.writes;
            totals.noop_writes += c.noop_writes;
            totals.fact_notifications += c.notifications;
        }
        totals
    }

    /// Sets every counter to zero. Values, truths and edge memories are kept.
    pub fn reset_counters(&mut self) {
        self.store
            .meta
            .iter_mut()
            .for_each(|m| m.counters = FactCounters::default());
        self.premises
            .iter_mut()
            .for_each(|p| p.counters = PremiseCounters::default());
        self.conditions
            .iter_mut()
            .for_each(|c| c.counters = ConditionCounters::default());
        self.rules
            .iter_mut()
            .for_each(|r| r.counters = RuleCounters::default());
        self.totals = Totals::default();
    }

    fn propagate(&mut self, at_start: bool) -> Result<Propagation, EngineError> {
        let mut report = Propagation::default();
        let mut first = at_start;
        while first || !self.changes.is_empty() {
            if report.waves == self.max_waves {
                return Err(self.cascade_error(report.waves));
            }
            report.waves += 1;
            self.wave_serial += 1;
            self.totals.waves += 1;
            self.next_stamp();
            report.changes += self.changes.len() as u32;

            self.notified.clear();
            if first {
                for (r, rule) in self.program.rules.iter().enumerate() {
                    if rule.evaluate_at_start {
                        self.rules[r].stamp = self.stamp;
                        self.rules[r].trigger = u32::MAX;
                        self.notified.push(r as u32);
                    }
                }
                first = false;
            }
            self.notify();
            self.evaluate_rules(report.waves);
            report.firings += self.fired.len() as u32;
            self.act(report.waves)?;
        }
        Ok(report)
    }

    fn next_stamp(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.premises.iter_mut().for_each(|p| p.stamp = 0);
            self.rules.iter_mut().for_each(|r| r.stamp = 0);
            self.stamp = 1;
        }
    }

    /// Steps 1 and 2: each change notifies the premises reading its fact. A premise is
    /// evaluated when first notified in the wave: the wave's writes are all in by then, so
    /// later notifications in the same wave would see the same values. A truth change climbs
    /// the condition tree, and the rules above an evaluated premise are notified. The changed
    /// facts are recorded for [`Engine::changed`].
    fn notify(&mut self) {
        let Engine {
            store,
            fact_readers,
            parent_items,
            rule_items,
            constants,
            premises,
            conditions,
            rules,
            totals,
            changes,
            notified,
            truth_stack,
            changed,
            ..
        } = self;
        let (stamp, serial) = (self.stamp, self.propagation_serial);
        let FactStore { values, meta, .. } = store;
        let mut premise_evaluations = 0;
        let mut condition_evaluations = 0;
        for (c, change) in changes.iter().enumerate() {
            let i = change.fact.index();
            let meta = &mut meta[i];
            if meta.reported != serial {
                meta.reported = serial;
                changed.push(change.fact);
            }
            for &p in fact_readers.of(i) {
                let state = &mut premises[p as usize];
                state.counters.notifications += 1;
                if state.stamp == stamp {
                    continue;
                }
                state.stamp = stamp;
                state.counters.evaluations += 1;
                premise_evaluations += 1;
                let holds = state.evaluate(values, constants);
                if holds != state.holds {
                    state.holds = holds;
                    state.counters.changes += 1;
                    for &parent in state.parents.of(parent_items) {
                        condition_evaluations +=
                            climb(parent, holds, conditions, parent_items, truth_stack);
                    }
                }
                for &r in state.rules.of(rule_items) {
                    let rule = &mut rules[r as usize];
                    rule.counters.notifications += 1;
                    if rule.stamp != stamp {
                        rule.stamp = stamp;
                        rule.trigger = c as u32;
                        notified.push(r);
                    }
                }
            }
        }
        totals.premise_evaluations += premise_evaluations;
        totals.condition_evaluations += condition_evaluations;
    }

    /// Step 3: notified rules are evaluated once, in id order.
    fn evaluate_rules(&mut self, wave: u32) {
        if !self.notified.is_sorted() {
            self.notified.sort_unstable();
        }
        self.fired.clear();
        self.totals.rule_evaluations += self.notified.len() as u64;
        for &r in &self.notified {
            let state = &mut self.rules[r as usize];
            let holds = self.conditions[state.condition as usize].holds;
            let fire = holds && !(state.edge && state.last);
            state.last = holds;
            state.counters.evaluations += 1;
            if fire {
                state.last_fired_wave = self.wave_serial;
                state.counters.firings += 1;
                self.fired.push(r);
            }
        }
        self.totals.firings += self.fired.len() as u64;
        for i in 0..self.fired.len() {
            let r = self.fired[i] as usize;
            let trigger = self.rules[r].trigger;
            let trigger = self
                .changes
                .get(trigger as usize)
                .map(|change| change.to_change(&self.store));
            let firing = Firing {
                rule: RuleId(r as u32),
                wave,
                trigger,
            };
            if self.explain {
                let premises = self.program.rules[r]
                    .premises
                    .iter()
                    .map(|&p| {
                        let state = &self.premises[p.index()];
                        let values = &self.store.values;
                        PremiseSeen {
                            premise: p,
                            holds: state.holds,
                            left: values[state.fact as usize].clone(),
                            right: state.right(values, &self.constants).clone(),
                        }
                    })
                    .collect();
                self.explanations[r] = Some(Explanation {
                    firing: firing.clone(),
                    premises,
                });
            }
            self.firings.push(firing);
        }
    }

    /// Step 4: fired rules act in id order; what they change is the next wave.
    fn act(&mut self, _wave: u32) -> Result<(), EngineError> {
        let mut failure = None;
        for i in 0..self.fired.len() {
            let r = self.fired[i] as usize;
            let rule = &self.rules[r];
            if rule.plain {
                let writer = Writer::Rule(RuleId(r as u32));
                for step in rule.steps.of(&self.steps) {
                    match *step {
                        Step::Set { fact, value } => {
                            let value = self.constants[value as usize].clone();
                            self.store.write_checked(fact, value, writer);
                        }
                        Step::AddInt { fact, by } => {
                            let Value::Int(current) = self.store.values[fact.index()] else {
                                unreachable!("add steps are checked against the fact's type")
                            };
                            let next = Value::Int(current.saturating_add(by));
                            self.store.write_checked(fact, next, writer);
                        }
                    }
                }
                continue;
            }
            let mut ctx = ActionContext {
                program: &self.program,
                store: &mut self.store,
                rule: RuleId(r as u32),
                notes: &mut self.notes,
            };
            for &method in self.rules[r].actions.of(&self.action_items) {
                if let Err(e) = run_method(&mut ctx, &self.program.methods[method as usize].body) {
                    failure.get_or_insert(e);
                }
            }
        }
        self.next_changes.clear();
        self.store.finish_phase_pending(&mut self.next_changes);
        std::mem::swap(&mut self.changes, &mut self.next_changes);
        match failure {
            Some(e) => {
                self.settle_without_rules();
                Err(EngineError::Write(e))
            }
            None => Ok(()),
        }
    }

    /// Brings premises and conditions in line with the pending changes without evaluating any
    /// rule, then drops the changes. Used when a propagation is cut short.
    fn settle_without_rules(&mut self) {
        self.next_stamp();
        self.notified.clear();
        self.notify();
        for &r in &self.notified {
            self.rules[r as usize].stamp = 0;
        }
        self.notified.clear();
        self.changes.clear();
    }

    fn cascade_error(&mut self, waves: u32) -> EngineError {
        const RECENT_WAVES: u64 = 4;
        let horizon = self.wave_serial.saturating_sub(RECENT_WAVES);
        let rules = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.last_fired_wave > horizon)
            .map(|(i, _)| self.program.rules[i].name.clone())
            .collect();
        self.settle_without_rules();
        EngineError::Cascade { waves, rules }
    }
}

/// Applies a child's truth change to condition `c`, and the condition's own change to its
/// parents, up the tree. Returns the number of conditions recomputed.
#[inline]
fn climb(
    c: u32,
    child_became_true: bool,
    conditions: &mut [ConditionState],
    parents: &[u32],
    stack: &mut Vec<(u32, bool)>,
) -> u64 {
    let mut evaluations = 0;
    let mut next = (c, child_became_true);
    loop {
        let (c, child_became_true) = next;
        let state = &mut conditions[c as usize];
        if child_became_true {
            state.true_count += 1;
        } else {
            state.true_count -= 1;
        }
        let holds = if state.all {
            state.true_count == state.size
        } else {
            state.true_count > 0
        };
        state.counters.notifications += 1;
        state.counters.evaluations += 1;
        evaluations += 1;
        if holds != state.holds {
            state.holds = holds;
            state.counters.changes += 1;
            for &parent in state.parents.of(parents) {
                stack.push((parent, holds));
            }
        }
        match stack.pop() {
            Some(pending) => next = pending,
            None => return evaluations,
        }
    }
}
