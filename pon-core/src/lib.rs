//! A Notification Oriented Paradigm (NOP) rules engine.
//!
//! Facts hold typed values. Premises compare a fact with a constant or with another fact.
//! Conditions combine premises with AND / OR. Rules pair a condition with methods that write
//! facts; FBEs group the facts and methods of one piece of equipment. A write notifies only
//! when it changes a fact, and only the premises that read that fact; through them only the
//! conditions and rules that depend on them are touched. No operation scans all rules.
//!
//! Rule sets are written with the builder of [`spec`] or loaded from JSON, then compiled into a
//! [`Program`] and run by an [`Engine`]:
//!
//! ```
//! use pon_core::spec::{all, fact, FactSpec, FbeSpec, RuleSpec, Step};
//! use pon_core::{Engine, RuleSetSpec, Value};
//!
//! let mut spec = RuleSetSpec::new();
//! spec.fact(FactSpec::bool("armed", false))
//!     .fact(FactSpec::bool("sensor", false))
//!     .fact(FactSpec::bool("siren", false))
//!     .fbe(FbeSpec::new("Alarm").facts(["armed", "sensor", "siren"])
//!         .method("sound", [Step::set("siren", true)]))
//!     .rule(RuleSpec::new("R_alarm", all([fact("armed").eq(true), fact("sensor").eq(true)]))
//!         .then(["Alarm.sound"]));
//!
//! let mut engine = Engine::new(spec.compile().unwrap());
//! engine.write_named("armed", Value::Bool(true)).unwrap();
//! engine.write_named("sensor", Value::Bool(true)).unwrap();
//! assert_eq!(engine.get("siren"), Some(&Value::Bool(true)));
//! ```
//!
//! The semantics (batches, waves, level and edge triggering, cascade limit) are described on
//! [`engine`]; [`naive::NaiveEngine`] implements the same semantics by brute force and serves as
//! the reference in tests and benchmarks.

pub mod action;
pub mod engine;
pub mod naive;
pub mod program;
pub mod spec;
pub mod value;

pub use action::{ActionContext, Change, FactCounters, Note, WriteError, Writer};
pub use engine::{
    ConditionCounters, Engine, EngineError, Explanation, Firing, PremiseCounters, PremiseSeen,
    Propagation, RuleCounters, Totals,
};
pub use program::{
    ConditionId, FactId, FbeId, MethodId, NativeMethod, PremiseId, Program, RuleId, SpecError,
};
pub use spec::RuleSetSpec;
pub use value::{Literal, Op, Sym, Value, ValueType};
