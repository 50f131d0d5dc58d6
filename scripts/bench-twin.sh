#!/usr/bin/env bash
# Monte Carlo ticks per second of the twin, natively and in WebAssembly (wasm32-wasip1 in
# Node's WASI host), from the same example program; prints both and their ratio.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

ticks="${1:-100000}"
rustup target add wasm32-wasip1 >/dev/null 2>&1 || true
cargo build -q --release -p twin --example tick_rate
cargo build -q --release -p twin --example tick_rate --target wasm32-wasip1

native="$(target/release/examples/tick_rate "$ticks")"
wasm="$(node --input-type=module -e "
import { runWasi } from './tests/wasm/wasi.mjs';
const r = await runWasi('target/wasm32-wasip1/release/examples/tick_rate.wasm', ['$ticks']);
process.stdout.write(r.stdout);
")"
echo "native: $native"
echo "wasm:   $wasm"
node -e "
const n = JSON.parse(process.argv[1]), w = JSON.parse(process.argv[2]);
if (n.state_hash !== w.state_hash) { console.error('the two builds disagree'); process.exit(1); }
console.log('wasm / native time per tick: ' + (n.ticks_per_second / w.ticks_per_second).toFixed(2));
" "$native" "$wasm"
