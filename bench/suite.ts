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
    if (r.status !== 0) throw new Error(`npm test failed (exit ${r.status}); see its output:\n${(await readFile(join(dir, 'log.txt'), 'utf8')).slice(-4000)}`);
    const [user, sys] = r.stdout.trim().split('\n')[1].trim().split(/\s+/).map(seconds);
    const vitest = JSON.parse(await readFile(report, 'utf8')) as { numTotalTests: number; numPassedTests: number; numPendingTests: number; testResults: unknown[] };
    const cpu = user + sys;
    return [
      '## Test suite (`npm test`)',
      '',
      'The README\'s test command on this machine, as on a clean clone (dist/ built by `npm ci`, no trained fixture networks or type-check state cached): type-check, then vitest. CPU is user + system time of npm and every process under it. Commands are tested in-process through `main(argv)` with captured streams (6 smoke tests spawn the built `bin/distill.js`), the networks many tests share are trained once per run (test/helpers/trained.ts), and the test files share one module graph per worker. Before these changes (commit 3534ba4), vitest alone took 306 s user + 39 s system (5.8 min of CPU) and 4 min 19 s of wall time for 328 tests on this machine.',
      '',
      '| CPU (user + system) | wall | test files | tests (passed, skipped) | goal |',
      '| ---: | ---: | ---: | --- | --- |',
      `| ${cpu.toFixed(0)} s (${user.toFixed(0)} + ${sys.toFixed(0)}) | ${wall.toFixed(0)} s | ${vitest.testResults.length} | ${vitest.numTotalTests} (${vitest.numPassedTests}, ${vitest.numPendingTests}) | < 120 s of CPU ${cpu < 120 ? '(met)' : '(MISSED)'} |`,
      '',
      `Load average when the run started: ${load.toFixed(1)} (2 cores shared with other work).`,
      '',
    ].join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
