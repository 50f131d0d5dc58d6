//! Differential property test: the notification engine against the naive evaluator.
//!
//! Random rule sets (dozens of facts of three types, premises against constants and against
//! other facts, conditions nested up to depth 3, level and edge rules, some evaluated at
//! start) receive random batches of writes. After every batch both must report the same
//! outcome, the same firings with the same triggers in the same order, the same notes and the
//! same fact values.

use pon_core::naive::NaiveEngine;
use pon_core::spec::{all, any as any_of, fact, Expr, FactSpec, FbeSpec, RuleSpec, Step};
use pon_core::{Engine, FactId, Literal, Op, RuleSetSpec, Value};
use proptest::collection::vec;
use proptest::prelude::*;

const SYMBOLS: [&str; 3] = ["idle", "busy", "fault"];
const MAX_WAVES: u32 = 24;

#[derive(Clone, Copy, Debug)]
enum Kind {
    Int,
    Bool,
    Symbol,
}

#[derive(Clone, Debug)]
enum GenExpr {
    Premise {
        fact: usize,
        op: u8,
        other: Option<usize>,
        constant: u8,
    },
    All(Vec<GenExpr>),
    Any(Vec<GenExpr>),
}

#[derive(Clone, Debug)]
struct GenStep {
    fact: usize,
    kind: u8,
    amount: u8,
}

#[derive(Clone, Debug)]
struct GenRule {
    when: GenExpr,
    edge: bool,
    at_start: bool,
    steps: Vec<GenStep>,
}

#[derive(Clone, Debug)]
struct Case {
    facts: Vec<(Kind, u8)>,
    rules: Vec<GenRule>,
    batches: Vec<Vec<(usize, u8)>>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Int), Just(Kind::Bool), Just(Kind::Symbol)]
}

fn expr() -> impl Strategy<Value = GenExpr> {
    let leaf = (
        any::<usize>(),
        any::<u8>(),
        proptest::option::weighted(0.25, any::<usize>()),
        any::<u8>(),
    )
        .prop_map(|(fact, op, other, constant)| GenExpr::Premise {
            fact,
            op,
            other,
            constant,
        });
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 1..4).prop_map(GenExpr::All),
            vec(inner, 1..4).prop_map(GenExpr::Any),
        ]
    })
}

fn rule() -> impl Strategy<Value = GenRule> {
    let step = (any::<usize>(), any::<u8>(), any::<u8>())
        .prop_map(|(fact, kind, amount)| GenStep { fact, kind, amount });
    (
        expr(),
        proptest::bool::weighted(0.3),
        proptest::bool::weighted(0.1),
        vec(step, 0..4),
    )
        .prop_map(|(when, edge, at_start, steps)| GenRule {
            when,
            edge,
            at_start,
            steps,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        vec((kind(), any::<u8>()), 12..40),
        vec(rule(), 1..30),
        vec(vec((any::<usize>(), any::<u8>()), 1..4), 1..25),
    )
        .prop_map(|(facts, rules, batches)| Case {
            facts,
            rules,
            batches,
        })
}

fn name(i: usize) -> String {
    format!("f{i:02}")
}

fn literal(kind: Kind, raw: u8) -> Literal {
    match kind {
        Kind::Int => Literal::Int(i64::from(raw % 10)),
        Kind::Bool => Literal::Bool(raw.is_multiple_of(2)),
        Kind::Symbol => Literal::from(SYMBOLS[usize::from(raw) % SYMBOLS.len()]),
    }
}

fn value(kind: Kind, raw: u8) -> Value {
    match kind {
        Kind::Int => Value::Int(i64::from(raw % 10)),
        Kind::Bool => Value::Bool(raw.is_multiple_of(2)),
        Kind::Symbol => Value::symbol(SYMBOLS[usize::from(raw) % SYMBOLS.len()]),
    }
}

fn to_expr(g: &GenExpr, facts: &[(Kind, u8)]) -> Expr {
    match g {
        GenExpr::Premise {
            fact: f,
            op,
            other,
            constant,
        } => {
            let f = f % facts.len();
            let k = facts[f].0;
            let ops = [Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge];
            let op = match k {
                Kind::Int => ops[usize::from(*op) % 6],
                _ => ops[usize::from(*op) % 2],
            };
            let same_kind = other
                .map(|o| o % facts.len())
                .filter(|o| std::mem::discriminant(&facts[*o].0) == std::mem::discriminant(&k));
            match same_kind {
                Some(o) => fact(&name(f)).against_fact(op, &name(o)),
                None => fact(&name(f)).against_value(op, literal(k, *constant)),
            }
        }
        GenExpr::All(parts) => all(parts.iter().map(|p| to_expr(p, facts))),
        GenExpr::Any(parts) => any_of(parts.iter().map(|p| to_expr(p, facts))),
    }
}

fn to_step(g: &GenStep, facts: &[(Kind, u8)]) -> Step {
    let f = g.fact % facts.len();
    let n = name(f);
    match facts[f].0 {
        Kind::Int if g.kind % 2 == 1 => {
            let by = if g.amount.is_multiple_of(2) {
                1 + i64::from(g.amount % 3)
            } else {
                -1 - i64::from(g.amount % 3)
            };
            Step::add(&n, by, Some(Literal::Int(0)), Some(Literal::Int(9)))
        }
        k if g.kind % 5 == 4 => Step::when(
            fact(&n).against_value(Op::Eq, literal(k, g.amount)),
            [Step::note(&format!("{n} matched"))],
        ),
        k => Step::set(&n, literal(k, g.amount)),
    }
}

fn build(case: &Case) -> RuleSetSpec {
    let mut spec = RuleSetSpec::new();
    let mut fbe = FbeSpec::new("Plant");
    for (i, (k, raw)) in case.facts.iter().enumerate() {
        let ty = match k {
            Kind::Int => pon_core::ValueType::Int,
            Kind::Bool => pon_core::ValueType::Bool,
            Kind::Symbol => pon_core::ValueType::Enum(SYMBOLS.map(String::from).to_vec()),
        };
        spec.fact(FactSpec::new(&name(i), ty, literal(*k, *raw)));
        fbe = fbe.facts([name(i).as_str()]);
    }
    for (r, rule) in case.rules.iter().enumerate() {
        fbe = fbe.method(
            &format!("m{r}"),
            rule.steps.iter().map(|s| to_step(s, &case.facts)),
        );
    }
    spec.fbe(fbe);
    for (r, rule) in case.rules.iter().enumerate() {
        let mut spec_rule = RuleSpec::new(&format!("R{r:02}"), to_expr(&rule.when, &case.facts))
            .then([format!("Plant.m{r}").as_str()]);
        if rule.edge {
            spec_rule = spec_rule.edge();
        }
        if rule.at_start {
            spec_rule = spec_rule.at_start();
        }
        spec.rule(spec_rule);
    }
    spec
}

fn same_values(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let program = build(case).compile().expect("generated rule sets compile");
    let mut engine = Engine::new(program.clone());
    let mut naive = NaiveEngine::new(program);
    engine.set_max_waves(MAX_WAVES);
    naive.set_max_waves(MAX_WAVES);

    let a = engine.start().map(|_| ());
    let b = naive.start();
    prop_assert_eq!(a, b);
    prop_assert_eq!(engine.firings(), naive.firings());
    prop_assert!(same_values(engine.values(), naive.values()));

    for batch in &case.batches {
        let writes: Vec<(FactId, Value)> = batch
            .iter()
            .map(|(f, raw)| {
                let f = f % case.facts.len();
                (FactId(f as u32), value(case.facts[f].0, *raw))
            })
            .collect();
        let a = engine.apply(writes.clone()).map(|_| ());
        let b = naive.apply(writes);
        prop_assert_eq!(a, b);
        prop_assert_eq!(engine.firings(), naive.firings());
        prop_assert_eq!(engine.notes(), naive.notes());
        prop_assert!(same_values(engine.values(), naive.values()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(3000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn engine_matches_the_naive_evaluator(case in case()) {
        check(&case)?;
    }
}

#[test]
fn the_generator_produces_firings_and_cascade_errors() {
    // Guards the property test against a generator that never exercises anything: over a fixed
    // sample of cases, rules must fire and some cascades must hit the wave limit.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let (mut firings, mut cascades, mut edges) = (0, 0, 0);
    for _ in 0..300 {
        let case = case().new_tree(&mut runner).unwrap().current();
        let mut engine = Engine::new(build(&case).compile().unwrap());
        engine.set_max_waves(MAX_WAVES);
        edges += case.rules.iter().filter(|r| r.edge).count();
        for batch in &case.batches {
            let writes = batch.iter().map(|(f, raw)| {
                let f = f % case.facts.len();
                (FactId(f as u32), value(case.facts[f].0, *raw))
            });
            match engine.apply(writes) {
                Ok(p) => firings += p.firings,
                Err(_) => cascades += 1,
            }
        }
    }
    assert!(firings > 1_000, "only {firings} firings");
    assert!(cascades > 0, "no cascade reached the wave limit");
    assert!(edges > 100);
}
