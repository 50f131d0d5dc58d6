//! Typed fact values, their types, and the comparisons premises make.
//!
//! Two notions of equality live here and they differ on purpose:
//!
//! * [`Value::same_as`] decides whether a write *changes* a fact. It is exact and type-sensitive:
//!   `Int(50)` and `Float(50.0)` are different, and floats are compared bit for bit.
//! * [`Op::holds`] is what a premise computes. Integers and floats compare numerically there, so a
//!   premise `pump > 50` works whether the pump is declared as an integer or a float.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::{Deserialize, Serialize};

/// The value a fact holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A boolean flag.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// A double-precision float.
    Float(f64),
    /// One symbol of an enumerated domain, such as `idle` or `in_transit`.
    Symbol(Sym),
    /// Free text.
    Text(Arc<str>),
    /// A small tuple, such as a position `(x, y)`.
    Tuple(Arc<[Value]>),
}

impl Value {
    /// A symbol value.
    pub fn symbol(name: &str) -> Value {
        Value::Symbol(Sym::new(name))
    }

    /// A text value.
    pub fn text(text: &str) -> Value {
        Value::Text(Arc::from(text))
    }

    /// A tuple value.
    pub fn tuple(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Tuple(items.into_iter().collect())
    }

    /// Whether a write of `other` over `self` leaves the fact unchanged: exact and
    /// type-sensitive, floats compared bit for bit.
    #[inline]
    pub fn same_as(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Symbol(a), Value::Symbol(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            _ => self.same_as_other_kinds(other),
        }
    }

    /// [`Value::same_as`] for text, tuples and values of different kinds.
    #[inline(never)]
    fn same_as_other_kinds(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same_as(y))
            }
            _ => false,
        }
    }

    /// The value as a float, for integers and floats.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The value as an integer, for integers only.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The value as a boolean, for booleans only.
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The symbol's name, for symbols only.
    pub fn as_symbol(&self) -> Option<&'static str> {
        match self {
            Value::Symbol(s) => Some(s.name()),
            _ => None,
        }
    }

    /// The name of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Symbol(_) => "symbol",
            Value::Text(_) => "text",
            Value::Tuple(_) => "tuple",
        }
    }

    /// Orders two values of comparable kinds: numbers numerically, booleans with false first,
    /// symbols and text by their characters, tuples element by element. `None` for values of
    /// kinds that cannot be compared, and for NaN.
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
            (Value::Symbol(a), Value::Symbol(b)) => Some(a.cmp(b)),
            (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
            (Value::Tuple(a), Value::Tuple(b)) => {
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.compare(y)? {
                        Ordering::Equal => continue,
                        unequal => return Some(unequal),
                    }
                }
                Some(a.len().cmp(&b.len()))
            }
            _ => {
                let (a, b) = (self.as_f64()?, other.as_f64()?);
                a.partial_cmp(&b)
            }
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Symbol(s) => f.write_str(s.name()),
            Value::Text(s) => f.write_str(s),
            Value::Tuple(items) => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(x) => serializer.serialize_f64(*x),
            Value::Symbol(s) => serializer.serialize_str(s.name()),
            Value::Text(s) => serializer.serialize_str(s),
            Value::Tuple(items) => items.serialize(serializer),
        }
    }
}

/// A symbol name interned once per process: copying, dropping and testing two symbols for
/// equality cost what they cost for an integer, and the name is read without a lookup.
///
/// Each distinct name is allocated once, on first use, and never freed; every [`Sym`] of that
/// name points at the same characters, so two symbols are equal exactly when their pointers
/// are. Symbols order by their names.
///
/// Limitation: interned names live until the process ends, so a program that builds symbols
/// from an unbounded set of names (say, user input) keeps every one of them. A per-program
/// table of names would lift this, at the price of symbols that need their program to print.
#[derive(Clone, Copy)]
pub struct Sym(&'static str);

impl Sym {
    /// The symbol called `name`, interned on first use.
    pub fn new(name: &str) -> Sym {
        static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let mut names = NAMES
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(&interned) = names.get(name) {
            return Sym(interned);
        }
        let interned: &'static str = Box::leak(Box::from(name));
        names.insert(interned);
        Sym(interned)
    }

    /// The symbol's name.
    #[inline]
    pub fn name(self) -> &'static str {
        self.0
    }
}

impl PartialEq for Sym {
    #[inline]
    fn eq(&self, other: &Sym) -> bool {
        std::ptr::eq(self.0.as_ptr(), other.0.as_ptr())
    }
}

impl Eq for Sym {}

impl Hash for Sym {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.as_ptr().hash(state);
    }
}

impl PartialOrd for Sym {
    fn partial_cmp(&self, other: &Sym) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Sym {
    fn cmp(&self, other: &Sym) -> Ordering {
        if self == other {
            Ordering::Equal
        } else {
            self.0.cmp(other.0)
        }
    }
}

impl Deref for Sym {
    type Target = str;

    fn deref(&self) -> &str {
        self.0
    }
}

impl fmt::Debug for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

impl fmt::Display for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Sym {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Value::Float(x)
    }
}

/// The declared type of a fact. Writes of any other type are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// `true` or `false`.
    Bool,
    /// A signed integer.
    Int,
    /// A float.
    Float,
    /// Free text.
    Text,
    /// One symbol of the listed domain.
    Enum(Vec<String>),
    /// A tuple of exactly this many items.
    Tuple(usize),
}

impl ValueType {
    /// Whether `value` may be stored in a fact of this type.
    pub fn admits(&self, value: &Value) -> bool {
        match (self, value) {
            (ValueType::Bool, Value::Bool(_))
            | (ValueType::Int, Value::Int(_))
            | (ValueType::Float, Value::Float(_))
            | (ValueType::Text, Value::Text(_)) => true,
            (ValueType::Enum(domain), Value::Symbol(s)) => domain.iter().any(|d| d == s.name()),
            (ValueType::Tuple(n), Value::Tuple(items)) => items.len() == *n,
            _ => false,
        }
    }

    /// Whether values of this type are numbers.
    pub fn is_numeric(&self) -> bool {
        matches!(self, ValueType::Int | ValueType::Float)
    }

    /// Whether a premise may compare a value of this type with one of `other` using `op`.
    pub fn comparable_with(&self, other: &ValueType, op: Op) -> bool {
        if self.is_numeric() && other.is_numeric() {
            return true;
        }
        match (self, other) {
            (ValueType::Enum(_), ValueType::Enum(_)) => op.is_equality(),
            (ValueType::Bool, ValueType::Bool) => op.is_equality(),
            (ValueType::Text, ValueType::Text) => true,
            (ValueType::Tuple(a), ValueType::Tuple(b)) => a == b,
            _ => false,
        }
    }

    /// Turns a literal from a rule set into a value of this type, if it fits. Integer literals
    /// are accepted for float facts; nothing else is converted.
    pub fn value_of(&self, literal: &Literal) -> Option<Value> {
        let value = match (self, literal) {
            (ValueType::Bool, Literal::Bool(b)) => Value::Bool(*b),
            (ValueType::Int, Literal::Int(i)) => Value::Int(*i),
            (ValueType::Float, Literal::Int(i)) => Value::Float(*i as f64),
            (ValueType::Float, Literal::Float(x)) => Value::Float(*x),
            (ValueType::Text, Literal::Text(s)) => Value::text(s),
            (ValueType::Enum(_), Literal::Text(s)) => Value::symbol(s),
            (ValueType::Tuple(_), Literal::List(items)) => {
                Value::tuple(items.iter().map(Literal::to_untyped_value))
            }
            _ => return None,
        };
        self.admits(&value).then_some(value)
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueType::Bool => f.write_str("bool"),
            ValueType::Int => f.write_str("int"),
            ValueType::Float => f.write_str("float"),
            ValueType::Text => f.write_str("text"),
            ValueType::Enum(domain) => write!(f, "enum {{{}}}", domain.join(", ")),
            ValueType::Tuple(n) => write!(f, "tuple of {n}"),
        }
    }
}

/// A constant as written in a rule set, before it is checked against a fact's type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A number without a fractional part.
    Int(i64),
    /// A number with a fractional part.
    Float(f64),
    /// A string: a symbol of an enum fact, or text.
    Text(String),
    /// A list: a tuple.
    List(Vec<Literal>),
}

impl Literal {
    fn to_untyped_value(&self) -> Value {
        match self {
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Int(i) => Value::Int(*i),
            Literal::Float(x) => Value::Float(*x),
            Literal::Text(s) => Value::text(s),
            Literal::List(items) => Value::tuple(items.iter().map(Literal::to_untyped_value)),
        }
    }

    /// The literal that writes `value` back, for saving a rule set.
    pub fn of(value: &Value) -> Literal {
        match value {
            Value::Bool(b) => Literal::Bool(*b),
            Value::Int(i) => Literal::Int(*i),
            Value::Float(x) => Literal::Float(*x),
            Value::Symbol(s) => Literal::Text(s.name().to_owned()),
            Value::Text(s) => Literal::Text(s.to_string()),
            Value::Tuple(items) => Literal::List(items.iter().map(Literal::of).collect()),
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Float(x) => write!(f, "{x}"),
            Literal::Text(s) => write!(f, "{s:?}"),
            Literal::List(items) => {
                let parts: Vec<String> = items.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

impl From<bool> for Literal {
    fn from(b: bool) -> Literal {
        Literal::Bool(b)
    }
}

impl From<i64> for Literal {
    fn from(i: i64) -> Literal {
        Literal::Int(i)
    }
}

impl From<i32> for Literal {
    fn from(i: i32) -> Literal {
        Literal::Int(i64::from(i))
    }
}

impl From<f64> for Literal {
    fn from(x: f64) -> Literal {
        Literal::Float(x)
    }
}

impl From<&str> for Literal {
    fn from(s: &str) -> Literal {
        Literal::Text(s.to_owned())
    }
}

impl<T: Into<Literal>, U: Into<Literal>> From<(T, U)> for Literal {
    fn from((a, b): (T, U)) -> Literal {
        Literal::List(vec![a.into(), b.into()])
    }
}

/// A comparison operator of a premise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    /// Equal.
    #[serde(rename = "=", alias = "==")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=", alias = "≠")]
    Ne,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "<=", alias = "≤")]
    Le,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = ">=", alias = "≥")]
    Ge,
}

impl Op {
    /// Whether the operator only tests equality (the only tests allowed on booleans and
    /// symbols).
    pub fn is_equality(self) -> bool {
        matches!(self, Op::Eq | Op::Ne)
    }

    /// Whether `left op right` holds. Values that cannot be ordered (NaN) make every test but
    /// `!=` false.
    #[inline]
    pub fn holds(self, left: &Value, right: &Value) -> bool {
        if self.is_equality() {
            if let Some(equal) = equal_of_same_kind(left, right) {
                return equal == (self == Op::Eq);
            }
        }
        self.holds_by_order(left, right)
    }

    /// [`Op::holds`] for the pairs that [`equal_of_same_kind`] does not decide.
    #[inline(never)]
    fn holds_by_order(self, left: &Value, right: &Value) -> bool {
        match left.compare(right) {
            Some(order) => match self {
                Op::Eq => order == Ordering::Equal,
                Op::Ne => order != Ordering::Equal,
                Op::Lt => order == Ordering::Less,
                Op::Le => order != Ordering::Greater,
                Op::Gt => order == Ordering::Greater,
                Op::Ge => order != Ordering::Less,
            },
            None => self == Op::Ne,
        }
    }

    /// The operator as written in rule sets.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// Whether two values of the same kind are equal, answered without ordering them: two symbols
/// are equal when their ids are. `None` for the pairs whose equality [`Value::compare`] must
/// decide (numbers of mixed kinds, floats, tuples).
#[inline(always)]
fn equal_of_same_kind(left: &Value, right: &Value) -> Option<bool> {
    match (left, right) {
        (Value::Bool(a), Value::Bool(b)) => Some(a == b),
        (Value::Int(a), Value::Int(b)) => Some(a == b),
        (Value::Symbol(a), Value::Symbol(b)) => Some(a == b),
        (Value::Text(a), Value::Text(b)) => Some(a == b),
        _ => None,
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_detection_is_type_sensitive() {
        assert!(!Value::Int(50).same_as(&Value::Float(50.0)));
        assert!(Value::Float(0.1).same_as(&Value::Float(0.1)));
        assert!(Value::Float(f64::NAN).same_as(&Value::Float(f64::NAN)));
        assert!(!Value::Float(0.0).same_as(&Value::Float(-0.0)));
    }

    #[test]
    fn premises_compare_integers_and_floats_numerically() {
        assert!(Op::Eq.holds(&Value::Int(1), &Value::Float(1.0)));
        assert!(Op::Lt.holds(&Value::Int(5), &Value::Float(5.2)));
        assert!(!Op::Gt.holds(&Value::Float(f64::NAN), &Value::Int(0)));
        assert!(Op::Ne.holds(&Value::Float(f64::NAN), &Value::Int(0)));
    }

    #[test]
    fn equality_premises_agree_with_ordering_for_every_kind() {
        let values = [
            Value::Bool(true),
            Value::Bool(false),
            Value::Int(3),
            Value::Float(3.0),
            Value::Float(f64::NAN),
            Value::symbol("red"),
            Value::symbol("green"),
            Value::symbol("gre"),
            Value::text("red"),
            Value::tuple([Value::Int(3)]),
        ];
        for a in &values {
            for b in &values {
                let equal = a.compare(b) == Some(Ordering::Equal);
                assert_eq!(Op::Eq.holds(a, b), equal, "{a:?} = {b:?}");
                assert_eq!(Op::Ne.holds(a, b), !equal, "{a:?} != {b:?}");
            }
        }
    }

    #[test]
    fn symbols_of_one_name_are_one_symbol() {
        let name = String::from("in_transit");
        assert_eq!(Sym::new(&name), Sym::new("in_transit"));
        assert_ne!(Sym::new("in_transit"), Sym::new("idle"));
        assert_eq!(Value::symbol(&name).as_symbol(), Some("in_transit"));
        assert_eq!(Value::symbol("").as_symbol(), Some(""));
        assert_ne!(Sym::new(""), Sym::new("idle"));
    }

    #[test]
    fn symbols_order_and_print_by_name() {
        let (idle, fault) = (Value::symbol("idle"), Value::symbol("fault"));
        assert_eq!(idle.compare(&fault), Some(Ordering::Greater));
        assert_eq!(idle.compare(&idle.clone()), Some(Ordering::Equal));
        assert_eq!(idle.to_string(), "idle");
        assert_eq!(format!("{idle:?}"), r#"Symbol("idle")"#);
        assert_eq!(serde_json::to_string(&idle).unwrap(), r#""idle""#);
        assert_eq!(Literal::of(&idle), Literal::from("idle"));
    }

    #[test]
    fn enum_types_admit_only_their_domain() {
        let ty = ValueType::Enum(vec!["on".into(), "off".into()]);
        assert!(ty.admits(&Value::symbol("on")));
        assert!(!ty.admits(&Value::symbol("maybe")));
        assert_eq!(ty.value_of(&Literal::from("maybe")), None);
    }

    #[test]
    fn float_facts_accept_integer_literals() {
        assert_eq!(
            ValueType::Float.value_of(&Literal::Int(3)),
            Some(Value::Float(3.0))
        );
        assert_eq!(ValueType::Int.value_of(&Literal::Float(3.0)), None);
    }
}
