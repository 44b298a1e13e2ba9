/**
 * The test suite's cost: `npm test` (type-check, then vitest) as on a clean clone — dist/ built,
 * no trained fixtures and no incremental type-check state cached (.tmp/fixtures and
 * .tmp/typecheck.tsbuildinfo are removed first, so every fixture network is trained once) — with its CPU time (user + system of npm and every process under it, from bash's `times`),
 * wall time and the number of tests. Goal: under 2 minutes of CPU.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/ensure-built.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** What vitest's JSON reporter writes (the fields read here). */
interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numPendingTests: number;
  testResults: { name: string; startTime: number; endTime: number; assertionResults: { fullName: string; status: string }[] }[];
}

/** Seconds in bash's `times` notation (`1m2.345s`). */
function seconds(t: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(t.trim());
  if (!m) throw new Error(`unexpected time ${JSON.stringify(t)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export async function run(): Promise<string> {
  ensureBuilt();
  await rm(join(ROOT, '.tmp', 'fixtures'), { recursive: true, force: true });
  await rm(join(ROOT, '.tmp', 'typecheck.tsbuildinfo'), { force: true });
  const dir = await mkdtemp(join(tmpdir(), 'bench-suite-'));
  try {
    const report = join(dir, 'vitest.json');
    const load = loadavg()[0];
    const started = performance.now();
    // `times` prints the shell's own and its children's user and system time; the second line is
    // npm's, including every process it waited for (vitest and its workers, tsc, chromium).
    const script = `npm test -- --reporter=json --outputFile=${JSON.stringify(report)} > ${JSON.stringify(join(dir, 'log.txt'))} 2>&1; rc=$?; times; exit $rc`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
    const wall = (performance.now() - started) / 1000;
    const log = await readFile(join(dir, 'log.txt'), 'utf8');
    let vitest: VitestReport;
    try {
      vitest = JSON.parse(await readFile(report, 'utf8')) as VitestReport;
    } catch {
      throw new Error(`npm test failed (exit ${r.status}) before vitest reported; see its output:\n${log.slice(-4000)}`);
    }
    const [user, sys] = r.stdout.trim().split('\n')[1].trim().split(/\s+/).map(seconds);
    // Failures are listed with the figures rather than thrown away with them.
    const failed = vitest.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${f.name.slice(ROOT.length + 1)} > ${a.fullName}`));
    if (failed.length) process.stderr.write(`bench: suite: ${failed.length} failed:\n${failed.join('\n')}\n${log.slice(-4000)}\n`);
    const cpu = user + sys;
    const slowest = [...vitest.testResults]
      .sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime))
      .slice(0, 8)
      .map((f) => `${f.name.slice(ROOT.length + 1)} ${((f.endTime - f.startTime) / 1000).toFixed(0)} s`);
    return [
      '## Test suite (`npm test`)',
      '',
      'The README\'s test command on this machine, as on a clean clone (dist/ built by `npm ci`, no trained fixture networks or type-check state cached): type-check, then vitest. CPU is user + system time of npm and every process under it. Commands are tested in-process through `main(argv)` with captured streams (the smoke tests of test/cli/startup.test.ts spawn the built `bin/distill.js`, as do the queue tests for their worker processes and the coordinator they kill), the networks many tests share are trained once per run (test/helpers/trained.ts), and the test files share one module graph per worker. Before these changes (commit 3534ba4), vitest alone took 306 s user + 39 s system (5.8 min of CPU) and 4 min 19 s of wall time for 328 tests on this machine.',
      '',
      '| CPU (user + system) | wall | test files | tests (passed, skipped) | goal |',
      '| ---: | ---: | ---: | --- | --- |',
      `| ${cpu.toFixed(0)} s (${user.toFixed(0)} + ${sys.toFixed(0)}) | ${wall.toFixed(0)} s | ${vitest.testResults.length} | ${vitest.numTotalTests} (${vitest.numPassedTests}, ${vitest.numPendingTests}${failed.length ? `, ${failed.length} FAILED` : ''}) | < 120 s of CPU ${cpu < 120 ? '(met)' : '(MISSED)'} |`,
      ...(failed.length ? ['', `Failed in this run: ${failed.map((f) => `\`${f}\``).join('; ')}.`] : []),
      '',
      `Slowest files (wall, files run two at a time): ${slowest.join(', ')}.`,
      '',
      `Load average when the run started: ${load.toFixed(1)} (2 cores shared with other work).`,
      '',
    ].join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
