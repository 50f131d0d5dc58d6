//! Fact storage and writes: what a write does to a fact, and the context methods act through.
//!
//! Writes are applied at once, so a later write in the same batch or wave reads the result of
//! an earlier one (read-modify-write is safe), but nobody is notified until the batch or wave
//! ends. A fact that was written and then restored to its old value within one phase does not
//! notify.

use std::fmt;
use std::sync::Arc;

use crate::program::{FactId, MethodBody, Program, RuleId, StepDef};
use crate::value::{Op, Sym, Value, ValueType};

/// Who made a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writer {
    /// A batch applied from outside the engine (a model, a script, a user).
    External,
    /// The action of a rule.
    Rule(RuleId),
}

/// A fact change that will be, or was, notified.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The fact.
    pub fact: FactId,
    /// Its value before the phase.
    pub old: Value,
    /// Its value after the phase.
    pub new: Value,
    /// Who wrote it first in the phase.
    pub writer: Writer,
}

/// Counters of one fact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FactCounters {
    /// Writes received.
    pub writes: u64,
    /// Writes that left the value unchanged (or within the dead band).
    pub noop_writes: u64,
    /// Changes notified to readers.
    pub notifications: u64,
}

/// Why a write was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteError {
    /// The value does not fit the fact's declared type.
    TypeMismatch {
        fact: String,
        expected: String,
        got: Value,
    },
    /// No fact has this name or id.
    UnknownFact(String),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::TypeMismatch {
                fact,
                expected,
                got,
            } => write!(
                f,
                "fact `{fact}` is {expected} and cannot hold the {} value {got}",
                got.kind()
            ),
            WriteError::UnknownFact(name) => write!(f, "unknown fact `{name}`"),
        }
    }
}

impl std::error::Error for WriteError {}

/// Current fact values and the changes of the phase in progress.
#[derive(Clone, Debug)]
pub(crate) struct FactStore {
    pub(crate) values: Vec<Value>,
    pub(crate) meta: Vec<FactMeta>,
    domains: Vec<Sym>,
    touch_epoch: u32,
    first_writes: Vec<PendingChange>,
}

/// Everything a write reads and writes of a fact besides its value, packed in one record so
/// that a write touches two places: the value and this.
#[derive(Clone, Debug)]
pub(crate) struct FactMeta {
    /// The phase in which the fact was first written, to record its old value once.
    touched: u32,
    /// Where that first write sits in the phase's list of first writes.
    pending: u32,
    /// The last propagation that reported the fact as changed (kept by the engine).
    pub(crate) reported: u32,
    kind: Kind,
    dead_band: Option<f64>,
    pub(crate) counters: FactCounters,
}

/// A fact's declared type, with an enum's domain as a range of the store's interned symbols.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Bool,
    Int,
    Float,
    Text,
    Enum { start: u32, end: u32 },
    Tuple(u32),
}

impl FactStore {
    pub(crate) fn new(program: &Program) -> FactStore {
        let mut domains = Vec::new();
        let meta = program
            .facts
            .iter()
            .map(|f| {
                let kind = match &f.ty {
                    ValueType::Bool => Kind::Bool,
                    ValueType::Int => Kind::Int,
                    ValueType::Float => Kind::Float,
                    ValueType::Text => Kind::Text,
                    ValueType::Tuple(n) => Kind::Tuple(*n as u32),
                    ValueType::Enum(domain) => {
                        let start = domains.len() as u32;
                        domains.extend(domain.iter().map(|name| Sym::new(name)));
                        Kind::Enum {
                            start,
                            end: domains.len() as u32,
                        }
                    }
                };
                FactMeta {
                    touched: 0,
                    pending: 0,
                    reported: 0,
                    kind,
                    dead_band: f.dead_band,
                    counters: FactCounters::default(),
                }
            })
            .collect();
        FactStore {
            values: program.facts.iter().map(|f| f.initial.clone()).collect(),
            meta,
            domains,
            touch_epoch: 1,
            first_writes: Vec::new(),
        }
    }

    /// Checks that `value` fits `fact` without writing it. Agrees with [`ValueType::admits`].
    #[inline]
    pub(crate) fn check(
        &self,
        program: &Program,
        fact: FactId,
        value: &Value,
    ) -> Result<(), WriteError> {
        let Some(meta) = self.meta.get(fact.index()) else {
            return Err(WriteError::UnknownFact(format!("#{}", fact.0)));
        };
        let admitted = match (meta.kind, value) {
            (Kind::Bool, Value::Bool(_))
            | (Kind::Int, Value::Int(_))
            | (Kind::Float, Value::Float(_))
            | (Kind::Text, Value::Text(_)) => true,
            (Kind::Enum { start, end }, Value::Symbol(s)) => {
                self.domains[start as usize..end as usize].contains(s)
            }
            (Kind::Tuple(n), Value::Tuple(items)) => items.len() == n as usize,
            _ => false,
        };
        if admitted {
            Ok(())
        } else {
            Err(Self::mismatch(program, fact, value))
        }
    }

    #[cold]
    fn mismatch(program: &Program, fact: FactId, value: &Value) -> WriteError {
        let def = program.fact(fact);
        WriteError::TypeMismatch {
            fact: def.name.clone(),
            expected: def.ty.to_string(),
            got: value.clone(),
        }
    }

    /// Writes a value that already passed [`FactStore::check`].
    #[inline(always)]
    pub(crate) fn write_checked(&mut self, fact: FactId, value: Value, writer: Writer) {
        let i = fact.index();
        let meta = &mut self.meta[i];
        let current = &mut self.values[i];
        meta.counters.writes += 1;
        let unchanged = match (meta.dead_band, &*current, &value) {
            (Some(band), Value::Float(old), Value::Float(new)) => (new - old).abs() < band,
            _ => current.same_as(&value),
        };
        if unchanged {
            meta.counters.noop_writes += 1;
            return;
        }
        if meta.touched != self.touch_epoch {
            meta.touched = self.touch_epoch;
            meta.pending = self.first_writes.len() as u32;
            let old = std::mem::replace(current, value);
            self.first_writes.push(PendingChange {
                fact,
                old,
                writer,
                rewritten: false,
            });
        } else {
            *current = value;
            self.first_writes[meta.pending as usize].rewritten = true;
        }
    }

    /// Writes a value after checking its type.
    pub(crate) fn write(
        &mut self,
        program: &Program,
        fact: FactId,
        value: Value,
        writer: Writer,
    ) -> Result<(), WriteError> {
        self.check(program, fact, &value)?;
        self.write_checked(fact, value, writer);
        Ok(())
    }

    /// Ends the phase: appends to `out` the facts whose value now differs from the value they
    /// had when the phase began, counting their notifications.
    pub(crate) fn finish_phase(&mut self, out: &mut Vec<Change>) {
        self.end_phase();
        for change in self.first_writes.drain(..) {
            let new = self.values[change.fact.index()].clone();
            out.push(Change {
                fact: change.fact,
                old: change.old,
                new,
                writer: change.writer,
            });
        }
    }

    /// Like [`FactStore::finish_phase`], without copying the new values: they stay in the
    /// store until the next phase, where [`PendingChange::to_change`] reads them if needed.
    /// `out` must be empty; the changes are handed over without being moved one by one.
    pub(crate) fn finish_phase_pending(&mut self, out: &mut Vec<PendingChange>) {
        debug_assert!(out.is_empty());
        self.end_phase();
        std::mem::swap(out, &mut self.first_writes);
    }

    /// Starts a new phase and keeps in `first_writes` only the facts whose value now differs
    /// from the value they had when the phase began, counting their notifications. A fact
    /// written once, outside any dead band, did change: only facts written again, or with a
    /// dead band, are compared.
    fn end_phase(&mut self) {
        self.touch_epoch = self.touch_epoch.wrapping_add(1);
        if self.touch_epoch == 0 {
            self.meta.iter_mut().for_each(|meta| meta.touched = 0);
            self.touch_epoch = 1;
        }
        let (values, meta) = (&self.values, &mut self.meta);
        self.first_writes.retain(|change| {
            let i = change.fact.index();
            let meta = &mut meta[i];
            let changed =
                !(change.rewritten || meta.dead_band.is_some()) || !change.old.same_as(&values[i]);
            if changed {
                meta.counters.notifications += 1;
            }
            changed
        });
    }

    /// The counters of every fact, by id.
    pub(crate) fn counters(&self) -> impl Iterator<Item = &FactCounters> {
        self.meta.iter().map(|meta| &meta.counters)
    }
}

/// A change of the phase that just ended, whose new value is the fact's current value.
/// Copying a text or tuple value costs an atomic reference-count update, so the engine copies
/// new values only for the changes that firings record.
#[derive(Clone, Debug)]
pub(crate) struct PendingChange {
    pub(crate) fact: FactId,
    pub(crate) old: Value,
    pub(crate) writer: Writer,
    /// Written again after the first write of its phase.
    rewritten: bool,
}

impl PendingChange {
    /// The change, valid until the store is written again.
    pub(crate) fn to_change(&self, store: &FactStore) -> Change {
        Change {
            fact: self.fact,
            old: self.old.clone(),
            new: store.values[self.fact.index()].clone(),
            writer: self.writer,
        }
    }
}

/// A line recorded by a `note` step or a native method, explaining what an action did.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// The rule whose action wrote it.
    pub rule: RuleId,
    /// The text.
    pub text: Arc<str>,
}

/// What a method sees: the current facts, and a way to write them.
pub struct ActionContext<'a> {
    pub(crate) program: &'a Program,
    pub(crate) store: &'a mut FactStore,
    pub(crate) rule: RuleId,
    pub(crate) notes: &'a mut Vec<Note>,
}

impl ActionContext<'_> {
    /// The fact's current value, including writes made earlier in this wave.
    pub fn get(&self, fact: FactId) -> &Value {
        &self.store.values[fact.index()]
    }

    /// The id of the fact called `name`.
    pub fn fact_id(&self, name: &str) -> Result<FactId, WriteError> {
        self.program
            .fact_id(name)
            .ok_or_else(|| WriteError::UnknownFact(name.to_owned()))
    }

    /// Writes a fact; readers are notified in the next wave.
    pub fn set(&mut self, fact: FactId, value: Value) -> Result<(), WriteError> {
        self.store
            .write(self.program, fact, value, Writer::Rule(self.rule))
    }

    /// Records an explanatory line for this firing.
    pub fn note(&mut self, text: &str) {
        self.notes.push(Note {
            rule: self.rule,
            text: Arc::from(text),
        });
    }

    /// The rule whose action is running.
    pub fn rule(&self) -> RuleId {
        self.rule
    }
}

/// Runs one method.
pub(crate) fn run_method(ctx: &mut ActionContext<'_>, body: &MethodBody) -> Result<(), WriteError> {
    match body {
        MethodBody::Steps(steps) => run_steps(ctx, steps),
        MethodBody::Native(f) => f(ctx),
    }
}

fn run_steps(ctx: &mut ActionContext<'_>, steps: &[StepDef]) -> Result<(), WriteError> {
    for step in steps {
        match step {
            StepDef::Set { fact, value } => {
                ctx.store
                    .write_checked(*fact, value.clone(), Writer::Rule(ctx.rule))
            }
            StepDef::Add {
                fact,
                by: Value::Int(by),
                min: None,
                max: None,
            } => {
                let Value::Int(current) = *ctx.get(*fact) else {
                    unreachable!("add steps are checked to be of the fact's numeric type")
                };
                let next = Value::Int(current.saturating_add(*by));
                ctx.store.write_checked(*fact, next, Writer::Rule(ctx.rule));
            }
            StepDef::Add { fact, by, min, max } => {
                let next = add_clamped(ctx.get(*fact), by, min.as_ref(), max.as_ref());
                ctx.store.write_checked(*fact, next, Writer::Rule(ctx.rule));
            }
            StepDef::When {
                fact,
                op,
                value,
                then,
            } => {
                if op.holds(ctx.get(*fact), value) {
                    run_steps(ctx, then)?;
                }
            }
            StepDef::Note(text) => ctx.notes.push(Note {
                rule: ctx.rule,
                text: text.clone(),
            }),
        }
    }
    Ok(())
}

/// `clamp(current + by, min, max)` in the fact's own numeric type. Integers saturate.
fn add_clamped(current: &Value, by: &Value, min: Option<&Value>, max: Option<&Value>) -> Value {
    let sum = match (current, by) {
        (Value::Int(a), Value::Int(b)) => Value::Int(a.saturating_add(*b)),
        (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
        _ => unreachable!("add steps are checked to be numeric when the rule set is compiled"),
    };
    let sum = match min {
        Some(low) if Op::Lt.holds(&sum, low) => low.clone(),
        _ => sum,
    };
    match max {
        Some(high) if Op::Gt.holds(&sum, high) => high.clone(),
        _ => sum,
    }
}
