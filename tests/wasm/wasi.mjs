// Runs a wasm32-wasip1 command-line program in Node's WASI host and returns what it printed.
import { WASI } from 'node:wasi';
import { readFileSync, openSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const modules = new Map();

export async function runWasi(wasmPath, args) {
  let module = modules.get(wasmPath);
  if (!module) {
    module = await WebAssembly.compile(readFileSync(wasmPath));
    modules.set(wasmPath, module);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wasi-'));
  const outPath = join(dir, 'stdout');
  const errPath = join(dir, 'stderr');
  const stdout = openSync(outPath, 'w');
  const stderr = openSync(errPath, 'w');
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: ['program', ...args],
      env: {},
      stdout,
      stderr,
      returnOnExit: true,
    });
    const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
    const code = wasi.start(instance);
    closeSync(stdout);
    closeSync(stderr);
    return {
      code,
      stdout: readFileSync(outPath, 'utf8'),
      stderr: readFileSync(errPath, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
