#!/usr/bin/env bash
# Measures the target-shooting workload of pon-core natively and in WebAssembly, and prints the
# median time per iteration of both with their ratio.
#
# The runner is the example pon-core/examples/target_shooting.rs, built in release mode for the
# host and for wasm32-wasip1; Node runs the wasm through its WASI preview 1 support
# (scripts/run-wasi.mjs). SAMPLES sets the timed samples per configuration (default 31).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_TARGET="wasm32-wasip1"
SAMPLES="${SAMPLES:-31}"
cd "$ROOT"

note() {
  printf '\n==> %s\n' "$*"
}

if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
  note "Adding the Rust target $WASM_TARGET"
  rustup target add "$WASM_TARGET"
fi

note "Building the runner for the host and for $WASM_TARGET (release)"
cargo build --release -p pon-core --example target_shooting
cargo build --release -p pon-core --example target_shooting --target "$WASM_TARGET"
target_dir="$(cargo metadata --format-version 1 --no-deps |
  node -e 'let s = ""; process.stdin.on("data", (d) => (s += d));
           process.stdin.on("end", () => console.log(JSON.parse(s).target_directory));')"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

note "Running natively ($(rustc --version))"
"$target_dir/release/examples/target_shooting" "$SAMPLES" | tee "$results/native.jsonl"

note "Running in WebAssembly (Node $(node --version), WASI preview 1)"
node --no-warnings "$ROOT/scripts/run-wasi.mjs" \
  "$target_dir/$WASM_TARGET/release/examples/target_shooting.wasm" "$SAMPLES" |
  tee "$results/wasm.jsonl"

note "Median time per iteration, native and wasm"
awk '
  function field(line, key,    value) {
    if (!match(line, "\"" key "\":\"?[^,\"}]*")) return ""
    value = substr(line, RSTART, RLENGTH)
    sub("^\"" key "\":\"?", "", value)
    return value
  }
  function key_of(line) {
    return field(line, "impl") " " field(line, "n") " " field(line, "p")
  }
  FNR == NR { native[key_of($0)] = field($0, "median_ns_per_iter"); next }
  FNR == 1 {
    printf "%-13s %6s %4s %8s %15s %15s %12s\n", "impl", "N", "P %", "firings",
      "native ns/iter", "wasm ns/iter", "wasm/native"
  }
  {
    k = key_of($0)
    wasm = field($0, "median_ns_per_iter")
    printf "%-13s %6s %4s %8s %15.1f %15.1f %12.2f\n", field($0, "impl"), field($0, "n"),
      field($0, "p"), field($0, "firings_per_iter"), native[k], wasm, wasm / native[k]
  }
' "$results/native.jsonl" "$results/wasm.jsonl"
