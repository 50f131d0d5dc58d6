//! Draws a [`PlantScene`] on a canvas with WebGL2: one vertex array per piece, uploaded once,
//! one flat-shaded program with a directional light, and a draw call per visible piece, opaque
//! pieces first and see-through ones after.

use glam::{Mat4, Vec3};
use wasm_bindgen::JsCast;
use web_sys::{
    HtmlCanvasElement, WebGl2RenderingContext as Gl, WebGlProgram, WebGlShader,
    WebGlUniformLocation, WebGlVertexArrayObject,
};

use super::mesh::FLOATS_PER_VERTEX;
use super::plant::PlantScene;

/// The canvas's clear colour: the page's panel grey.
pub const BACKGROUND: [f32; 3] = [0.86, 0.87, 0.88];

const VERTEX_SHADER: &str = r#"#version 300 es
layout(location = 0) in vec3 a_position;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in vec3 a_colour;
layout(location = 3) in float a_tint;
uniform mat4 u_view_projection;
uniform mat4 u_model;
out vec3 v_normal;
out vec3 v_colour;
out float v_tint;
out vec3 v_world;
void main() {
    vec4 world = u_model * vec4(a_position, 1.0);
    v_world = world.xyz;
    v_normal = mat3(u_model) * a_normal;
    v_colour = a_colour;
    v_tint = a_tint;
    gl_Position = u_view_projection * world;
}
"#;

const FRAGMENT_SHADER: &str = r#"#version 300 es
precision mediump float;
in vec3 v_normal;
in vec3 v_colour;
in float v_tint;
in vec3 v_world;
uniform vec4 u_status;
uniform vec3 u_glow;
uniform float u_alpha;
uniform vec3 u_eye;
uniform vec3 u_background;
out vec4 out_colour;
const vec3 SUN = normalize(vec3(0.45, 1.0, 0.35));
const vec3 FILL = normalize(vec3(-0.6, 0.25, -0.45));
void main() {
    vec3 n = normalize(v_normal);
    vec3 base = mix(v_colour, u_status.rgb, v_tint * u_status.a);
    float light = 0.40 + 0.55 * max(dot(n, SUN), 0.0) + 0.18 * max(dot(n, FILL), 0.0);
    vec3 lit = base * light + u_glow;
    float haze = 1.0 - exp(-length(v_world - u_eye) * 0.002);
    out_colour = vec4(mix(lit, u_background, haze * 0.6), u_alpha);
}
"#;

/// How to draw one piece this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawItem {
    /// Index of the piece in the scene.
    pub piece: usize,
    /// Its transform in the plant.
    pub model: Mat4,
    /// Status colour and how strongly it tints the body (0 for none).
    pub status: [f32; 4],
    /// Light given off.
    pub glow: Vec3,
    /// Opacity; below 1 the piece is drawn after the opaque ones, blended.
    pub alpha: f32,
}

struct Uniforms {
    view_projection: Option<WebGlUniformLocation>,
    model: Option<WebGlUniformLocation>,
    status: Option<WebGlUniformLocation>,
    glow: Option<WebGlUniformLocation>,
    alpha: Option<WebGlUniformLocation>,
    eye: Option<WebGlUniformLocation>,
    background: Option<WebGlUniformLocation>,
}

struct GpuMesh {
    vertex_array: WebGlVertexArrayObject,
    count: i32,
}

/// A WebGL2 context with the scene's meshes uploaded.
pub struct Renderer {
    gl: Gl,
    program: WebGlProgram,
    uniforms: Uniforms,
    meshes: Vec<Option<GpuMesh>>,
}

fn compile(gl: &Gl, kind: u32, source: &str) -> Result<WebGlShader, String> {
    let shader = gl
        .create_shader(kind)
        .ok_or("the graphics driver could not create a shader")?;
    gl.shader_source(&shader, source);
    gl.compile_shader(&shader);
    if gl
        .get_shader_parameter(&shader, Gl::COMPILE_STATUS)
        .as_bool()
        .unwrap_or(false)
    {
        Ok(shader)
    } else {
        Err(format!(
            "a shader did not compile: {}",
            gl.get_shader_info_log(&shader).unwrap_or_default()
        ))
    }
}

impl Renderer {
    /// Opens a WebGL2 context on `canvas` and uploads `scene`. Fails, with a reason in plain
    /// words, when the browser offers no WebGL2.
    pub fn new(canvas: &HtmlCanvasElement, scene: &PlantScene) -> Result<Renderer, String> {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"antialias".into(), &false.into());
        let gl = canvas
            .get_context_with_context_options("webgl2", &options)
            .map_err(|_| "the browser refused to open a WebGL2 context".to_owned())?
            .ok_or("this browser or its graphics settings offer no WebGL2")?
            .dyn_into::<Gl>()
            .map_err(|_| "the canvas returned a context that is not WebGL2".to_owned())?;

        let vertex = compile(&gl, Gl::VERTEX_SHADER, VERTEX_SHADER)?;
        let fragment = compile(&gl, Gl::FRAGMENT_SHADER, FRAGMENT_SHADER)?;
        let program = gl
            .create_program()
            .ok_or("the graphics driver could not create a program")?;
        gl.attach_shader(&program, &vertex);
        gl.attach_shader(&program, &fragment);
        gl.link_program(&program);
        if !gl
            .get_program_parameter(&program, Gl::LINK_STATUS)
            .as_bool()
            .unwrap_or(false)
        {
            return Err(format!(
                "the shaders did not link: {}",
                gl.get_program_info_log(&program).unwrap_or_default()
            ));
        }
        let location = |name: &str| gl.get_uniform_location(&program, name);
        let uniforms = Uniforms {
            view_projection: location("u_view_projection"),
            model: location("u_model"),
            status: location("u_status"),
            glow: location("u_glow"),
            alpha: location("u_alpha"),
            eye: location("u_eye"),
            background: location("u_background"),
        };

        let mut meshes = Vec::with_capacity(scene.pieces.len());
        for piece in &scene.pieces {
            meshes.push(upload(&gl, &piece.mesh.vertices)?);
        }
        Ok(Renderer {
            gl,
            program,
            uniforms,
            meshes,
        })
    }

    /// Draws `items` into a drawing buffer of `width` × `height` device pixels.
    pub fn draw(
        &self,
        width: i32,
        height: i32,
        view_projection: Mat4,
        eye: Vec3,
        items: &[DrawItem],
    ) {
        let gl = &self.gl;
        gl.viewport(0, 0, width, height);
        let [r, g, b] = BACKGROUND;
        gl.clear_color(r, g, b, 1.0);
        gl.clear(Gl::COLOR_BUFFER_BIT | Gl::DEPTH_BUFFER_BIT);
        gl.enable(Gl::DEPTH_TEST);
        gl.disable(Gl::CULL_FACE);
        gl.use_program(Some(&self.program));
        let u = &self.uniforms;
        gl.uniform_matrix4fv_with_f32_array(
            u.view_projection.as_ref(),
            false,
            &view_projection.to_cols_array(),
        );
        gl.uniform3f(u.eye.as_ref(), eye.x, eye.y, eye.z);
        gl.uniform3f(u.background.as_ref(), r, g, b);

        gl.disable(Gl::BLEND);
        gl.depth_mask(true);
        for item in items.iter().filter(|i| i.alpha >= 1.0) {
            self.draw_item(item);
        }
        gl.enable(Gl::BLEND);
        gl.blend_func(Gl::SRC_ALPHA, Gl::ONE_MINUS_SRC_ALPHA);
        gl.depth_mask(false);
        for item in items.iter().filter(|i| i.alpha < 1.0) {
            self.draw_item(item);
        }
        gl.depth_mask(true);
        gl.bind_vertex_array(None);
    }

    fn draw_item(&self, item: &DrawItem) {
        let Some(Some(mesh)) = self.meshes.get(item.piece) else {
            return;
        };
        let gl = &self.gl;
        let u = &self.uniforms;
        gl.uniform_matrix4fv_with_f32_array(u.model.as_ref(), false, &item.model.to_cols_array());
        let [r, g, b, a] = item.status;
        gl.uniform4f(u.status.as_ref(), r, g, b, a);
        gl.uniform3f(u.glow.as_ref(), item.glow.x, item.glow.y, item.glow.z);
        gl.uniform1f(u.alpha.as_ref(), item.alpha);
        gl.bind_vertex_array(Some(&mesh.vertex_array));
        gl.draw_arrays(Gl::TRIANGLES, 0, mesh.count);
    }
}

fn upload(gl: &Gl, vertices: &[f32]) -> Result<Option<GpuMesh>, String> {
    if vertices.is_empty() {
        return Ok(None);
    }
    let vertex_array = gl
        .create_vertex_array()
        .ok_or("the graphics driver could not create a vertex array")?;
    gl.bind_vertex_array(Some(&vertex_array));
    let buffer = gl
        .create_buffer()
        .ok_or("the graphics driver could not create a buffer")?;
    gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&buffer));
    let bytes: Vec<u8> = vertices.iter().flat_map(|f| f.to_le_bytes()).collect();
    gl.buffer_data_with_u8_array(Gl::ARRAY_BUFFER, &bytes, Gl::STATIC_DRAW);
    let stride = (FLOATS_PER_VERTEX * 4) as i32;
    for (location, size, offset) in [(0, 3, 0), (1, 3, 3), (2, 3, 6), (3, 1, 9)] {
        gl.enable_vertex_attrib_array(location);
        gl.vertex_attrib_pointer_with_i32(location, size, Gl::FLOAT, false, stride, offset * 4);
    }
    gl.bind_vertex_array(None);
    Ok(Some(GpuMesh {
        vertex_array,
        count: (vertices.len() / FLOATS_PER_VERTEX) as i32,
    }))
}
