// The twin compiled to WebAssembly gives bit-identical runs to the native build: same summary,
// same state hash, for the scripted brew day and for Monte Carlo runs of several seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { runWasi } from './wasi.mjs';

const wasm = process.env.TWIN_WASM;
const native = process.env.TWIN_NATIVE;
if (!wasm || !native) {
  throw new Error('set TWIN_WASM and TWIN_NATIVE to the wasm32-wasip1 and native twin builds');
}

const runs = [
  ['scripted', '--seed', '42'],
  ['monte-carlo', '--seed', '1', '--ticks', '3000'],
  ['monte-carlo', '--seed', '42', '--ticks', '3000'],
  ['monte-carlo', '--seed', '18446744073709551615', '--ticks', '3000'],
];

for (const args of runs) {
  test(`wasm and native agree: ${args.join(' ')}`, async () => {
    const nativeJson = JSON.parse(execFileSync(native, [...args, '--json'], { encoding: 'utf8' }));
    const result = await runWasi(wasm, [...args, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const wasmJson = JSON.parse(result.stdout);
    assert.equal(wasmJson.state_hash, nativeJson.state_hash);
    assert.deepEqual(wasmJson, nativeJson);
  });
}

test('different seeds give different states in wasm', async () => {
  const hashes = new Set();
  for (const seed of ['1', '2', '3']) {
    const result = await runWasi(wasm, ['monte-carlo', '--seed', seed, '--ticks', '500', '--json']);
    hashes.add(JSON.parse(result.stdout).state_hash);
  }
  assert.equal(hashes.size, 3);
});

test('bad arguments exit with status 2 in wasm too', async () => {
  const result = await runWasi(wasm, ['scripted', '--seed', 'forty-two']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^twin: --seed must be a whole number/);
});
