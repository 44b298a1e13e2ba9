/**
 * Shared by the hostile-input tests of model files, HTTP endpoints, outputs and flags: the exact
 * one-line error check, and running the CLI in this process (many cases, one engine start).
 */
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliResult } from '../helpers/cli.js';

/** Exit code 2 and exactly `line` (after `distill: `) on stderr, nothing on stdout. */
export function expectLine(r: CliResult, line: string): void {
  expect(r.stderr).toBe(`distill: ${line}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

/**
 * Runs `distill ...args` in this process, capturing what it writes to stdout and stderr (one run at
 * a time: the streams are shared).
 */
export async function runHere(args: string[]): Promise<CliResult> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  process.env.SOURCE_DATE_EPOCH ??= '1767225600';
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof out;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof err;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

/** Runs `distill` for each argument list in turn, results in order. */
export async function runEach(argLists: string[][]): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (const args of argLists) out.push(await runHere(args));
  return out;
}
