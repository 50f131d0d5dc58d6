//! A checked rule set: facts, premises, conditions, rules and methods resolved to indices.
//!
//! A [`Program`] is what both the notification [`Engine`](crate::Engine) and the reference
//! [`NaiveEngine`](crate::naive::NaiveEngine) run. Compiling shares identical premises between
//! rules (a NOP premise is a shared entity) and orders conditions so that children come before
//! their parents.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::action::ActionContext;
use crate::spec::{Expr, RuleSetSpec, Step, Trigger};
use crate::value::{Literal, Op, Value, ValueType};
use crate::WriteError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into the program's tables.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index of a fact.
    FactId
);
id_type!(
    /// Index of a premise.
    PremiseId
);
id_type!(
    /// Index of a condition.
    ConditionId
);
id_type!(
    /// Index of a rule; rules firing in one wave act in increasing id order.
    RuleId
);
id_type!(
    /// Index of a method.
    MethodId
);
id_type!(
    /// Index of an FBE.
    FbeId
);

/// A method body written in Rust.
pub type NativeMethod = Arc<dyn Fn(&mut ActionContext<'_>) -> Result<(), WriteError> + Send + Sync>;

/// A checked fact.
#[derive(Clone, Debug)]
pub struct FactDef {
    /// Name.
    pub name: String,
    /// Declared type.
    pub ty: ValueType,
    /// Initial value.
    pub initial: Value,
    /// Dead band of a float fact.
    pub dead_band: Option<f64>,
    /// The FBE the fact belongs to.
    pub fbe: Option<FbeId>,
    /// Unit.
    pub unit: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// The right-hand side of a premise.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A constant.
    Value(Value),
    /// Another fact.
    Fact(FactId),
}

/// A checked premise: `fact op operand`.
#[derive(Clone, Debug, PartialEq)]
pub struct PremiseDef {
    /// The fact on the left.
    pub fact: FactId,
    /// The comparison.
    pub op: Op,
    /// The constant or fact on the right.
    pub operand: Operand,
}

/// A child of a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// A premise.
    Premise(PremiseId),
    /// A nested condition.
    Condition(ConditionId),
}

/// A checked condition: AND or OR of its children.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionDef {
    /// `true` for AND, `false` for OR.
    pub all: bool,
    /// Children, each listed once.
    pub children: Vec<Node>,
}

/// A checked rule.
#[derive(Clone, Debug)]
pub struct RuleDef {
    /// Name.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// Explanation.
    pub description: Option<String>,
    /// The root condition.
    pub condition: ConditionId,
    /// Level or edge.
    pub trigger: Trigger,
    /// Whether the rule is evaluated at start.
    pub evaluate_at_start: bool,
    /// Methods to call, in order.
    pub actions: Vec<MethodId>,
    /// The premises under the condition, each once, in first-seen order.
    pub premises: Vec<PremiseId>,
    /// The facts those premises read, each once, in first-seen order.
    pub reads: Vec<FactId>,
}

/// A checked method step.
#[derive(Clone, Debug)]
pub enum StepDef {
    /// `fact := value`.
    Set { fact: FactId, value: Value },
    /// `fact := clamp(fact + by, min, max)`, all of the fact's numeric type.
    Add {
        fact: FactId,
        by: Value,
        min: Option<Value>,
        max: Option<Value>,
    },
    /// Run `then` when `fact op value` holds.
    When {
        fact: FactId,
        op: Op,
        value: Value,
        then: Vec<StepDef>,
    },
    /// Record an explanatory line.
    Note(Arc<str>),
}

/// A method body.
#[derive(Clone)]
pub enum MethodBody {
    /// Data steps.
    Steps(Vec<StepDef>),
    /// Rust code.
    Native(NativeMethod),
}

impl fmt::Debug for MethodBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MethodBody::Steps(steps) => f.debug_tuple("Steps").field(steps).finish(),
            MethodBody::Native(_) => f.write_str("Native(..)"),
        }
    }
}

/// A checked method.
#[derive(Clone, Debug)]
pub struct MethodDef {
    /// `FBE.method`.
    pub name: String,
    /// The FBE it belongs to.
    pub fbe: FbeId,
    /// Its body.
    pub body: MethodBody,
}

/// A checked FBE.
#[derive(Clone, Debug)]
pub struct FbeDef {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Its facts.
    pub facts: Vec<FactId>,
    /// Its methods.
    pub methods: Vec<MethodId>,
}

/// A rule set that passed every check, ready to run.
#[derive(Clone, Debug)]
pub struct Program {
    /// Facts by id.
    pub facts: Vec<FactDef>,
    /// FBEs by id.
    pub fbes: Vec<FbeDef>,
    /// Methods by id.
    pub methods: Vec<MethodDef>,
    /// Premises by id (identical premises are shared).
    pub premises: Vec<PremiseDef>,
    /// Conditions by id; a condition's children always have smaller ids.
    pub conditions: Vec<ConditionDef>,
    /// Rules by id.
    pub rules: Vec<RuleDef>,
    /// The spec it was compiled from.
    pub spec: RuleSetSpec,
    fact_index: HashMap<String, FactId>,
    rule_index: HashMap<String, RuleId>,
}

/// Why a rule set was refused. Every variant names the offending item.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecError {
    /// The JSON could not be read.
    Json(String),
    /// Two items of one kind share a name.
    Duplicate { kind: &'static str, name: String },
    /// A name refers to no declared fact.
    UnknownFact { name: String, context: String },
    /// A rule calls a method that no FBE declares.
    UnknownMethod { name: String, rule: String },
    /// A value does not fit the fact's type, or two types cannot be compared.
    TypeMismatch { context: String, detail: String },
    /// Something is missing or given twice in one item.
    Malformed { context: String, detail: String },
    /// A native method was declared but no body was supplied, or the reverse.
    Native { name: String, detail: String },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::Json(e) => write!(f, "the rule set is not valid JSON: {e}"),
            SpecError::Duplicate { kind, name } => write!(f, "duplicate {kind} id `{name}`"),
            SpecError::UnknownFact { name, context } => {
                write!(f, "unknown fact `{name}` in {context}")
            }
            SpecError::UnknownMethod { name, rule } => {
                write!(f, "unknown method `{name}` called by rule `{rule}`")
            }
            SpecError::TypeMismatch { context, detail } => {
                write!(f, "type mismatch in {context}: {detail}")
            }
            SpecError::Malformed { context, detail } => write!(f, "{context}: {detail}"),
            SpecError::Native { name, detail } => write!(f, "native method `{name}`: {detail}"),
        }
    }
}

impl std::error::Error for SpecError {}

impl RuleSetSpec {
    /// Checks the rule set and compiles it. Fails if it declares a native method.
    pub fn compile(&self) -> Result<Program, SpecError> {
        self.compile_with(HashMap::new())
    }

    /// Checks the rule set and compiles it, with the bodies of its native methods keyed by
    /// `FBE.method`.
    pub fn compile_with(
        &self,
        mut natives: HashMap<String, NativeMethod>,
    ) -> Result<Program, SpecError> {
        let mut compiler = Compiler::default();
        compiler.facts(self)?;
        compiler.fbes(self, &mut natives)?;
        if let Some(name) = natives.keys().next() {
            return Err(SpecError::Native {
                name: name.clone(),
                detail: "a body was supplied but no FBE declares this native method".into(),
            });
        }
        for rule in &self.rules {
            compiler.rule(rule)?;
        }
        let Compiler {
            facts,
            fact_index,
            fbes,
            methods,
            method_index,
            premises,
            conditions,
            rules,
            rule_index,
            ..
        } = compiler;
        drop(method_index);
        Ok(Program {
            facts,
            fbes,
            methods,
            premises,
            conditions,
            rules,
            spec: self.clone(),
            fact_index,
            rule_index,
        })
    }
}

#[derive(Default)]
struct Compiler {
    facts: Vec<FactDef>,
    fact_index: HashMap<String, FactId>,
    fbes: Vec<FbeDef>,
    methods: Vec<MethodDef>,
    method_index: HashMap<String, MethodId>,
    premises: Vec<PremiseDef>,
    premise_index: HashMap<(FactId, Op, String), PremiseId>,
    conditions: Vec<ConditionDef>,
    rules: Vec<RuleDef>,
    rule_index: HashMap<String, RuleId>,
}

impl Compiler {
    fn facts(&mut self, spec: &RuleSetSpec) -> Result<(), SpecError> {
        for fact in &spec.facts {
            let context = format!("the initial value of fact `{}`", fact.name);
            let initial =
                fact.ty
                    .value_of(&fact.initial)
                    .ok_or_else(|| SpecError::TypeMismatch {
                        context,
                        detail: format!("{} is not a {}", fact.initial, fact.ty),
                    })?;
            if fact.dead_band.is_some() && fact.ty != ValueType::Float {
                return Err(SpecError::Malformed {
                    context: format!("fact `{}`", fact.name),
                    detail: "only float facts may have a dead band".into(),
                });
            }
            if let ValueType::Enum(domain) = &fact.ty {
                if domain.is_empty() {
                    return Err(SpecError::Malformed {
                        context: format!("fact `{}`", fact.name),
                        detail: "an enum needs at least one symbol".into(),
                    });
                }
            }
            let id = FactId(self.facts.len() as u32);
            if self.fact_index.insert(fact.name.clone(), id).is_some() {
                return Err(SpecError::Duplicate {
                    kind: "fact",
                    name: fact.name.clone(),
                });
            }
            self.facts.push(FactDef {
                name: fact.name.clone(),
                ty: fact.ty.clone(),
                initial,
                dead_band: fact.dead_band,
                fbe: None,
                unit: fact.unit.clone(),
                description: fact.description.clone(),
            });
        }
        Ok(())
    }

    fn fact(&self, name: &str, context: impl FnOnce() -> String) -> Result<FactId, SpecError> {
        self.fact_index
            .get(name)
            .copied()
            .ok_or_else(|| SpecError::UnknownFact {
                name: name.to_owned(),
                context: context(),
            })
    }

    fn fbes(
        &mut self,
        spec: &RuleSetSpec,
        natives: &mut HashMap<String, NativeMethod>,
    ) -> Result<(), SpecError> {
        let mut names = HashMap::new();
        for fbe in &spec.fbes {
            if names.insert(fbe.name.clone(), ()).is_some() {
                return Err(SpecError::Duplicate {
                    kind: "FBE",
                    name: fbe.name.clone(),
                });
            }
            let fbe_id = FbeId(self.fbes.len() as u32);
            let mut facts = Vec::new();
            for name in &fbe.facts {
                let id = self.fact(name, || format!("FBE `{}`", fbe.name))?;
                let def = &mut self.facts[id.index()];
                if let Some(owner) = def.fbe {
                    return Err(SpecError::Malformed {
                        context: format!("FBE `{}`", fbe.name),
                        detail: format!(
                            "fact `{name}` already belongs to FBE `{}`",
                            self.fbes[owner.index()].name
                        ),
                    });
                }
                def.fbe = Some(fbe_id);
                facts.push(id);
            }
            let mut methods = Vec::new();
            for method in &fbe.methods {
                let name = format!("{}.{}", fbe.name, method.name);
                let body = if method.native {
                    if !method.steps.is_empty() {
                        return Err(SpecError::Native {
                            name,
                            detail: "a native method has no data steps".into(),
                        });
                    }
                    let body = natives.remove(&name).ok_or_else(|| SpecError::Native {
                        name: name.clone(),
                        detail: "no body was supplied when compiling".into(),
                    })?;
                    MethodBody::Native(body)
                } else {
                    let context = format!("method `{name}`");
                    MethodBody::Steps(self.steps(&method.steps, &context)?)
                };
                let id = MethodId(self.methods.len() as u32);
                if self.method_index.insert(name.clone(), id).is_some() {
                    return Err(SpecError::Duplicate {
                        kind: "method",
                        name,
                    });
                }
                self.methods.push(MethodDef {
                    name,
                    fbe: fbe_id,
                    body,
                });
                methods.push(id);
            }
            self.fbes.push(FbeDef {
                name: fbe.name.clone(),
                description: fbe.description.clone(),
                facts,
                methods,
            });
        }
        Ok(())
    }

    fn steps(&self, steps: &[Step], context: &str) -> Result<Vec<StepDef>, SpecError> {
        steps.iter().map(|step| self.step(step, context)).collect()
    }

    fn step(&self, step: &Step, context: &str) -> Result<StepDef, SpecError> {
        let malformed = |detail: &str| SpecError::Malformed {
            context: context.to_owned(),
            detail: detail.to_owned(),
        };
        let forms = [
            step.set.is_some(),
            step.add.is_some(),
            step.when.is_some(),
            step.note.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() != 1 {
            return Err(malformed(
                "each step needs exactly one of `set`, `add`, `when`, `note`",
            ));
        }
        let typed = |fact: FactId, literal: &Literal, what: &str| {
            let def = &self.facts[fact.index()];
            def.ty
                .value_of(literal)
                .ok_or_else(|| SpecError::TypeMismatch {
                    context: context.to_owned(),
                    detail: format!(
                        "{what} {literal} does not fit fact `{}` of type {}",
                        def.name, def.ty
                    ),
                })
        };
        if let Some(name) = &step.set {
            let fact = self.fact(name, || context.to_owned())?;
            let literal = step
                .value
                .as_ref()
                .ok_or_else(|| malformed("`set` needs a `value`"))?;
            return Ok(StepDef::Set {
                fact,
                value: typed(fact, literal, "value")?,
            });
        }
        if let Some(name) = &step.add {
            let fact = self.fact(name, || context.to_owned())?;
            if !self.facts[fact.index()].ty.is_numeric() {
                return Err(SpecError::TypeMismatch {
                    context: context.to_owned(),
                    detail: format!(
                        "`add` needs a number but fact `{name}` is {}",
                        self.facts[fact.index()].ty
                    ),
                });
            }
            let by = step
                .by
                .as_ref()
                .ok_or_else(|| malformed("`add` needs `by`"))?;
            let by = typed(fact, by, "amount")?;
            let min = step
                .min
                .as_ref()
                .map(|m| typed(fact, m, "minimum"))
                .transpose()?;
            let max = step
                .max
                .as_ref()
                .map(|m| typed(fact, m, "maximum"))
                .transpose()?;
            return Ok(StepDef::Add { fact, by, min, max });
        }
        if let Some(test) = &step.when {
            let premise = self.premise_parts(test, context)?;
            let Operand::Value(value) = premise.operand else {
                return Err(malformed("a `when` step compares a fact with a constant"));
            };
            let then = self.steps(&step.then, context)?;
            return Ok(StepDef::When {
                fact: premise.fact,
                op: premise.op,
                value,
                then,
            });
        }
        let text = step.note.as_deref().unwrap_or_default();
        Ok(StepDef::Note(Arc::from(text)))
    }

    fn premise_parts(&self, expr: &Expr, context: &str) -> Result<PremiseDef, SpecError> {
        let malformed = |detail: String| SpecError::Malformed {
            context: context.to_owned(),
            detail,
        };
        if expr.all.is_some() || expr.any.is_some() {
            return Err(malformed("a premise cannot also be `all` / `any`".into()));
        }
        let name = expr
            .fact
            .as_ref()
            .ok_or_else(|| malformed("a premise needs a `fact`".into()))?;
        let fact = self.fact(name, || context.to_owned())?;
        let op = expr
            .op
            .ok_or_else(|| malformed(format!("the premise on `{name}` needs an `op`")))?;
        let left_ty = &self.facts[fact.index()].ty;
        let operand = match (&expr.value, &expr.other) {
            (Some(literal), None) => {
                let value = left_ty.value_of(literal).or_else(|| {
                    // A float constant against an integer fact compares numerically.
                    matches!((left_ty, literal), (ValueType::Int, Literal::Float(_)))
                        .then(|| ValueType::Float.value_of(literal))
                        .flatten()
                });
                let value = value.ok_or_else(|| SpecError::TypeMismatch {
                    context: context.to_owned(),
                    detail: format!("`{name}` is {left_ty} and cannot be compared with {literal}"),
                })?;
                if !left_ty.is_numeric()
                    && !op.is_equality()
                    && matches!(left_ty, ValueType::Bool | ValueType::Enum(_))
                {
                    return Err(SpecError::TypeMismatch {
                        context: context.to_owned(),
                        detail: format!("`{name}` is {left_ty}: only = and != apply"),
                    });
                }
                Operand::Value(value)
            }
            (None, Some(other)) => {
                let other_id = self.fact(other, || context.to_owned())?;
                let right_ty = &self.facts[other_id.index()].ty;
                if !left_ty.comparable_with(right_ty, op) {
                    return Err(SpecError::TypeMismatch {
                        context: context.to_owned(),
                        detail: format!(
                            "`{name}` ({left_ty}) cannot be compared with `{other}` ({right_ty}) by {op}"
                        ),
                    });
                }
                Operand::Fact(other_id)
            }
            _ => {
                return Err(malformed(format!(
                    "the premise on `{name}` needs exactly one of `value` or `other`"
                )))
            }
        };
        Ok(PremiseDef { fact, op, operand })
    }

    fn rule(&mut self, rule: &RuleSpec) -> Result<(), SpecError> {
        if self.rule_index.contains_key(&rule.name) {
            return Err(SpecError::Duplicate {
                kind: "rule",
                name: rule.name.clone(),
            });
        }
        let context = format!("rule `{}`", rule.name);
        let root = match self.expr(&rule.when, &context, 0)? {
            Node::Condition(c) => c,
            premise => self.condition(true, vec![premise]),
        };
        let mut actions = Vec::new();
        for name in &rule.then {
            let id =
                self.method_index
                    .get(name)
                    .copied()
                    .ok_or_else(|| SpecError::UnknownMethod {
                        name: name.clone(),
                        rule: rule.name.clone(),
                    })?;
            actions.push(id);
        }
        let mut premises = Vec::new();
        self.collect_premises(Node::Condition(root), &mut premises);
        let mut reads = Vec::new();
        for p in &premises {
            let def = &self.premises[p.index()];
            let mut push = |f: FactId| {
                if !reads.contains(&f) {
                    reads.push(f);
                }
            };
            push(def.fact);
            if let Operand::Fact(other) = def.operand {
                push(other);
            }
        }
        let id = RuleId(self.rules.len() as u32);
        self.rule_index.insert(rule.name.clone(), id);
        self.rules.push(RuleDef {
            name: rule.name.clone(),
            title: rule.title.clone(),
            description: rule.description.clone(),
            condition: root,
            trigger: rule.trigger,
            evaluate_at_start: rule.evaluate_at_start,
            actions,
            premises,
            reads,
        });
        Ok(())
    }

    fn expr(&mut self, expr: &Expr, context: &str, depth: usize) -> Result<Node, SpecError> {
        const MAX_DEPTH: usize = 64;
        if depth > MAX_DEPTH {
            return Err(SpecError::Malformed {
                context: context.to_owned(),
                detail: format!("conditions nest deeper than {MAX_DEPTH} levels"),
            });
        }
        let (all, parts) = match (&expr.all, &expr.any) {
            (Some(parts), None) => (true, parts),
            (None, Some(parts)) => (false, parts),
            (None, None) => {
                let premise = self.premise_parts(expr, context)?;
                return Ok(Node::Premise(self.intern_premise(premise)));
            }
            (Some(_), Some(_)) => {
                return Err(SpecError::Malformed {
                    context: context.to_owned(),
                    detail: "a condition is either `all` or `any`, not both".into(),
                })
            }
        };
        if parts.is_empty() || expr.fact.is_some() || expr.op.is_some() {
            return Err(SpecError::Malformed {
                context: context.to_owned(),
                detail: "`all` / `any` need at least one part and no premise fields".into(),
            });
        }
        let mut children = Vec::with_capacity(parts.len());
        for part in parts {
            let child = self.expr(part, context, depth + 1)?;
            if !children.contains(&child) {
                children.push(child);
            }
        }
        Ok(Node::Condition(self.condition(all, children)))
    }

    fn intern_premise(&mut self, premise: PremiseDef) -> PremiseId {
        let operand_key = match &premise.operand {
            Operand::Value(v) => format!("v{}:{v:?}", v.kind()),
            Operand::Fact(f) => format!("f{}", f.0),
        };
        let key = (premise.fact, premise.op, operand_key);
        if let Some(id) = self.premise_index.get(&key) {
            return *id;
        }
        let id = PremiseId(self.premises.len() as u32);
        self.premises.push(premise);
        self.premise_index.insert(key, id);
        id
    }

    fn condition(&mut self, all: bool, children: Vec<Node>) -> ConditionId {
        let id = ConditionId(self.conditions.len() as u32);
        self.conditions.push(ConditionDef { all, children });
        id
    }

    fn collect_premises(&self, node: Node, out: &mut Vec<PremiseId>) {
        match node {
            Node::Premise(p) => {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            Node::Condition(c) => {
                for child in &self.conditions[c.index()].children {
                    self.collect_premises(*child, out);
                }
            }
        }
    }
}

use crate::spec::RuleSpec;

impl Program {
    /// The id of the fact called `name`.
    pub fn fact_id(&self, name: &str) -> Option<FactId> {
        self.fact_index.get(name).copied()
    }

    /// The id of the rule called `name`.
    pub fn rule_id(&self, name: &str) -> Option<RuleId> {
        self.rule_index.get(name).copied()
    }

    /// The fact's definition.
    pub fn fact(&self, id: FactId) -> &FactDef {
        &self.facts[id.index()]
    }

    /// The rule's definition.
    pub fn rule(&self, id: RuleId) -> &RuleDef {
        &self.rules[id.index()]
    }

    /// Evaluates a premise on the given fact values.
    #[inline]
    pub fn premise_holds(&self, premise: &PremiseDef, values: &[Value]) -> bool {
        let left = &values[premise.fact.index()];
        match &premise.operand {
            Operand::Value(v) => premise.op.holds(left, v),
            Operand::Fact(f) => premise.op.holds(left, &values[f.index()]),
        }
    }

    /// The condition written out, for explanations: `a > 1 AND (b = on OR c < d)`.
    pub fn describe_condition(&self, id: ConditionId) -> String {
        self.describe_node(Node::Condition(id), true)
    }

    /// A premise written out: `fbe_03_pump_speed > 50`.
    pub fn describe_premise(&self, id: PremiseId) -> String {
        let premise = &self.premises[id.index()];
        let right = match &premise.operand {
            Operand::Value(v) => v.to_string(),
            Operand::Fact(f) => self.facts[f.index()].name.clone(),
        };
        format!(
            "{} {} {}",
            self.facts[premise.fact.index()].name,
            premise.op,
            right
        )
    }

    fn describe_node(&self, node: Node, top: bool) -> String {
        match node {
            Node::Premise(p) => self.describe_premise(p),
            Node::Condition(c) => {
                let def = &self.conditions[c.index()];
                let joiner = if def.all { " AND " } else { " OR " };
                let parts: Vec<String> = def
                    .children
                    .iter()
                    .map(|child| self.describe_node(*child, false))
                    .collect();
                if top || parts.len() == 1 {
                    parts.join(joiner)
                } else {
                    format!("({})", parts.join(joiner))
                }
            }
        }
    }
}
