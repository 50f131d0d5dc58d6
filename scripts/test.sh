#!/usr/bin/env bash
# Runs every check of the project in order and stops at the first failure:
# formatting, lints, native tests, the browser build, and the end-to-end tests in headless
# Chromium against the built console served on a free local port.
#
# TEST_CARGO_FLAGS adds flags to `cargo test` (for example --release when property tests are slow).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$ROOT/scripts/setup.sh"
cd "$ROOT"

note "Formatting (cargo fmt)"
cargo fmt --all -- --check

note "Lints (cargo clippy)"
cargo clippy --workspace --all-targets -- -D warnings

note "Native unit, property and cross-crate tests (cargo test)"
# shellcheck disable=SC2086 # the flags are meant to split into words
cargo test --workspace ${TEST_CARGO_FLAGS:-}

note "The twin in WebAssembly gives the same runs as natively (tests/wasm)"
cargo build -q --release -p twin
cargo build -q --release -p twin --target wasm32-wasip1
TWIN_NATIVE="$ROOT/target/release/twin" \
  TWIN_WASM="$ROOT/target/wasm32-wasip1/release/twin.wasm" \
  node --test "$ROOT/tests/wasm/"

note "Browser build (trunk build --release)"
trunk build --release --offline

note "End-to-end tests in headless Chromium (tests/e2e)"
port="$(free_port)"
trap stop_dist_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_dist_server "$port"
CONSOLE_URL="http://127.0.0.1:$port/" node --test "$E2E_DIR/"
