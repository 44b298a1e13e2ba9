/**
 * The queue with a real Redis (started by the test on a free loopback port, password-protected)
 * and two `distill worker` processes: a queued `explain --all` over 800 rows writes the same
 * bytes as a local run, also when a worker is killed mid-run (SIGKILL) and when the coordinator
 * is killed and started again (which redoes no finished batch); a batch failing on the workers
 * fails the run in one line. The workers and the coordinator that is killed are separate
 * processes of the built binary (`node bin/distill.js`, rebuilt first when dist/ is stale); the
 * other coordinators run in-process.
 *
 * Kept lean: a 4-6-2 ONNX network, 800 rows, LIME with 50 samples, no fidelity samples, no faithfulness.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPLANATION_SCHEMA_PATH } from '../../../src/index.js';
import { ensureBuilt, ROOT, runCli, spawnBuiltCli } from '../../helpers/cli.js';
import { redisMissing, startRedis, type TestRedis } from '../../helpers/redis.js';
import { explainFixtureArgs, writeScaleFixture } from '../fixture.js';

const PASSWORD = 'pw-Zq81-secret';
const ENV = { SOURCE_DATE_EPOCH: '1767225600' };
/** Rows of the fixture: each run below explains all of them. */
const ROWS = 800;

let dir: string;
let redis: TestRedis;
let local: string;
const workers: { child: ChildProcess; log: string[] }[] = [];

const explainArgs = (out: string) => [...explainFixtureArgs(dir, out, 50), '--faithfulness', '0'];

function startWorker(name: string): { child: ChildProcess; log: string[] } {
  // 5 s before a silent worker's batch goes to another: short for the kill test, long enough that a
  // busy worker on a loaded machine keeps its lock (a batch redone twice would break the counts).
  const child = spawnBuiltCli(['worker', '--queue', redis.url, '--stall-seconds', '5', '--cache', join(dir, `cache-${name}`)], { env: ENV, stdout: 'ignore' });
  const w = { child, log: [] as string[] };
  child.stderr!.on('data', (d: Buffer) => w.log.push(...d.toString().split('\n').filter(Boolean)));
  workers.push(w);
  return w;
}

async function until(what: string, ok: () => boolean, ms = 180_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const runOf = (stderr: string) => /run ([0-9a-f]{12})/.exec(stderr)?.[1] ?? 'none';
const doneLines = (run: string) => workers.flatMap((w) => w.log).filter((l) => l.includes(`run ${run} batch`) && l.includes('done in'));

describe.skipIf(redisMissing !== null)(`explain --queue with a real Redis${redisMissing ? ` (skipped: ${redisMissing})` : ''}`, () => {
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'distill-queue-'));
    writeScaleFixture(dir, ROWS);
    redis = await startRedis({ password: PASSWORD });
    startWorker('a');
    startWorker('b');
    local = join(dir, 'local.json');
    const r = await runCli([...explainArgs(local), '--workers', '1', '--quiet'], { env: ENV });
    if (r.code !== 0) throw new Error(r.stderr);
    await until('two workers', () => workers.every((w) => w.log.some((l) => l.includes('waiting for batches'))));
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('two workers write the same bytes as a local run; progress on stderr; the password nowhere', { timeout: 240_000 }, async () => {
    const out = join(dir, 'queued.json');
    const r = await runCli([...explainArgs(out), '--queue', redis.url, '--rows-per-batch', '40'], { env: ENV });
    expect(r.stderr).toMatch(/queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: run [0-9a-f]{12}, 20 batches of up to 40 rows/);
    expect(r.stderr).toMatch(/queue: 20\/20 batches done/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(readFileSync(local, 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, EXPLANATION_SCHEMA_PATH), 'utf8')));
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const run = runOf(r.stderr);
    expect(doneLines(run)).toHaveLength(20);
    // Both workers took batches.
    expect(workers.filter((w) => w.log.some((l) => l.includes(`run ${run} batch`))).length).toBe(2);
    for (const s of [text, r.stderr, ...workers.flatMap((w) => w.log)]) expect(s).not.toContain(PASSWORD);
  });

  it('a worker killed mid-run (SIGKILL) loses nothing: the same bytes', async () => {
    const out = join(dir, 'killed.json');
    const [a] = workers;
    const before = a.log.length;
    const run = runCli([...explainArgs(out), '--queue', redis.url, '--rows-per-batch', '16'], { env: ENV });
    await until('a first batch on worker a', () => a.log.slice(before).some((l) => l.includes('done in')));
    a.child.kill('SIGKILL');
    const r = await run;
    expect(r.stderr).toMatch(/queue: 50\/50 batches done/);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(local, 'utf8'));
    const done = doneLines(runOf(r.stderr));
    expect(done.length).toBeGreaterThanOrEqual(50);
    startWorker('c');
  }, 240_000);

  it('a coordinator killed and started again resumes without redoing finished batches', async () => {
    await until('the new worker', () => workers[2].log.some((l) => l.includes('waiting for batches')));
    const out = join(dir, 'resumed.json');
    const args = [...explainArgs(out), '--queue', redis.url, '--rows-per-batch', '20'];
    const first = spawnBuiltCli(args, { env: ENV, stdout: 'ignore' });
    let stderr = '';
    first.stderr!.on('data', (d: Buffer) => (stderr += d));
    await until('the run to start', () => runOf(stderr) !== 'none');
    const run = runOf(stderr);
    await until('5 batches done', () => doneLines(run).length >= 5);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(existsSync(out)).toBe(false);
    const r = await runCli(args, { env: ENV });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`run ${run}, 40 batches of up to 20 rows, \\d+ already done \\(resuming\\)`));
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(local, 'utf8'));
    // Every batch computed exactly once over both coordinators.
    expect(doneLines(run)).toHaveLength(40);
  }, 240_000);

  it('a batch that fails on the workers fails the run: one line naming its rows, exit 2, no file', async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    // A worker whose cached copy of the model is damaged: loading it is bad input, not retried.
    const bytes = readFileSync(join(dir, 'model', 'model.onnx'));
    const files = [{ name: 'model.onnx', hash: createHash('sha256').update(bytes).digest('hex') }];
    const cached = join(dir, 'cache-x', 'models', createHash('sha256').update(JSON.stringify(files)).digest('hex'));
    mkdirSync(cached, { recursive: true });
    writeFileSync(join(cached, 'model.onnx'), 'not onnx');
    const x = startWorker('x');
    await until('the damaged worker', () => x.log.some((l) => l.includes('waiting for batches')));
    const out = join(dir, 'failed.json');
    const r = await runCli([...explainArgs(out), '--queue', redis.url, '--rows-per-batch', '400', '--quiet'], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^distill: --queue: batch [01] \(rows (0-399|400-799)\) failed on the workers: .*not a valid ONNX model.*\n$/);
    expect(existsSync(out)).toBe(false);
  }, 240_000);
});
