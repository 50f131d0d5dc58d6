#!/usr/bin/env bash
# Installs every tool the project needs that is missing, and skips what is already present at the
# right version, so that a second run takes a second or so. Runs as root on Debian 12 with
# rustup's Rust toolchain; the only network it needs is the package registries.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

TRUNK_SERIES="0.21"

# The version of the `wasm-bindgen` package in Cargo.lock: the CLI must match it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { found = 1; next }
       found && /^version = / { gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock"
}

# The wasm-bindgen version that Trunk.toml pins.
pinned_wasm_bindgen_version() {
  sed -n 's/^wasm_bindgen = "\(.*\)"$/\1/p' "$ROOT/Trunk.toml"
}

ensure_rust_parts() {
  if ! command -v cargo >/dev/null; then
    echo "cargo is not on the PATH: install Rust with rustup first." >&2
    exit 1
  fi
  # wasm32-unknown-unknown builds the console; wasm32-wasip1 runs the twin's command-line
  # runner and benchmarks in Node, to check that WebAssembly runs match native ones.
  local target
  for target in wasm32-unknown-unknown wasm32-wasip1; do
    if rustup target list --installed | grep -qx "$target"; then
      echo "$target target: present"
    else
      note "Adding the $target target"
      rustup target add "$target"
    fi
  done
  local missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  if ((${#missing[@]})); then
    note "Adding rustup components: ${missing[*]}"
    rustup component add "${missing[@]}"
  else
    echo "rustfmt and clippy: present"
  fi
}

ensure_trunk() {
  local found
  found="$(trunk --version 2>/dev/null || true)"
  if [[ "$found" == "trunk $TRUNK_SERIES."* ]]; then
    echo "trunk: $found"
    return
  fi
  # Trunk 0.22 needs a newer Rust than this project's 1.95. Building it takes about 13 minutes.
  note "Installing trunk $TRUNK_SERIES (found: ${found:-none}); this takes about 13 minutes"
  cargo install trunk --version "~$TRUNK_SERIES" --locked
}

ensure_wasm_bindgen() {
  local wanted pinned found
  wanted="$(locked_wasm_bindgen_version)"
  pinned="$(pinned_wasm_bindgen_version)"
  if [[ -z "$wanted" ]]; then
    echo "Cargo.lock names no wasm-bindgen package; run 'cargo generate-lockfile' first." >&2
    exit 1
  fi
  if [[ "$wanted" != "$pinned" ]]; then
    echo "Cargo.lock uses wasm-bindgen $wanted but Trunk.toml pins $pinned:" \
      "set wasm_bindgen = \"$wanted\" in Trunk.toml." >&2
    exit 1
  fi
  found="$(wasm-bindgen --version 2>/dev/null || true)"
  if [[ "$found" == "wasm-bindgen $wanted" ]]; then
    echo "wasm-bindgen: $found"
    return
  fi
  # No --locked: one of the CLI's locked dependencies is no longer in the registry.
  note "Installing wasm-bindgen-cli $wanted (found: ${found:-none}); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "$wanted"
}

ensure_debian_packages() {
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
  command -v python3 >/dev/null || missing+=(python3)
  if ((${#missing[@]} == 0)); then
    echo "chromium, chromium-driver and python3: present"
    return
  fi
  note "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # With recommends: they bring the fonts (fonts-liberation) that pages and screenshots use.
  apt-get install -y "${missing[@]}"
}

ensure_node_packages() {
  if ! command -v npm >/dev/null; then
    echo "Node.js 20 or newer with npm is needed for the browser tests and wasm-opt." >&2
    exit 1
  fi
  local stamp="$E2E_DIR/node_modules/.installed-from-lock" lock_sum
  lock_sum="$(sha256sum "$E2E_DIR/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sum" ]]; then
    echo "tests/e2e node packages: up to date with package-lock.json"
    return
  fi
  note "Installing the node packages of tests/e2e (playwright-core, binaryen)"
  (cd "$E2E_DIR" && npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$stamp"
}

note "Checking the tools"
ensure_rust_parts
ensure_debian_packages
ensure_node_packages
ensure_trunk
ensure_wasm_bindgen
