//! The Diagrams view: the process pipeline, the NOP graph of rules and FBEs, and the fine graph
//! of one rule (facts → premises → conditions → rule → methods → facts), laid out in the page
//! and drawn as SVG whose live parts (values, status, lit rules, true premises) are signals.

use std::collections::BTreeSet;

use leptos::prelude::*;
use pon_core::program::{MethodBody, Node, Operand, StepDef};
use pon_core::Program;
use twin::catalog::{FACTS, FBES};
use twin::rules::RULES;

use crate::clock::now_ms;
use crate::format;
use crate::graph_layout::{lay_out, EdgeSpec, Layout, NodeSpec};
use crate::store::Store;

/// Nodes in reading order (top to bottom, then left to right), which is the order the
/// keyboard visits them in.
fn reading_order(nodes: &[crate::graph_layout::NodeBox]) -> Vec<&crate::graph_layout::NodeBox> {
    let mut sorted: Vec<_> = nodes.iter().collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    sorted
}

/// The arrowhead attributes of an edge path: at its end, or at its start when the layout drew
/// the path backwards.
fn arrow_markers(reversed: bool) -> (Option<&'static str>, Option<&'static str>) {
    if reversed {
        (Some("url(#arrowhead)"), None)
    } else {
        (None, Some("url(#arrowhead)"))
    }
}

/// Material flows between the process stages: (from FBE, to FBE, what flows). The two
/// fermenters work in parallel, a batch apart.
pub const PIPELINE_FLOWS: [(usize, usize, &str); 14] = [
    (0, 1, "grain"),
    (1, 2, "mash"),
    (2, 3, "sweet wort"),
    (3, 4, "hot wort"),
    (4, 5, "cold wort"),
    (4, 6, "cold wort"),
    (5, 7, "beer"),
    (6, 7, "beer"),
    (7, 9, "pallets"),
    (8, 1, "CIP"),
    (8, 5, "CIP"),
    (10, 0, "power"),
    (10, 8, "power"),
    (10, 9, "charging"),
];

/// A diagram's layout and the time it took.
#[derive(Clone, Debug)]
struct Drawing {
    layout: Layout,
    layout_ms: f64,
}

fn timed(nodes: &[NodeSpec], edges: &[EdgeSpec], left_to_right: bool) -> Drawing {
    let start = now_ms();
    let layout = lay_out(nodes, edges, left_to_right);
    Drawing {
        layout,
        layout_ms: now_ms() - start,
    }
}

fn pipeline_drawing() -> Drawing {
    let nodes: Vec<NodeSpec> = FBES
        .iter()
        .map(|f| NodeSpec {
            id: f.id.to_owned(),
            size: (170.0, 52.0),
        })
        .collect();
    let edges: Vec<EdgeSpec> = PIPELINE_FLOWS
        .iter()
        .enumerate()
        .map(|(i, (a, b, _))| EdgeSpec {
            id: format!("flow-{i}"),
            from: FBES[*a].id.to_owned(),
            to: FBES[*b].id.to_owned(),
        })
        .collect();
    timed(&nodes, &edges, false)
}

/// The NOP graph's edges: (id, from, to, kind).
fn nop_edges() -> Vec<(String, String, String, &'static str)> {
    let mut edges = Vec::new();
    for rule in &RULES {
        for fbe in rule.watches {
            let id = format!("watch-{}-{}", FBES[*fbe].id, rule.id);
            edges.push((id, FBES[*fbe].id.to_owned(), rule.id.to_owned(), "watches"));
        }
        for fbe in rule.acts_on {
            let id = format!("act-{}-{}", rule.id, FBES[*fbe].id);
            edges.push((id, rule.id.to_owned(), FBES[*fbe].id.to_owned(), "acts-on"));
        }
    }
    edges
}

fn nop_drawing() -> Drawing {
    let mut nodes: Vec<NodeSpec> = FBES
        .iter()
        .map(|f| NodeSpec {
            id: f.id.to_owned(),
            size: (180.0, 40.0),
        })
        .collect();
    nodes.extend(RULES.iter().map(|r| NodeSpec {
        id: r.id.to_owned(),
        size: (64.0, 32.0),
    }));
    let edges: Vec<EdgeSpec> = nop_edges()
        .into_iter()
        .map(|(id, from, to, _)| EdgeSpec { id, from, to })
        .collect();
    timed(&nodes, &edges, true)
}

/// What a node of the fine graph stands for.
#[derive(Clone, Debug, PartialEq)]
enum FineKind {
    /// A fact the rule reads (fact index).
    Reads(usize),
    /// A premise (premise index).
    Premise(usize),
    /// A condition (condition index).
    Condition(usize),
    /// The rule.
    Rule,
    /// A method (method index).
    Method(usize),
    /// A fact the methods write (fact index).
    Writes(usize),
}

#[derive(Clone, Debug)]
struct FineGraph {
    nodes: Vec<(String, FineKind)>,
    drawing: Drawing,
}

fn written_facts(steps: &[StepDef], out: &mut BTreeSet<usize>) {
    for step in steps {
        match step {
            StepDef::Set { fact, .. } | StepDef::Add { fact, .. } => {
                out.insert(fact.index());
            }
            StepDef::When { then, .. } => written_facts(then, out),
            StepDef::Note(_) => {}
        }
    }
}

fn fine_graph(program: &Program, rule: usize) -> FineGraph {
    let def = &program.rules[rule];
    let mut nodes: Vec<(String, FineKind)> = Vec::new();
    let mut edges: Vec<EdgeSpec> = Vec::new();
    let mut edge = |from: &str, to: &str| {
        let id = format!("{from}>{to}");
        edges.push(EdgeSpec {
            id,
            from: from.to_owned(),
            to: to.to_owned(),
        });
    };

    for fact in &def.reads {
        nodes.push((
            format!("read-{}", fact.index()),
            FineKind::Reads(fact.index()),
        ));
    }
    let mut conditions = Vec::new();
    let mut stack = vec![def.condition];
    while let Some(c) = stack.pop() {
        conditions.push(c);
        for child in &program.conditions[c.index()].children {
            match child {
                Node::Condition(k) => {
                    stack.push(*k);
                    edge(
                        &format!("cond-{}", k.index()),
                        &format!("cond-{}", c.index()),
                    );
                }
                Node::Premise(p) => edge(
                    &format!("prem-{}", p.index()),
                    &format!("cond-{}", c.index()),
                ),
            }
        }
    }
    for p in &def.premises {
        let premise = &program.premises[p.index()];
        nodes.push((format!("prem-{}", p.index()), FineKind::Premise(p.index())));
        edge(
            &format!("read-{}", premise.fact.index()),
            &format!("prem-{}", p.index()),
        );
        if let Operand::Fact(other) = premise.operand {
            edge(
                &format!("read-{}", other.index()),
                &format!("prem-{}", p.index()),
            );
        }
    }
    for c in &conditions {
        nodes.push((
            format!("cond-{}", c.index()),
            FineKind::Condition(c.index()),
        ));
    }
    nodes.push(("rule".to_owned(), FineKind::Rule));
    edge(&format!("cond-{}", def.condition.index()), "rule");
    let mut written = BTreeSet::new();
    for m in &def.actions {
        nodes.push((format!("method-{}", m.index()), FineKind::Method(m.index())));
        edge("rule", &format!("method-{}", m.index()));
        let mut facts = BTreeSet::new();
        if let MethodBody::Steps(steps) = &program.methods[m.index()].body {
            written_facts(steps, &mut facts);
        }
        for f in &facts {
            edge(&format!("method-{}", m.index()), &format!("write-{f}"));
        }
        written.extend(facts);
    }
    for f in written {
        nodes.push((format!("write-{f}"), FineKind::Writes(f)));
    }

    let specs: Vec<NodeSpec> = nodes
        .iter()
        .map(|(id, kind)| {
            let size = match kind {
                FineKind::Reads(_) | FineKind::Writes(_) => (200.0, 40.0),
                FineKind::Premise(_) => (230.0, 30.0),
                FineKind::Condition(_) => (60.0, 30.0),
                FineKind::Rule => (80.0, 34.0),
                FineKind::Method(_) => (220.0, 30.0),
            };
            NodeSpec {
                id: id.clone(),
                size,
            }
        })
        .collect();
    FineGraph {
        drawing: timed(&specs, &edges, false),
        nodes,
    }
}

/// What the details panel describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    Fbe(usize),
    Rule(usize),
}

/// The Diagrams view.
#[component]
pub fn DiagramsView() -> impl IntoView {
    let program = StoredValue::new(twin::rules::rule_set().compile().expect("valid rule set"));
    let pipeline = pipeline_drawing();
    let nop = nop_drawing();
    let focus = RwSignal::new(None::<Focus>);
    let selected_rule = RwSignal::new(None::<usize>);
    let fine = move || {
        selected_rule
            .get()
            .map(|r| program.with_value(|p| fine_graph(p, r)))
    };
    // Bring the fine graph into view when a rule is chosen.
    let fine_ref = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |previous: Option<Option<usize>>| {
        let rule = selected_rule.get();
        if previous.is_some() && rule.is_some() {
            if let Some(section) = fine_ref.get_untracked() {
                section.scroll_into_view();
            }
        }
        rule
    });

    view! {
        <div class="diagrams">
            <div class="diagram-row">
            <section class="diagram-card" aria-label="Process pipeline">
                <h3>"Process pipeline"</h3>
                <p class="diagram-caption" data-layout-ms=format!("{:.1}", pipeline.layout_ms)>
                    {format!(
                        "The eleven stages in process order with their material flows; each shows its key fact. Laid out in {:.1} ms.",
                        pipeline.layout_ms,
                    )}
                </p>
                <PipelineSvg drawing=pipeline focus=focus />
            </section>
            <section class="diagram-card" aria-label="NOP graph">
                <h3>"NOP graph: rules and equipment"</h3>
                <p class="diagram-caption" data-layout-ms=format!("{:.1}", nop.layout_ms)>
                    {format!(
                        "Dashed: a rule watches facts of the equipment. Solid: it acts on it. A rule lights up for a second when it fires; click one for its fine graph. Laid out in {:.1} ms.",
                        nop.layout_ms,
                    )}
                </p>
                <NopSvg drawing=nop focus=focus selected_rule=selected_rule />
            </section>
            </div>
            <DetailsPanel focus=focus />
            <section class="diagram-card" aria-label="Fine graph of a rule" node_ref=fine_ref>
                <h3>"Fine graph of one rule"</h3>
                <label>
                    "Rule "
                    <select
                        aria-label="Rule for the fine graph"
                        prop:value=move || selected_rule.get().map(|r| RULES[r].id).unwrap_or("")
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            let rule = RULES.iter().position(|r| r.id == id);
                            selected_rule.set(rule);
                            focus.set(rule.map(Focus::Rule));
                        }
                    >
                        <option value="">"Choose a rule"</option>
                        {RULES
                            .iter()
                            .map(|r| view! { <option value=r.id>{format!("{} {}", r.id, r.title)}</option> })
                            .collect_view()}
                    </select>
                </label>
                {move || {
                    fine()
                        .map(|graph| {
                            let r = selected_rule.get_untracked().unwrap_or(0);
                            view! { <FineSvg graph=graph rule=r program=program /> }
                        })
                }}
            </section>
        </div>
    }
}

fn edge_marker_defs() -> impl IntoView {
    view! {
        <defs>
            <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
            </marker>
        </defs>
    }
}

#[component]
fn PipelineSvg(drawing: Drawing, focus: RwSignal<Option<Focus>>) -> impl IntoView {
    let store = expect_context::<Store>();
    let layout = drawing.layout;
    let view_box = format!("0 0 {:.0} {:.0}", layout.width, layout.height);
    view! {
        <svg class="diagram pipeline" viewBox=view_box width=format!("{:.0}", layout.width) role="group" aria-label="Process pipeline diagram">
            {edge_marker_defs()}
            {layout
                .edges
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let (from, to, label) = PIPELINE_FLOWS[i];
                    let (a, b) = (&layout.nodes[from], &layout.nodes[to]);
                    // Horizontal, beside the middle of the straight line between the two boxes.
                    let x = (a.x + a.width / 2.0 + b.x + b.width / 2.0) / 2.0 + 4.0;
                    let y = (a.y + a.height + b.y) / 2.0 + 4.0;
                    view! {
                        <g class="edge" data-edge="flow" data-flow=label>
                            <path d=e.d.clone() marker-start=arrow_markers(e.reversed).0 marker-end=arrow_markers(e.reversed).1 />
                            <text class="edge-label" x=x y=y>{label}</text>
                            <title>{format!("{label}: {} → {}", FBES[from].name, FBES[to].name)}</title>
                        </g>
                    }
                })
                .collect_view()}
            {layout
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let tile = store.tiles[i];
                    let fbe = &FBES[i];
                    let (cx, top) = (n.x + n.width / 2.0, n.y);
                    view! {
                        <g
                            class=move || format!("node stage status-{}", tile.status.get().name())
                            data-node="stage"
                            data-fbe-node=fbe.id
                            tabindex="0"
                            on:mouseenter=move |_| focus.set(Some(Focus::Fbe(i)))
                            on:focus=move |_| focus.set(Some(Focus::Fbe(i)))
                            on:click=move |_| focus.set(Some(Focus::Fbe(i)))
                        >
                            <rect x=n.x y=n.y width=n.width height=n.height rx="3" />
                            <text x=cx y=top + 19.0 class="node-title">{format!("{} {}", fbe.id, fbe.name)}</text>
                            <text x=cx y=top + 39.0 class="node-value">{move || tile.value.get()}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[component]
fn NopSvg(
    drawing: Drawing,
    focus: RwSignal<Option<Focus>>,
    selected_rule: RwSignal<Option<usize>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let layout = drawing.layout;
    let kinds = nop_edges();
    let view_box = format!("0 0 {:.0} {:.0}", layout.width, layout.height);
    view! {
        <svg class="diagram nop" viewBox=view_box width=format!("{:.0}", layout.width) role="group" aria-label="NOP graph of rules and equipment">
            {edge_marker_defs()}
            {layout
                .edges
                .iter()
                .map(|e| {
                    let (_, from, to, kind) = kinds.iter().find(|k| k.0 == e.id).cloned().expect("every edge is known");
                    let rule_id = if kind == "watches" { to.clone() } else { from.clone() };
                    let rule = RULES.iter().position(|r| r.id == rule_id).unwrap_or(0);
                    let lit = store.rules[rule].lit;
                    let text = if kind == "watches" { format!("{rule_id} watches {from}") } else { format!("{rule_id} acts on {to}") };
                    // A rule that watches and acts on the same equipment has two edges on one
                    // route: draw them side by side.
                    let paired = kinds.iter().any(|k| k.1 == to && k.2 == from);
                    let shift = match (paired, kind) {
                        (false, _) => None,
                        (true, "watches") => Some("translate(0,-5)"),
                        (true, _) => Some("translate(0,5)"),
                    };
                    view! {
                        <g class=format!("edge {kind}") class:lit=move || lit.get() data-edge=kind data-edge-rule=rule_id.clone() transform=shift>
                            <path d=e.d.clone() marker-start=arrow_markers(e.reversed).0 marker-end=arrow_markers(e.reversed).1 />
                            <title>{text}</title>
                        </g>
                    }
                })
                .collect_view()}
            {reading_order(&layout.nodes)
                .into_iter()
                .map(|n| {
                    let (cx, cy) = (n.x + n.width / 2.0, n.y + n.height / 2.0 + 5.0);
                    if let Some(i) = FBES.iter().position(|f| f.id == n.id) {
                        let tile = store.tiles[i];
                        view! {
                            <g
                                class=move || format!("node fbe status-{}", tile.status.get().name())
                                data-node="fbe"
                                data-fbe-node=FBES[i].id
                                tabindex="0"
                                on:mouseenter=move |_| focus.set(Some(Focus::Fbe(i)))
                                on:focus=move |_| focus.set(Some(Focus::Fbe(i)))
                            >
                                <rect x=n.x y=n.y width=n.width height=n.height rx="3" />
                                <text x=cx y=cy class="node-title">{format!("{} {}", FBES[i].id, FBES[i].name)}</text>
                            </g>
                        }
                        .into_any()
                    } else {
                        let r = RULES.iter().position(|r| r.id == n.id).unwrap_or(0);
                        let signals = store.rules[r];
                        view! {
                            <g
                                class="node rule"
                                class:lit=move || signals.lit.get()
                                class:selected=move || selected_rule.get() == Some(r)
                                data-node="rule"
                                data-rule-node=RULES[r].id
                                tabindex="0"
                                role="button"
                                aria-label=format!("{} {}: show its fine graph and explanation", RULES[r].id, RULES[r].title)
                                on:mouseenter=move |_| focus.set(Some(Focus::Rule(r)))
                                on:focus=move |_| focus.set(Some(Focus::Rule(r)))
                                on:click=move |_| {
                                    focus.set(Some(Focus::Rule(r)));
                                    selected_rule.set(Some(r));
                                }
                                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                    if ev.key() == "Enter" || ev.key() == " " {
                                        ev.prevent_default();
                                        focus.set(Some(Focus::Rule(r)));
                                        selected_rule.set(Some(r));
                                    }
                                }
                            >
                                <rect x=n.x y=n.y width=n.width height=n.height rx="12" />
                                <text x=cx y=cy class="node-title">{RULES[r].id}</text>
                            </g>
                        }
                        .into_any()
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[component]
fn FineSvg(graph: FineGraph, rule: usize, program: StoredValue<Program>) -> impl IntoView {
    let store = expect_context::<Store>();
    let layout = graph.drawing.layout;
    let view_box = format!("0 0 {:.0} {:.0}", layout.width, layout.height);
    let lit = store.rules[rule].lit;
    view! {
        <p class="diagram-caption" data-layout-ms=format!("{:.1}", graph.drawing.layout_ms)>
            {format!(
                "{}: facts → premises → conditions → rule → methods → facts. Premises and conditions show their truth now; the rule is lit for a second after each firing, and the details panel shows what it saw when it last fired. Laid out in {:.1} ms.",
                RULES[rule].id,
                graph.drawing.layout_ms,
            )}
        </p>
        <svg class="diagram fine" viewBox=view_box width=format!("{:.0}", layout.width) role="group" aria-label=format!("Fine graph of {}", RULES[rule].id)>
            {edge_marker_defs()}
            {layout
                .edges
                .iter()
                .map(|e| view! { <g class="edge"><path d=e.d.clone() marker-start=arrow_markers(e.reversed).0 marker-end=arrow_markers(e.reversed).1 /></g> })
                .collect_view()}
            {layout
                .nodes
                .iter()
                .zip(graph.nodes)
                .map(|(n, (_, kind))| {
                    let (cx, cy) = (n.x + n.width / 2.0, n.y + n.height / 2.0 + 5.0);
                    let rect = view! { <rect x=n.x y=n.y width=n.width height=n.height rx="3" /> };
                    match kind {
                        FineKind::Reads(f) | FineKind::Writes(f) => {
                            let signal = store.facts[f];
                            let unit = FACTS[f].unit;
                            view! {
                                <g class="node fact" data-node="fact">
                                    {rect}
                                    <text x=cx y=n.y + 16.0 class="node-title">{FACTS[f].name}</text>
                                    <text x=cx y=n.y + 33.0 class="node-value">
                                        {move || format!("{} {unit}", signal.get()).trim_end().to_owned()}
                                    </text>
                                </g>
                            }
                            .into_any()
                        }
                        FineKind::Premise(p) => {
                            let holds = store.premises[p];
                            let text = program.with_value(|prog| prog.describe_premise(pon_core::PremiseId(p as u32)));
                            view! {
                                <g class="node premise" class:holds=move || holds.get() data-node="premise">
                                    {rect}
                                    <text x=cx y=cy class="node-title">
                                        {move || format!("{} {text}", if holds.get() { "✓" } else { "✗" })}
                                    </text>
                                </g>
                            }
                            .into_any()
                        }
                        FineKind::Condition(c) => {
                            let holds = store.conditions[c];
                            let all = program.with_value(|prog| prog.conditions[c].all);
                            view! {
                                <g class="node condition" class:holds=move || holds.get() data-node="condition">
                                    {rect}
                                    <text x=cx y=cy class="node-title">{if all { "AND" } else { "OR" }}</text>
                                </g>
                            }
                            .into_any()
                        }
                        FineKind::Rule => view! {
                            <g class="node rule" class:lit=move || lit.get() data-node="rule">
                                {rect}
                                <text x=cx y=cy class="node-title">{RULES[rule].id}</text>
                            </g>
                        }
                        .into_any(),
                        FineKind::Method(m) => {
                            let name = program.with_value(|prog| prog.methods[m].name.clone());
                            view! {
                                <g class="node method" data-node="method">
                                    {rect}
                                    <text x=cx y=cy class="node-title">{name}</text>
                                </g>
                            }
                            .into_any()
                        }
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[component]
fn DetailsPanel(focus: RwSignal<Option<Focus>>) -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <aside class="diagram-details" aria-live="polite" aria-label="Details of the focused node">
            {move || match focus.get() {
                None => view! { <p>"Point at or focus a node to see its values; click a rule to see why it fired."</p> }.into_any(),
                Some(Focus::Fbe(i)) => {
                    let fbe = &FBES[i];
                    view! {
                        <div>
                            <h4>{format!("{} {}", fbe.id, fbe.name)}</h4>
                            <table>
                                <tbody>
                                    {twin::catalog::facts_of(i)
                                        .map(|(id, fact)| {
                                            let signal = store.facts[id.index()];
                                            view! {
                                                <tr>
                                                    <th scope="row">{&fact.name[7..]}</th>
                                                    <td>{move || format!("{} {}", signal.get(), fact.unit).trim_end().to_owned()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
                Some(Focus::Rule(r)) => {
                    let rule = &RULES[r];
                    let signals = store.rules[r];
                    view! {
                        <div data-details-rule=rule.id>
                            <h4>{format!("{} {}", rule.id, rule.title)}</h4>
                            <p>{rule.explanation}</p>
                            <p>{move || format!("Firings in this run: {}.", format::thousands(signals.count.get()))}</p>
                            {move || match signals.last.get() {
                                None => view! { <p class="why">"It has not fired in this run."</p> }.into_any(),
                                Some(last) => view! {
                                    <div class="why">
                                        <p>{format!("Last fired at {}: {}.", last.when, last.trigger)}</p>
                                        <ul>
                                            {last.premises.into_iter().map(|(text, holds)| view! {
                                                <li class:holds=holds>{if holds { "✓ " } else { "✗ " }}{text}</li>
                                            }).collect_view()}
                                        </ul>
                                    </div>
                                }
                                .into_any(),
                            }}
                        </div>
                    }
                    .into_any()
                }
            }}
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nop_graph_has_18_watch_and_15_act_edges() {
        let edges = nop_edges();
        assert_eq!(edges.iter().filter(|e| e.3 == "watches").count(), 18);
        assert_eq!(edges.iter().filter(|e| e.3 == "acts-on").count(), 15);
    }

    #[test]
    fn every_rule_has_a_fine_graph_from_facts_to_facts() {
        let program = twin::rules::rule_set().compile().unwrap();
        for (r, rule) in RULES.iter().enumerate() {
            let graph = fine_graph(&program, r);
            let layout = &graph.drawing.layout;
            assert_eq!(layout.nodes.len(), graph.nodes.len());
            assert!(graph
                .nodes
                .iter()
                .any(|(_, k)| matches!(k, FineKind::Reads(_))));
            assert!(graph
                .nodes
                .iter()
                .any(|(_, k)| matches!(k, FineKind::Premise(_))));
            assert!(graph.nodes.iter().any(|(_, k)| *k == FineKind::Rule));
            let writes = graph
                .nodes
                .iter()
                .any(|(_, k)| matches!(k, FineKind::Writes(_)));
            assert!(writes, "{} writes facts", rule.id);
            assert!(!layout.edges.is_empty());
        }
    }

    #[test]
    fn the_pipeline_lays_out_eleven_stages_with_every_flow() {
        let drawing = pipeline_drawing();
        assert_eq!(drawing.layout.nodes.len(), 11);
        assert_eq!(drawing.layout.edges.len(), PIPELINE_FLOWS.len());
        let labels: std::collections::BTreeSet<_> = PIPELINE_FLOWS.iter().map(|f| f.2).collect();
        for flow in ["grain", "hot wort", "cold wort", "beer", "CIP", "power"] {
            assert!(labels.contains(flow), "{flow}");
        }
    }
}
