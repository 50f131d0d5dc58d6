//! Layered (Sugiyama-style) layout of the console's diagrams, computed in the page by
//! `layout-rs`. The result is plain geometry: boxes for nodes and SVG paths for edges, which the
//! diagram components draw as SVG that Leptos owns, so that live values can change without
//! laying out or redrawing the diagram again.

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

/// A node to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSpec {
    /// Unique id.
    pub id: String,
    /// Width and height of its box.
    pub size: (f64, f64),
}

/// An edge to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeSpec {
    /// Unique id.
    pub id: String,
    /// Id of the source node.
    pub from: String,
    /// Id of the target node.
    pub to: String,
}

/// A laid-out node: its box's top-left corner and size.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    /// Id.
    pub id: String,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A laid-out edge: an SVG path.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgePath {
    /// Id.
    pub id: String,
    /// The path's `d` attribute.
    pub d: String,
    /// Whether the path runs from the edge's target to its source (the layout reverses edges
    /// that close a cycle): its arrowhead belongs at the path's start.
    pub reversed: bool,
}

/// A laid-out diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// Nodes, in the order given.
    pub nodes: Vec<NodeBox>,
    /// Edges, in the order given.
    pub edges: Vec<EdgePath>,
}

/// Collects the edges' paths as `layout-rs` draws them; nodes are read from their positions.
#[derive(Default)]
struct PathRecorder {
    paths: Vec<(String, String, bool)>,
    low: (f64, f64),
    high: (f64, f64),
}

impl PathRecorder {
    fn grow(&mut self, p: Point) {
        self.low = (self.low.0.min(p.x), self.low.1.min(p.y));
        self.high = (self.high.0.max(p.x), self.high.1.max(p.y));
    }
}

impl RenderBackend for PathRecorder {
    fn draw_rect(
        &mut self,
        _: Point,
        _: Point,
        _: &StyleAttr,
        _: Option<String>,
        _: Option<ClipHandle>,
    ) {
    }

    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}

    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        let Some(id) = properties else { return };
        if path.len() < 2 {
            return;
        }
        for (a, b) in path {
            self.grow(*a);
            self.grow(*b);
        }
        // A cubic Bézier from the first point, then smooth continuations through the rest.
        let mut d = format!(
            "M {:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
            path[0].0.x,
            path[0].0.y,
            path[0].1.x,
            path[0].1.y,
            path[1].0.x,
            path[1].0.y,
            path[1].1.x,
            path[1].1.y
        );
        for (control, end) in &path[2..] {
            d.push_str(&format!(
                " S {:.1} {:.1}, {:.1} {:.1}",
                control.x, control.y, end.x, end.y
            ));
        }
        self.paths.push((id, d, head.0 && !head.1));
    }

    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

/// Margin around the drawing.
const MARGIN: f64 = 12.0;

/// Lays out a directed graph, top to bottom or left to right. Edges whose ends are unknown are
/// left out.
pub fn lay_out(nodes: &[NodeSpec], edges: &[EdgeSpec], left_to_right: bool) -> Layout {
    let orientation = if left_to_right {
        Orientation::LeftToRight
    } else {
        Orientation::TopToBottom
    };
    let mut graph = VisualGraph::new(orientation);
    let handles: Vec<_> = nodes
        .iter()
        .map(|n| {
            let element = Element::create_with_properties(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                orientation,
                Point::new(n.size.0, n.size.1),
                n.id.clone(),
            );
            graph.add_node(element)
        })
        .collect();
    let index = |id: &str| nodes.iter().position(|n| n.id == id);
    for edge in edges {
        if let (Some(a), Some(b)) = (index(&edge.from), index(&edge.to)) {
            graph.add_edge(
                Arrow::simple_with_properties("", edge.id.clone()),
                handles[a],
                handles[b],
            );
        }
    }

    let mut recorder = PathRecorder {
        low: (f64::INFINITY, f64::INFINITY),
        high: (f64::NEG_INFINITY, f64::NEG_INFINITY),
        ..PathRecorder::default()
    };
    graph.do_it(false, false, false, &mut recorder);

    let mut boxes: Vec<NodeBox> = nodes
        .iter()
        .zip(&handles)
        .map(|(n, h)| {
            let (top_left, bottom_right) = graph.pos(*h).bbox(false);
            recorder.grow(top_left);
            recorder.grow(bottom_right);
            NodeBox {
                id: n.id.clone(),
                x: top_left.x,
                y: top_left.y,
                width: bottom_right.x - top_left.x,
                height: bottom_right.y - top_left.y,
            }
        })
        .collect();
    if boxes.is_empty() {
        return Layout {
            width: 0.0,
            height: 0.0,
            nodes: boxes,
            edges: Vec::new(),
        };
    }

    // Shift everything so that the drawing starts at the margin.
    let (dx, dy) = (MARGIN - recorder.low.0, MARGIN - recorder.low.1);
    for b in &mut boxes {
        b.x += dx;
        b.y += dy;
    }
    let edges = edges
        .iter()
        .filter_map(|e| {
            let (_, d, reversed) = recorder.paths.iter().find(|(id, _, _)| *id == e.id)?;
            Some(EdgePath {
                id: e.id.clone(),
                d: shift_path(d, dx, dy),
                reversed: *reversed,
            })
        })
        .collect();
    Layout {
        width: recorder.high.0 - recorder.low.0 + 2.0 * MARGIN,
        height: recorder.high.1 - recorder.low.1 + 2.0 * MARGIN,
        nodes: boxes,
        edges,
    }
}

/// Moves every coordinate pair of a path made of `M`, `C` and `S` commands.
fn shift_path(d: &str, dx: f64, dy: f64) -> String {
    let mut out = Vec::new();
    let mut is_x = true;
    for token in d.split(' ') {
        let (number, comma) = match token.strip_suffix(',') {
            Some(n) => (n, ","),
            None => (token, ""),
        };
        match number.parse::<f64>() {
            Ok(v) => {
                let moved = if is_x { v + dx } else { v + dy };
                is_x = !is_x;
                out.push(format!("{moved:.1}{comma}"));
            }
            Err(_) => out.push(token.to_owned()),
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> NodeSpec {
        NodeSpec {
            id: id.to_owned(),
            size: (100.0, 40.0),
        }
    }

    fn edge(from: &str, to: &str) -> EdgeSpec {
        EdgeSpec {
            id: format!("{from}-{to}"),
            from: from.to_owned(),
            to: to.to_owned(),
        }
    }

    #[test]
    fn a_chain_is_laid_out_in_layers_without_overlap() {
        let nodes = [node("a"), node("b"), node("c")];
        let layout = lay_out(&nodes, &[edge("a", "b"), edge("b", "c")], false);
        assert_eq!(layout.nodes.len(), 3);
        assert_eq!(layout.edges.len(), 2);
        let (a, b, c) = (&layout.nodes[0], &layout.nodes[1], &layout.nodes[2]);
        assert!(a.y + a.height <= b.y && b.y + b.height <= c.y, "{layout:?}");
        for n in &layout.nodes {
            assert!(n.x >= 0.0 && n.y >= 0.0);
            assert!(n.x + n.width <= layout.width + 0.01 && n.y + n.height <= layout.height + 0.01);
            assert_eq!((n.width, n.height), (100.0, 40.0));
        }
        assert!(layout.edges[0].d.starts_with("M "));
    }

    #[test]
    fn left_to_right_puts_successors_to_the_right_and_cycles_are_drawn() {
        let nodes = [node("f"), node("r")];
        let layout = lay_out(&nodes, &[edge("f", "r"), edge("r", "f")], true);
        assert_eq!(layout.edges.len(), 2);
        assert_eq!(
            layout.edges.iter().filter(|e| e.reversed).count(),
            1,
            "one edge closes the cycle"
        );
        assert_ne!(layout.nodes[0].x, layout.nodes[1].x);
    }

    #[test]
    fn paths_are_shifted_pairwise() {
        assert_eq!(
            shift_path("M 1 2 C 3 4, 5 6, 7 8", 10.0, 100.0),
            "M 11.0 102.0 C 13.0 104.0, 15.0 106.0, 17.0 108.0"
        );
    }
}
