/**
 * Shared by every hostile-input test (model files, HTTP endpoints, outputs, flags, data, rules): the exact
 * one-line error check, and running many CLI cases in this process (test/helpers/cli.ts).
 */
import { expect } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

/** Exit code 2 and exactly `line` (after `distill: `) on stderr, nothing on stdout. */
export function expectLine(r: CliResult, line: string): void {
  expect(r.stderr).toBe(`distill: ${line}\n`);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

/** Runs `distill ...args` in this process. */
export const runHere = (args: string[]): Promise<CliResult> => runCli(args);

/** Runs `distill` for each argument list in turn, results in order. */
export async function runEach(argLists: string[][]): Promise<CliResult[]> {
  const out: CliResult[] = [];
  for (const args of argLists) out.push(await runCli(args));
  return out;
}
