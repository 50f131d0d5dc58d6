//! Rule sets as data: what a scenario file holds, and the Rust builder that writes the same
//! thing in code.
//!
//! A [`RuleSetSpec`] names everything by string. [`RuleSetSpec::compile`] checks it (unknown
//! facts, type mismatches, duplicate names) and turns it into a [`Program`](crate::Program) that
//! engines run. Because the builder and the JSON loader produce the same structure, a rule set
//! written in Rust can be saved as JSON, edited, and loaded back without a rebuild.

use serde::{Deserialize, Serialize};

use crate::value::{Literal, Op, ValueType};

/// A whole rule set: facts, FBEs with their methods, and rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetSpec {
    /// The facts, in declaration order.
    #[serde(default)]
    pub facts: Vec<FactSpec>,
    /// The FBEs: groups of facts and the methods that write them.
    #[serde(default)]
    pub fbes: Vec<FbeSpec>,
    /// The rules, in id order: rules that fire in the same wave act in this order.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

/// One fact: its name, type and initial value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    /// Unique name, such as `fbe_03_pump_speed`.
    pub name: String,
    /// Declared type; writes of another type are refused.
    #[serde(rename = "type")]
    pub ty: ValueType,
    /// Value before any write.
    pub initial: Literal,
    /// For float facts: a change smaller than this is not a change (the fact keeps its value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_band: Option<f64>,
    /// Unit, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// One-line description, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl FactSpec {
    /// A fact of type `ty` starting at `initial`.
    pub fn new(name: &str, ty: ValueType, initial: impl Into<Literal>) -> FactSpec {
        FactSpec {
            name: name.to_owned(),
            ty,
            initial: initial.into(),
            dead_band: None,
            unit: None,
            description: None,
        }
    }

    /// A boolean fact.
    pub fn bool(name: &str, initial: bool) -> FactSpec {
        FactSpec::new(name, ValueType::Bool, initial)
    }

    /// An integer fact.
    pub fn int(name: &str, initial: i64) -> FactSpec {
        FactSpec::new(name, ValueType::Int, initial)
    }

    /// A float fact.
    pub fn float(name: &str, initial: f64) -> FactSpec {
        FactSpec::new(name, ValueType::Float, initial)
    }

    /// An enum fact over `domain`.
    pub fn symbol(name: &str, domain: &[&str], initial: &str) -> FactSpec {
        let domain = domain.iter().map(|s| (*s).to_owned()).collect();
        FactSpec::new(name, ValueType::Enum(domain), initial)
    }

    /// Sets the dead band.
    pub fn dead_band(mut self, band: f64) -> FactSpec {
        self.dead_band = Some(band);
        self
    }

    /// Sets the unit.
    pub fn unit(mut self, unit: &str) -> FactSpec {
        self.unit = Some(unit.to_owned());
        self
    }

    /// Sets the description.
    pub fn describe(mut self, text: &str) -> FactSpec {
        self.description = Some(text.to_owned());
        self
    }
}

/// An FBE (fact base element): the facts of one piece of equipment and the methods that act on
/// it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FbeSpec {
    /// Unique name, such as `FBE_03`.
    pub name: String,
    /// Long description, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Names of the facts that belong to this FBE (a fact belongs to at most one).
    #[serde(default)]
    pub facts: Vec<String>,
    /// The methods rules may call, addressed as `FBE.method`.
    #[serde(default)]
    pub methods: Vec<MethodSpec>,
}

impl FbeSpec {
    /// An FBE without facts or methods.
    pub fn new(name: &str) -> FbeSpec {
        FbeSpec {
            name: name.to_owned(),
            description: None,
            facts: Vec::new(),
            methods: Vec::new(),
        }
    }

    /// Sets the description.
    pub fn describe(mut self, text: &str) -> FbeSpec {
        self.description = Some(text.to_owned());
        self
    }

    /// Adds facts by name.
    pub fn facts<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> FbeSpec {
        self.facts.extend(names.into_iter().map(str::to_owned));
        self
    }

    /// Adds a method made of data steps.
    pub fn method(mut self, name: &str, steps: impl IntoIterator<Item = Step>) -> FbeSpec {
        self.methods.push(MethodSpec {
            name: name.to_owned(),
            steps: steps.into_iter().collect(),
            native: false,
        });
        self
    }

    /// Adds a method whose body is Rust code, supplied at compile time under `FBE.method`.
    pub fn native_method(mut self, name: &str) -> FbeSpec {
        self.methods.push(MethodSpec {
            name: name.to_owned(),
            steps: Vec::new(),
            native: true,
        });
        self
    }
}

/// A method of an FBE: either data steps or a native Rust function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodSpec {
    /// Name, unique within the FBE.
    pub name: String,
    /// The steps, run in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Whether the body is a Rust function supplied when compiling.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub native: bool,
}

/// One step of a method. Exactly one of `set`, `add`, `when` or `note` is given.
///
/// * `{"set": "fact", "value": …}` writes a constant.
/// * `{"add": "fact", "by": …, "min": …, "max": …}` adds to a number and clamps the result.
/// * `{"when": {"fact": …, "op": …, "value": …}, "then": [steps]}` runs steps if a test holds.
/// * `{"note": "text"}` records a line that explains what the method did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Fact written by a `set` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    /// Constant written by a `set` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Literal>,
    /// Fact changed by an `add` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add: Option<String>,
    /// Amount added by an `add` step (negative to subtract).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Literal>,
    /// Lower clamp of an `add` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Literal>,
    /// Upper clamp of an `add` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Literal>,
    /// Test of a `when` step (a single comparison).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Box<Expr>>,
    /// Steps run when the test holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub then: Vec<Step>,
    /// Text of a `note` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Step {
    /// `fact := value`.
    pub fn set(fact: &str, value: impl Into<Literal>) -> Step {
        Step {
            set: Some(fact.to_owned()),
            value: Some(value.into()),
            ..Step::default()
        }
    }

    /// `fact := clamp(fact + by, min, max)`; either bound may be omitted with `None`.
    pub fn add(
        fact: &str,
        by: impl Into<Literal>,
        min: Option<Literal>,
        max: Option<Literal>,
    ) -> Step {
        Step {
            add: Some(fact.to_owned()),
            by: Some(by.into()),
            min,
            max,
            ..Step::default()
        }
    }

    /// Runs `then` only when the comparison `test` holds.
    pub fn when(test: Expr, then: impl IntoIterator<Item = Step>) -> Step {
        Step {
            when: Some(Box::new(test)),
            then: then.into_iter().collect(),
            ..Step::default()
        }
    }

    /// Records an explanatory line.
    pub fn note(text: &str) -> Step {
        Step {
            note: Some(text.to_owned()),
            ..Step::default()
        }
    }
}

/// How a rule reacts to its condition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// Fires on every notified change while the condition holds.
    #[default]
    Level,
    /// Fires only when the condition goes from false to true.
    Edge,
}

/// A rule: a condition and the methods it calls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Unique name, such as `R_07`.
    pub name: String,
    /// Short title, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Explanation, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The condition.
    pub when: Expr,
    /// Level (default) or edge triggering.
    #[serde(default, skip_serializing_if = "is_level")]
    pub trigger: Trigger,
    /// Whether the rule is evaluated when the engine starts, before any write.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub evaluate_at_start: bool,
    /// Methods called when the rule fires, as `FBE.method`, in order.
    pub then: Vec<String>,
}

fn is_level(trigger: &Trigger) -> bool {
    *trigger == Trigger::Level
}

impl RuleSpec {
    /// A level-triggered rule.
    pub fn new(name: &str, when: Expr) -> RuleSpec {
        RuleSpec {
            name: name.to_owned(),
            title: None,
            description: None,
            when,
            trigger: Trigger::Level,
            evaluate_at_start: false,
            then: Vec::new(),
        }
    }

    /// Makes the rule edge-triggered.
    pub fn edge(mut self) -> RuleSpec {
        self.trigger = Trigger::Edge;
        self
    }

    /// Asks for an evaluation at start.
    pub fn at_start(mut self) -> RuleSpec {
        self.evaluate_at_start = true;
        self
    }

    /// Sets the title and explanation.
    pub fn describe(mut self, title: &str, description: &str) -> RuleSpec {
        self.title = Some(title.to_owned());
        self.description = Some(description.to_owned());
        self
    }

    /// Appends methods to call, as `FBE.method`.
    pub fn then<'a>(mut self, methods: impl IntoIterator<Item = &'a str>) -> RuleSpec {
        self.then.extend(methods.into_iter().map(str::to_owned));
        self
    }
}

/// A condition: a premise, or an AND / OR of conditions. Exactly one form is given.
///
/// * `{"fact": "a", "op": ">", "value": 10}`: the fact against a constant.
/// * `{"fact": "a", "op": ">=", "other": "b"}`: the fact against another fact.
/// * `{"all": [...]}` / `{"any": [...]}`: AND / OR, nested freely.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expr {
    /// Left-hand fact of a premise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Operator of a premise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<Op>,
    /// Constant right-hand side of a premise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Literal>,
    /// Fact right-hand side of a premise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// AND of these conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Expr>>,
    /// OR of these conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Expr>>,
}

/// AND of conditions.
pub fn all(parts: impl IntoIterator<Item = Expr>) -> Expr {
    Expr {
        all: Some(parts.into_iter().collect()),
        ..Expr::default()
    }
}

/// OR of conditions.
pub fn any(parts: impl IntoIterator<Item = Expr>) -> Expr {
    Expr {
        any: Some(parts.into_iter().collect()),
        ..Expr::default()
    }
}

/// The left-hand side of a premise, to be completed by a comparison:
/// `fact("temp").gt(30)`, `fact("a").ge_fact("b")`.
pub fn fact(name: &str) -> FactRef {
    FactRef(name.to_owned())
}

/// A fact named in a premise under construction.
#[derive(Clone, Debug)]
pub struct FactRef(String);

macro_rules! comparisons {
    ($($const_name:ident $fact_name:ident $op:expr;)*) => {
        impl FactRef {
            $(
                #[doc = concat!("Premise: the fact `", stringify!($const_name), "` a constant.")]
                pub fn $const_name(self, value: impl Into<Literal>) -> Expr {
                    self.against_value($op, value.into())
                }

                #[doc = concat!("Premise: the fact `", stringify!($const_name), "` another fact.")]
                pub fn $fact_name(self, other: &str) -> Expr {
                    self.against_fact($op, other)
                }
            )*
        }
    };
}

comparisons! {
    eq eq_fact Op::Eq;
    ne ne_fact Op::Ne;
    lt lt_fact Op::Lt;
    le le_fact Op::Le;
    gt gt_fact Op::Gt;
    ge ge_fact Op::Ge;
}

impl FactRef {
    /// Premise: the fact compared with a constant by `op`.
    pub fn against_value(self, op: Op, value: Literal) -> Expr {
        Expr {
            fact: Some(self.0),
            op: Some(op),
            value: Some(value),
            ..Expr::default()
        }
    }

    /// Premise: the fact compared with another fact by `op`.
    pub fn against_fact(self, op: Op, other: &str) -> Expr {
        Expr {
            fact: Some(self.0),
            op: Some(op),
            other: Some(other.to_owned()),
            ..Expr::default()
        }
    }
}

impl RuleSetSpec {
    /// An empty rule set.
    pub fn new() -> RuleSetSpec {
        RuleSetSpec::default()
    }

    /// Adds a fact.
    pub fn fact(&mut self, fact: FactSpec) -> &mut RuleSetSpec {
        self.facts.push(fact);
        self
    }

    /// Adds an FBE.
    pub fn fbe(&mut self, fbe: FbeSpec) -> &mut RuleSetSpec {
        self.fbes.push(fbe);
        self
    }

    /// Adds a rule.
    pub fn rule(&mut self, rule: RuleSpec) -> &mut RuleSetSpec {
        self.rules.push(rule);
        self
    }

    /// Reads a rule set from JSON.
    pub fn from_json(text: &str) -> Result<RuleSetSpec, crate::SpecError> {
        serde_json::from_str(text).map_err(|e| crate::SpecError::Json(e.to_string()))
    }

    /// Writes the rule set as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a rule set always serialises")
    }
}
