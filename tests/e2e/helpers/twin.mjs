// The native twin runner, to compare the console's runs with: its JSON summary and the console's
// way of writing values.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The native runner built by `cargo build --release -p twin`. */
export const TWIN_NATIVE = process.env.TWIN_NATIVE ?? path.join(ROOT, 'target/release/twin');

/** Runs the native twin with `args` and returns its JSON summary. */
export function nativeRun(args) {
  return JSON.parse(execFileSync(TWIN_NATIVE, [...args, '--json'], { encoding: 'utf8' }));
}

/** A fact value written as the console writes it (see web-app/src/format.rs). */
export function displayed(value) {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value.replaceAll('_', ' ');
  if (Array.isArray(value)) return `(${value.join(', ')})`;
  if (Number.isInteger(value)) return String(value);
  const text = value.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

/** Every fact of a native summary as the console displays it, by name. */
export function expectedTexts(summary) {
  return Object.fromEntries(Object.entries(summary.facts).map(([k, v]) => [k, displayed(v)]));
}
