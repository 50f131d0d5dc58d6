//! A reference evaluator with the engine's semantics and none of its machinery.
//!
//! After every wave it looks at every rule, asks whether any fact the rule reads changed in that
//! wave, and if so evaluates the rule's whole condition tree from the fact values. It keeps no
//! premise or condition state and no dependency index. It is slow on purpose: it is what the
//! differential tests and the benchmarks compare the [`Engine`](crate::Engine) against.

use crate::action::{run_method, ActionContext, Change, FactStore, Note, Writer};
use crate::engine::{EngineError, Firing};
use crate::program::{FactId, Node, Program, RuleId};
use crate::spec::Trigger;
use crate::value::Value;

/// The reference evaluator.
#[derive(Clone, Debug)]
pub struct NaiveEngine {
    program: Program,
    store: FactStore,
    last: Vec<bool>,
    max_waves: u32,
    firings: Vec<Firing>,
    notes: Vec<Note>,
}

impl NaiveEngine {
    /// An evaluator at the program's initial values.
    pub fn new(program: Program) -> NaiveEngine {
        let store = FactStore::new(&program);
        let last = vec![false; program.rules.len()];
        NaiveEngine {
            program,
            store,
            last,
            max_waves: crate::engine::DEFAULT_MAX_WAVES,
            firings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Sets the wave limit.
    pub fn set_max_waves(&mut self, waves: u32) {
        self.max_waves = waves.max(1);
    }

    /// The current values, by fact id.
    pub fn values(&self) -> &[Value] {
        &self.store.values
    }

    /// The firings of the last propagation.
    pub fn firings(&self) -> &[Firing] {
        &self.firings
    }

    /// The notes of the last propagation.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Applies writes made together and propagates, like [`Engine::apply`](crate::Engine::apply).
    pub fn apply(
        &mut self,
        writes: impl IntoIterator<Item = (FactId, Value)>,
    ) -> Result<(), EngineError> {
        let writes: Vec<(FactId, Value)> = writes.into_iter().collect();
        for (fact, value) in &writes {
            self.store.check(&self.program, *fact, value)?;
        }
        for (fact, value) in writes {
            self.store.write_checked(fact, value, Writer::External);
        }
        let mut changes = Vec::new();
        self.store.finish_phase(&mut changes);
        self.run(changes, false)
    }

    /// Evaluates the rules that ask for it at start, like [`Engine::start`](crate::Engine::start).
    pub fn start(&mut self) -> Result<(), EngineError> {
        self.run(Vec::new(), true)
    }

    fn run(&mut self, mut changes: Vec<Change>, mut at_start: bool) -> Result<(), EngineError> {
        self.firings.clear();
        self.notes.clear();
        let mut wave = 0;
        let mut recent: Vec<(u32, RuleId)> = Vec::new();
        while at_start || !changes.is_empty() {
            if wave == self.max_waves {
                let mut rules: Vec<RuleId> = recent
                    .iter()
                    .filter(|(w, _)| *w + 4 > wave)
                    .map(|(_, r)| *r)
                    .collect();
                rules.sort();
                rules.dedup();
                let rules = rules
                    .iter()
                    .map(|r| self.program.rule(*r).name.clone())
                    .collect();
                return Err(EngineError::Cascade { waves: wave, rules });
            }
            wave += 1;
            let mut fired = Vec::new();
            for (r, rule) in self.program.rules.iter().enumerate() {
                let trigger = changes.iter().find(|c| rule.reads.contains(&c.fact));
                let notified = trigger.is_some() || (at_start && rule.evaluate_at_start);
                if !notified {
                    continue;
                }
                let holds = self.holds(Node::Condition(rule.condition));
                let edge = rule.trigger == Trigger::Edge;
                let fire = holds && !(edge && self.last[r]);
                self.last[r] = holds;
                if fire {
                    let id = RuleId(r as u32);
                    fired.push(id);
                    recent.push((wave, id));
                    self.firings.push(Firing {
                        rule: id,
                        wave,
                        trigger: trigger.cloned(),
                    });
                }
            }
            at_start = false;
            for rule in fired {
                let mut ctx = ActionContext {
                    program: &self.program,
                    store: &mut self.store,
                    rule,
                    notes: &mut self.notes,
                };
                for method in &self.program.rule(rule).actions {
                    run_method(&mut ctx, &self.program.methods[method.index()].body)?;
                }
            }
            changes.clear();
            self.store.finish_phase(&mut changes);
        }
        Ok(())
    }

    fn holds(&self, node: Node) -> bool {
        match node {
            Node::Premise(p) => self
                .program
                .premise_holds(&self.program.premises[p.index()], &self.store.values),
            Node::Condition(c) => {
                let def = &self.program.conditions[c.index()];
                if def.all {
                    def.children.iter().all(|child| self.holds(*child))
                } else {
                    def.children.iter().any(|child| self.holds(*child))
                }
            }
        }
    }
}
