// Runs a WASI preview 1 program (a .wasm built for wasm32-wasip1) in Node and exits with its
// exit code. Usage: node scripts/run-wasi.mjs program.wasm [arguments...]
import { readFile } from "node:fs/promises";
import { argv, exit } from "node:process";
import { WASI } from "node:wasi";

const [path, ...args] = argv.slice(2);
if (!path) {
  console.error("usage: node scripts/run-wasi.mjs program.wasm [arguments...]");
  exit(2);
}

const wasi = new WASI({ version: "preview1", args: [path, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
