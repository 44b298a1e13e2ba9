/**
 * Shared by the hostile-input tests of model files, HTTP endpoints, outputs and flags: the exact
 * one-line error check, and running many CLI cases a few at a time.
 */
import { expect } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

/** Exit code 2 and exactly `line` (after `distill: `) on stderr, nothing on stdout. */
export function expectLine(r: CliResult, line: string): void {
  expect(r.stderr).toBe(`distill: ${line}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

/** Runs `distill` for each argument list, two at a time, results in order. */
export async function runEach(argLists: string[][], opts: Parameters<typeof runCli>[1] = {}): Promise<CliResult[]> {
  const out: CliResult[] = new Array(argLists.length);
  let next = 0;
  const worker = async () => {
    while (next < argLists.length) {
      const i = next++;
      out[i] = await runCli(argLists[i], { timeoutMs: 300_000, ...opts });
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}
