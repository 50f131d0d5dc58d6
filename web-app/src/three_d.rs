//! The 3D view: the plant on a WebGL2 canvas, moving with the live facts, coloured by status,
//! with orbit, zoom, hover and selection by pointer or keyboard, and a details panel for the
//! selected FBE. [`PlantCanvas`] is also the detail page's drawing of one FBE.
//!
//! The canvas has its own animation-frame loop. It runs only while the canvas is in the page
//! and the document is visible, and it draws a frame only when something moves, a fact or a
//! status changed, or the user moved the camera, pointed or selected.

use glam::{Mat4, Vec2, Vec3};
use leptos::prelude::*;
use twin::catalog::{facts_of, FBES};
use twin::rules::RULES;
use wasm_bindgen::JsCast;

use crate::app::{go_to, DriverHandle};
use crate::clock::now_ms;
use crate::driver::status_of;
use crate::scene::camera::{OrbitCamera, Viewport, ORBIT_RAD_PER_KEY, ORBIT_RAD_PER_PX};
use crate::scene::motion::{Animation, LiveFacts, Motion, Pose};
use crate::scene::plant::{PlantScene, Role, Shown};
use crate::scene::renderer::{DrawItem, Renderer};
use crate::settings::{to_query, Page, RunSettings};
use crate::store::{Status, Store};

/// Status colours of the 3D view, as the console's stylesheet has them, and how strongly they
/// tint the body of the equipment. Normal equipment keeps its own greys.
pub fn status_tint(status: Status) -> [f32; 4] {
    match status {
        Status::Normal => [0.0, 0.0, 0.0, 0.0],
        Status::Active => [0.29, 0.44, 0.59, 0.75],
        Status::Warning => [0.88, 0.63, 0.0, 0.85],
        Status::Critical => [0.84, 0.16, 0.16, 0.85],
    }
}

/// Seconds over which a status colour fades in or out.
pub const TINT_FADE_S: f32 = 0.15;

/// Moves a shown tint towards `target` over `dt` seconds: a new status colour shows at once
/// and fades in, an old one fades out in its own colour (never through black).
pub fn approach_tint(current: [f32; 4], target: [f32; 4], dt: f32) -> [f32; 4] {
    let k = 1.0 - (-dt.max(0.0) / TINT_FADE_S).exp();
    let rgb = if target[3] > 0.0 {
        [target[0], target[1], target[2]]
    } else {
        [current[0], current[1], current[2]]
    };
    let mut amount = current[3] + (target[3] - current[3]) * k;
    if (amount - target[3]).abs() < 0.004 {
        amount = target[3];
    }
    [rgb[0], rgb[1], rgb[2], amount]
}

/// Pixels a press may move and still count as a click rather than a drag.
pub const CLICK_SLOP_PX: f32 = 5.0;
/// Device pixels per CSS pixel at most, to keep the software rasterizer and phones fast.
pub const MAX_PIXEL_RATIO: f64 = 2.0;
/// Shortest interval between two refreshes of the FBE screen positions, while the camera
/// stands still (the robot moves).
const ANCHOR_REFRESH_MS: f64 = 500.0;
/// Glow of the FBE under the pointer.
const HOVER_GLOW: f32 = 0.07;
/// Opacity of glass.
const GLASS_ALPHA: f32 = 0.35;

/// Where each FBE can be clicked on the canvas now, in CSS pixels from its top-left corner.
pub type Anchors = Vec<Option<(f32, f32)>>;

struct Drag {
    start: Vec2,
    last: Vec2,
    moved: bool,
}

/// What the canvas loop keeps between frames.
struct SceneState {
    scene: PlantScene,
    renderer: Renderer,
    canvas: web_sys::HtmlCanvasElement,
    camera: OrbitCamera,
    home: OrbitCamera,
    motion: Motion,
    tints: Vec<[f32; 4]>,
    transforms: Vec<Mat4>,
    viewport: Viewport,
    pixels: (i32, i32),
    last_ms: Option<f64>,
    dirty: bool,
    anchors_due: bool,
    anchors_at_ms: f64,
    frames: u64,
    shown_facts: Option<LiveFacts>,
    shown_marks: (Option<usize>, Option<usize>),
    drag: Option<Drag>,
}

/// The reactive inputs of the canvas.
#[derive(Clone, Copy)]
struct Inputs {
    driver: DriverHandle,
    selected: RwSignal<Option<usize>>,
    hovered: RwSignal<Option<usize>>,
    anchors: RwSignal<Anchors>,
    motion_paused: RwSignal<bool>,
}

impl SceneState {
    fn new(canvas: web_sys::HtmlCanvasElement, shown: Shown) -> Result<SceneState, String> {
        let scene = PlantScene::build(shown);
        let renderer = Renderer::new(&canvas, &scene)?;
        let home = match shown {
            Shown::Plant => OrbitCamera::plant(),
            Shown::Only(fbe) => {
                scene.bounds[fbe].map_or_else(OrbitCamera::plant, OrbitCamera::framing)
            }
        };
        let transforms = scene
            .pieces
            .iter()
            .map(|p| p.world(Mat4::IDENTITY))
            .collect();
        Ok(SceneState {
            tints: vec![[0.0; 4]; FBES.len()],
            transforms,
            scene,
            renderer,
            canvas,
            camera: home,
            home,
            motion: Motion::new(),
            viewport: Viewport {
                width: 1.0,
                height: 1.0,
            },
            pixels: (0, 0),
            last_ms: None,
            dirty: true,
            anchors_due: true,
            anchors_at_ms: 0.0,
            frames: 0,
            shown_facts: None,
            shown_marks: (None, None),
            drag: None,
        })
    }

    fn view_projection(&self) -> Mat4 {
        self.camera.view_projection(self.viewport.aspect())
    }

    /// Matches the drawing buffer to the canvas's size on the page.
    fn fit_canvas(&mut self) {
        let (width, height) = (
            self.canvas.client_width().max(1),
            self.canvas.client_height().max(1),
        );
        let ratio = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .unwrap_or(1.0)
            .clamp(1.0, MAX_PIXEL_RATIO);
        let pixels = (
            (f64::from(width) * ratio).round() as i32,
            (f64::from(height) * ratio).round() as i32,
        );
        if pixels != self.pixels {
            self.pixels = pixels;
            self.canvas.set_width(pixels.0 as u32);
            self.canvas.set_height(pixels.1 as u32);
            self.viewport = Viewport {
                width: width as f32,
                height: height as f32,
            };
            self.dirty = true;
            self.anchors_due = true;
        }
    }

    fn frame(&mut self, now: f64, inputs: Inputs) {
        let dt = self
            .last_ms
            .map_or(0.0, |last| ((now - last) / 1000.0) as f32);
        self.last_ms = Some(now);
        self.fit_canvas();

        let (facts, statuses) = inputs.driver.with_value(|d| {
            let values = d.twin().values();
            let statuses: Vec<Status> = (0..FBES.len()).map(|i| status_of(i, values)).collect();
            (LiveFacts::from_values(values), statuses)
        });
        let moving = !inputs.motion_paused.get_untracked() && self.motion.advance(dt, &facts);
        for (tint, status) in self.tints.iter_mut().zip(&statuses) {
            let target = status_tint(*status);
            if *tint != target {
                *tint = approach_tint(*tint, target, dt);
                self.dirty = true;
            }
        }
        if self.shown_facts != Some(facts) {
            self.shown_facts = Some(facts);
            self.dirty = true;
        }
        let marks = (
            inputs.selected.get_untracked(),
            inputs.hovered.get_untracked(),
        );
        if marks != self.shown_marks {
            self.shown_marks = marks;
            self.dirty = true;
        }

        if moving || self.dirty {
            self.draw(&facts, marks);
            self.dirty = false;
        }
        if self.anchors_due || now - self.anchors_at_ms > ANCHOR_REFRESH_MS {
            self.anchors_due = false;
            self.anchors_at_ms = now;
            let anchors = self.anchors();
            if inputs.anchors.with_untracked(|shown| *shown != anchors) {
                inputs.anchors.set(anchors);
            }
        }
    }

    fn draw(&mut self, facts: &LiveFacts, (selected, hovered): (Option<usize>, Option<usize>)) {
        let mut items = Vec::with_capacity(self.scene.pieces.len());
        for (i, piece) in self.scene.pieces.iter().enumerate() {
            let pose = match piece.animation {
                Animation::Still => Pose::REST,
                animation => self.motion.pose(animation, facts),
            };
            self.transforms[i] = piece.world(pose.transform);
            let marked = piece.fbe.is_some() && (piece.fbe == selected || piece.fbe == hovered);
            let visible = match piece.role {
                Role::Marker => marked,
                _ => pose.visible,
            };
            if !visible {
                continue;
            }
            let equipment = piece.role == Role::Equipment;
            let status = match (equipment, piece.fbe) {
                (true, Some(fbe)) => self.tints[fbe],
                _ => [0.0; 4],
            };
            let glow = if equipment && hovered.is_some() && piece.fbe == hovered {
                pose.glow + Vec3::splat(HOVER_GLOW)
            } else {
                pose.glow
            };
            let alpha = match piece.role {
                Role::Marker if piece.fbe != selected => 0.45,
                Role::Particle => pose.alpha,
                _ if piece.translucent && piece.animation == Animation::Still => GLASS_ALPHA,
                _ if piece.translucent => pose.alpha.min(0.95),
                _ => 1.0,
            };
            items.push(DrawItem {
                piece: i,
                model: self.transforms[i],
                status,
                glow,
                alpha,
            });
        }
        let view_projection = self.view_projection();
        self.renderer.draw(
            self.pixels.0,
            self.pixels.1,
            view_projection,
            self.camera.eye(),
            &items,
        );
        self.frames += 1;
        let _ = self
            .canvas
            .set_attribute("data-frames-drawn", &self.frames.to_string());
    }

    /// The FBE drawn at `at` (CSS pixels on the canvas).
    fn pick(&self, at: Vec2) -> Option<usize> {
        let ray = self.viewport.ray(self.view_projection(), at);
        self.scene.pick(&ray, &self.transforms)
    }

    /// For each FBE, a point on the canvas where a click selects it: the centre of one of its
    /// larger parts that is on the canvas and not hidden behind other equipment.
    fn anchors(&self) -> Anchors {
        let view_projection = self.view_projection();
        (0..FBES.len())
            .map(|fbe| {
                self.scene
                    .anchor_candidates(fbe, &self.transforms)
                    .into_iter()
                    .filter_map(|point| self.viewport.to_screen(view_projection, point))
                    .filter(|p| {
                        p.x >= 1.0
                            && p.y >= 1.0
                            && p.x <= self.viewport.width - 1.0
                            && p.y <= self.viewport.height - 1.0
                    })
                    .find(|p| self.pick(*p) == Some(fbe))
                    .map(|p| ((p.x * 10.0).round() / 10.0, (p.y * 10.0).round() / 10.0))
            })
            .collect()
    }

    fn camera_changed(&mut self) {
        self.dirty = true;
        self.anchors_due = true;
    }
}

fn document_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Whether the reader asked the system for less motion.
fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|q| q.matches())
}

/// The canvas's state, shared by its frame loop and its event handlers. It is disposed with
/// the canvas, which ends the loop: a frame that finds it gone does not request another.
#[derive(Default)]
struct CanvasCell {
    state: Option<SceneState>,
    looping: bool,
}

type Shared = StoredValue<CanvasCell, LocalStorage>;

fn run_loop(shared: Shared, inputs: Inputs) {
    request_animation_frame(move || {
        let hidden = document_hidden();
        let go_on = shared
            .try_update_value(|cell| {
                if hidden {
                    cell.looping = false;
                    return false;
                }
                if let Some(state) = cell.state.as_mut() {
                    state.frame(now_ms(), inputs);
                }
                true
            })
            .unwrap_or(false);
        if go_on {
            run_loop(shared, inputs);
        }
    });
}

/// Starts the frame loop unless it is running.
fn start_loop(shared: Shared, inputs: Inputs) {
    let idle = shared
        .try_update_value(|cell| !std::mem::replace(&mut cell.looping, true))
        .unwrap_or(false);
    if idle && !document_hidden() {
        run_loop(shared, inputs);
    } else if idle {
        shared.update_value(|cell| cell.looping = false);
    }
}

/// Runs `act` on the scene state, if the canvas has one.
fn with_state<T>(shared: Shared, act: impl FnOnce(&mut SceneState) -> T) -> Option<T> {
    shared
        .try_update_value(|cell| cell.state.as_mut().map(act))
        .flatten()
}

fn pointer_at(ev: &web_sys::MouseEvent) -> Vec2 {
    Vec2::new(ev.offset_x() as f32, ev.offset_y() as f32)
}

/// The FBE `step` places after `current` in process order, wrapping around.
pub fn cycle_fbe(current: Option<usize>, step: isize) -> usize {
    let count = FBES.len() as isize;
    match current {
        None if step < 0 => (count - 1) as usize,
        None => 0,
        Some(i) => (i as isize + step).rem_euclid(count) as usize,
    }
}

/// What a key does on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KeyAction {
    /// Orbit by (yaw, pitch) radians.
    Orbit(f32, f32),
    /// Zoom in (> 0) or out by steps.
    Zoom(f32),
    /// Back to the starting view.
    Home,
    /// Select the FBE at this index.
    Select(usize),
    /// Select the next (+1) or previous (−1) FBE.
    Cycle(isize),
    /// Open the selected FBE's detail page.
    Open,
    /// Clear the selection.
    Clear,
}

/// The action of `key` (a `KeyboardEvent.key` value), if it has one.
pub fn key_action(key: &str) -> Option<KeyAction> {
    let k = ORBIT_RAD_PER_KEY;
    Some(match key {
        "ArrowLeft" => KeyAction::Orbit(-k, 0.0),
        "ArrowRight" => KeyAction::Orbit(k, 0.0),
        "ArrowUp" => KeyAction::Orbit(0.0, k),
        "ArrowDown" => KeyAction::Orbit(0.0, -k),
        "+" | "=" | "PageUp" => KeyAction::Zoom(1.0),
        "-" | "_" | "PageDown" => KeyAction::Zoom(-1.0),
        "Home" => KeyAction::Home,
        "]" | "n" => KeyAction::Cycle(1),
        "[" | "p" => KeyAction::Cycle(-1),
        "Enter" => KeyAction::Open,
        "Escape" => KeyAction::Clear,
        "0" => KeyAction::Select(9),
        digit if digit.len() == 1 && ("1"..="9").contains(&digit) => {
            KeyAction::Select(digit.parse::<usize>().ok()? - 1)
        }
        _ => return None,
    })
}

/// A WebGL2 canvas showing the plant (or one FBE of it), with its own frame loop, pointer and
/// keyboard handling. When WebGL2 is missing it says so in place of the drawing.
#[component]
pub fn PlantCanvas(
    /// What to draw.
    shown: Shown,
    /// The selected FBE.
    selected: RwSignal<Option<usize>>,
    /// The FBE under the pointer.
    hovered: RwSignal<Option<usize>>,
    /// Where each FBE is on the canvas.
    anchors: RwSignal<Anchors>,
    /// Rotors, bottles and particles stand still while set.
    motion_paused: RwSignal<bool>,
    /// What the canvas shows, for assistive technology.
    label: String,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let driver = expect_context::<DriverHandle>();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let failure = RwSignal::new(None::<String>);
    let shared: Shared = StoredValue::new_local(CanvasCell::default());
    let inputs = Inputs {
        driver,
        selected,
        hovered,
        anchors,
        motion_paused,
    };
    let settings = store.settings;
    let openable = matches!(shown, Shown::Plant);

    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        if shared.with_value(|cell| cell.state.is_some()) || failure.get_untracked().is_some() {
            return;
        }
        match SceneState::new(canvas, shown) {
            Ok(state) => {
                shared.update_value(|cell| cell.state = Some(state));
                start_loop(shared, inputs);
            }
            Err(reason) => failure.set(Some(reason)),
        }
    });
    // The loop stops by itself while the document is hidden; start it again on return.
    let visibility = window_event_listener_untyped("visibilitychange", move |_| {
        if !document_hidden() {
            with_state(shared, |s| {
                s.last_ms = None;
                s.dirty = true;
            });
            start_loop(shared, inputs);
        }
    });
    on_cleanup(move || visibility.remove());
    // A selection made elsewhere (the equipment buttons) is drawn at the next frame.
    Effect::new(move |_| {
        selected.track();
        with_state(shared, |s| s.dirty = true);
    });

    let on_pointer_down = move |ev: leptos::ev::PointerEvent| {
        let at = pointer_at(&ev);
        with_state(shared, |s| {
            s.drag = Some(Drag {
                start: at,
                last: at,
                moved: false,
            })
        });
        if let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        let at = pointer_at(&ev);
        let over = with_state(shared, |s| match s.drag.as_mut() {
            Some(drag) if ev.buttons() & 1 == 1 => {
                let step = at - drag.last;
                drag.last = at;
                if (at - drag.start).length() > CLICK_SLOP_PX {
                    drag.moved = true;
                }
                if drag.moved {
                    s.camera
                        .orbit(-step.x * ORBIT_RAD_PER_PX, step.y * ORBIT_RAD_PER_PX);
                    s.camera_changed();
                }
                None
            }
            _ => Some(s.pick(at)),
        })
        .flatten();
        if let Some(over) = over {
            if hovered.get_untracked() != over {
                hovered.set(over);
            }
        }
    };
    let on_pointer_up = move |ev: leptos::ev::PointerEvent| {
        let at = pointer_at(&ev);
        let clicked = with_state(shared, |s| match s.drag.take() {
            Some(drag) if !drag.moved => Some(s.pick(at)),
            _ => None,
        })
        .flatten();
        if let Some(fbe) = clicked {
            selected.set(fbe);
        }
    };
    let on_pointer_leave = move |_| {
        if hovered.get_untracked().is_some() {
            hovered.set(None);
        }
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let steps = if ev.delta_y() < 0.0 { 1.0 } else { -1.0 };
        with_state(shared, |s| {
            s.camera.zoom(steps);
            s.camera_changed();
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(action) = key_action(&ev.key()) else {
            return;
        };
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        ev.prevent_default();
        match action {
            KeyAction::Orbit(yaw, pitch) => {
                with_state(shared, |s| {
                    s.camera.orbit(yaw, pitch);
                    s.camera_changed();
                });
            }
            KeyAction::Zoom(steps) => {
                with_state(shared, |s| {
                    s.camera.zoom(steps);
                    s.camera_changed();
                });
            }
            KeyAction::Home => {
                with_state(shared, |s| {
                    s.camera = s.home;
                    s.camera_changed();
                });
            }
            KeyAction::Select(fbe) if openable => selected.set(Some(fbe)),
            KeyAction::Cycle(step) if openable => {
                selected.set(Some(cycle_fbe(selected.get_untracked(), step)));
            }
            KeyAction::Open if openable => {
                if let Some(fbe) = selected.get_untracked() {
                    go_to(settings, Page::Fbe(fbe));
                }
            }
            KeyAction::Clear if openable => selected.set(None),
            _ => {}
        }
    };

    view! {
        <Show
            when=move || failure.get().is_none()
            fallback=move || {
                view! {
                    <p class="scene-fallback" role="alert">
                        {move || {
                            format!(
                                "The 3D view cannot be drawn here: {}. The other views and the detail pages' facts work as usual.",
                                failure.get().unwrap_or_default(),
                            )
                        }}
                    </p>
                }
            }
        >
            <canvas
                class="plant-canvas"
                node_ref=canvas_ref
                tabindex="0"
                role="img"
                aria-label=label.clone()
                data-frames-drawn="0"
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_up
                on:pointerleave=on_pointer_leave
                on:wheel=on_wheel
                on:keydown=on_key
            ></canvas>
        </Show>
    }
}

/// The href of FBE `fbe`'s detail page for the current settings.
pub fn detail_href(settings: &RunSettings, fbe: usize) -> String {
    to_query(&RunSettings {
        page: Page::Fbe(fbe),
        tick: None,
        ..settings.clone()
    })
}

/// A link to an FBE's detail page that opens in the page, keeping the run going (a new tab
/// starts the same seed from tick 0).
#[component]
pub fn DetailLink(
    /// Index of the FBE.
    fbe: usize,
    /// Link text.
    children: Children,
) -> impl IntoView {
    let settings = expect_context::<Store>().settings;
    view! {
        <a
            class="detail-link"
            data-detail-link=FBES[fbe].id
            href=move || settings.with(|s| detail_href(s, fbe))
            on:click=move |ev| {
                if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                    return;
                }
                ev.prevent_default();
                go_to(settings, Page::Fbe(fbe));
            }
        >
            {children()}
        </a>
    }
}

/// The four status colours with their meaning.
#[component]
pub fn StatusLegend() -> impl IntoView {
    view! {
        <ul class="status-legend" aria-label="Status colours">
            <li class="status-normal"><span class="swatch"></span>"Normal: grey"</li>
            <li class="status-active"><span class="swatch"></span>"Active: chilling paused or cleaning"</li>
            <li class="status-warning"><span class="swatch"></span>"Warning: needs attention"</li>
            <li class="status-critical"><span class="swatch"></span>"Critical: act now"</li>
        </ul>
    }
}

/// A table of the live facts of FBE `fbe`, with units.
#[component]
fn FactRows(fbe: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <table class="fbe-facts">
            <tbody>
                {facts_of(fbe)
                    .map(|(id, fact)| {
                        let signal = store.facts[id.index()];
                        view! {
                            <tr>
                                <th scope="row" title=fact.description>{&fact.name[7..]}</th>
                                <td data-fbe-fact=fact.name>
                                    {move || format!("{} {}", signal.get(), fact.unit).trim_end().to_owned()}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The 3D tab.
#[component]
pub fn ThreeDView() -> impl IntoView {
    let store = expect_context::<Store>();
    let selected = RwSignal::new(None::<usize>);
    let hovered = RwSignal::new(None::<usize>);
    let anchors = RwSignal::new(Anchors::new());
    let motion_paused = RwSignal::new(prefers_reduced_motion());

    view! {
        <div class="three-d">
            <p class="scene-hint" id="scene-keys">
                "Drag to orbit, wheel to zoom, click a piece of equipment for its details. Keyboard, with the drawing focused: arrow keys orbit, + and − zoom, Home resets the view, 1–9 and 0 select FBE_01–FBE_10, [ and ] step through all eleven, Enter opens the selected one's detail page, Escape clears."
            </p>
            <div class="scene-frame">
                <PlantCanvas
                    shown=Shown::Plant
                    selected=selected
                    hovered=hovered
                    anchors=anchors
                    motion_paused=motion_paused
                    label="The brewery in 3D: eleven pieces of equipment coloured by status. Use the equipment buttons below or the keys described above.".to_owned()
                />
                {move || {
                    hovered
                        .get()
                        .map(|fbe| {
                            view! {
                                <div class="hover-card" data-hover-fbe=FBES[fbe].id aria-hidden="true">
                                    <h4>{format!("{} {}", FBES[fbe].id, FBES[fbe].name)}</h4>
                                    <FactRows fbe=fbe />
                                </div>
                            }
                        })
                }}
            </div>
            <SceneDetails selected=selected />
            <div class="scene-bar">
                <StatusLegend />
                <label class="motion-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || motion_paused.get()
                        on:change=move |ev| motion_paused.set(event_target_checked(&ev))
                    />
                    "Pause motion"
                </label>
            </div>
            <ul class="scene-equipment" aria-label="Equipment in the 3D view">
                {FBES
                    .iter()
                    .enumerate()
                    .map(|(i, fbe)| {
                        let status = store.tiles[i].status;
                        let anchor = move || anchors.with(|a| a.get(i).copied().flatten());
                        view! {
                            <li>
                                <button
                                    class=move || format!("equipment-button status-{}", status.get().name())
                                    class:selected=move || selected.get() == Some(i)
                                    aria-pressed=move || (selected.get() == Some(i)).to_string()
                                    data-fbe-pick=fbe.id
                                    data-status=move || status.get().name()
                                    data-screen-x=move || anchor().map(|a| format!("{:.1}", a.0))
                                    data-screen-y=move || anchor().map(|a| format!("{:.1}", a.1))
                                    on:click=move |_| selected.set(Some(i))
                                >
                                    {format!("{} {}", &fbe.id[4..], fbe.name)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The selected FBE's facts, description, sparkline and rules. It sits right under the
/// drawing rather than sticking to the window's bottom edge as the Diagrams details do: there
/// it would cover the canvas that is clicked.
#[component]
fn SceneDetails(selected: RwSignal<Option<usize>>) -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <aside class="scene-details" aria-live="polite" aria-label="Details of the selected equipment">
            {move || match selected.get() {
                None => view! {
                    <p>"Click a piece of equipment, or use its button, to see its live facts here."</p>
                }
                .into_any(),
                Some(fbe) => {
                    let info = &FBES[fbe];
                    let tile = store.tiles[fbe];
                    let key = &twin::catalog::FACTS[info.key_fact.index()];
                    let watching: Vec<&str> = RULES.iter().filter(|r| r.watches.contains(&fbe)).map(|r| r.id).collect();
                    let acting: Vec<&str> = RULES.iter().filter(|r| r.acts_on.contains(&fbe)).map(|r| r.id).collect();
                    view! {
                        <div class="scene-details-body" data-details-fbe=info.id>
                            <header>
                                <h4>{format!("{} {}", info.id, info.name)}</h4>
                                <span class=move || format!("status-badge status-{}", tile.status.get().name())>
                                    {move || tile.status.get().name()}
                                </span>
                                <DetailLink fbe=fbe>{format!("Open the detail page of {}", info.id)}</DetailLink>
                            </header>
                            <div class="scene-details-columns">
                                <div>
                                    <p class="fbe-description">{info.description}</p>
                                    <p class="rule-map">
                                        {format!(
                                            "Watched by {} · acted on by {}",
                                            if watching.is_empty() { "no rule".to_owned() } else { watching.join(", ") },
                                            if acting.is_empty() { "no rule".to_owned() } else { acting.join(", ") },
                                        )}
                                    </p>
                                    <p class="scene-spark">
                                        <span>{format!("{} over the last ticks: ", key.name)}</span>
                                        <svg class="sparkline" viewBox="0 0 80 24" preserveAspectRatio="none" role="img" aria-label=format!("Recent {} values", key.name)>
                                            <polyline points=move || tile.spark.get() />
                                        </svg>
                                        <span class="tile-value">{move || tile.value.get()}</span>
                                    </p>
                                </div>
                                <FactRows fbe=fbe />
                            </div>
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
    fn every_status_has_its_own_colour_and_normal_has_none() {
        let tints: Vec<[f32; 4]> = [
            Status::Normal,
            Status::Active,
            Status::Warning,
            Status::Critical,
        ]
        .into_iter()
        .map(status_tint)
        .collect();
        assert_eq!(tints[0][3], 0.0);
        for a in 1..4 {
            assert!(tints[a][3] > 0.5);
            for b in (a + 1)..4 {
                assert_ne!(tints[a], tints[b]);
            }
        }
    }

    #[test]
    fn a_tint_fades_in_its_own_colour_and_settles() {
        let warning = status_tint(Status::Warning);
        let first = approach_tint([0.0; 4], warning, 0.016);
        assert_eq!(&first[..3], &warning[..3], "the colour shows at once");
        assert!(first[3] > 0.0 && first[3] < warning[3]);
        let mut tint = first;
        for _ in 0..60 {
            tint = approach_tint(tint, warning, 0.016);
        }
        assert_eq!(tint, warning, "settles exactly");
        let fading = approach_tint(warning, status_tint(Status::Normal), 0.016);
        assert_eq!(&fading[..3], &warning[..3], "fades out in its own colour");
        assert!(fading[3] < warning[3]);
    }

    #[test]
    fn keys_orbit_zoom_and_select() {
        assert_eq!(
            key_action("ArrowLeft"),
            Some(KeyAction::Orbit(-ORBIT_RAD_PER_KEY, 0.0))
        );
        assert_eq!(key_action("+"), Some(KeyAction::Zoom(1.0)));
        assert_eq!(key_action("-"), Some(KeyAction::Zoom(-1.0)));
        assert_eq!(key_action("1"), Some(KeyAction::Select(0)));
        assert_eq!(key_action("9"), Some(KeyAction::Select(8)));
        assert_eq!(key_action("0"), Some(KeyAction::Select(9)));
        assert_eq!(key_action("Enter"), Some(KeyAction::Open));
        assert_eq!(key_action("x"), None);
        assert_eq!(key_action("10"), None);
    }

    #[test]
    fn cycling_wraps_through_all_eleven() {
        assert_eq!(cycle_fbe(None, 1), 0);
        assert_eq!(cycle_fbe(None, -1), 10);
        assert_eq!(cycle_fbe(Some(10), 1), 0);
        assert_eq!(cycle_fbe(Some(0), -1), 10);
        assert_eq!(cycle_fbe(Some(4), 1), 5);
    }

    #[test]
    fn detail_links_keep_the_run_settings() {
        let settings = RunSettings {
            seed: 7,
            view: crate::settings::View::ThreeD,
            tick: Some(50),
            ..RunSettings::default()
        };
        assert_eq!(
            detail_href(&settings, 4),
            "?seed=7&scenario=monte-carlo&speed=1500&view=3d&page=fbe&fbe=FBE_05"
        );
    }
}
