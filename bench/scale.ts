/**
 * Scale: batch explanations with 1 and 2 worker threads (LIME over 1,000 rows; SHAP over 200 rows
 * when the registry has it, else Anchors over 200 rows), and a queue run with two `distill worker`
 * processes on this machine against one local process, in rows per second. Wall and CPU time
 * (all threads of this process; the queue's workers are other processes) and the load average
 * are written beside each figure: the machine is shared, so expect noise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../scripts/ensure-built.js';
import { identityEncoder } from '../src/data/encoder.js';
import type { Dataset, Feature } from '../src/data/types.js';
import { explainRows } from '../src/local/run.js';
import { exportExplanations } from '../src/local/schema.js';
import { denseNetworkToOnnx } from '../src/model/denseNetworkToOnnx.js';
import { loadModel } from '../src/model/loadModel.js';
import type { TabularModel } from '../src/model/types.js';
import { threadRunner } from '../src/scale/explain.js';
import { withWorkers, WORKER_YOUNG_GENERATION_MB } from '../src/scale/pool.js';
import { createRng } from '../src/util/rng.js';

const D = 10;

function fixture(dir: string, n: number): Dataset {
  const rng = createRng(11);
  const h = 32;
  const net = {
    layers: [
      { inputSize: D, outputSize: h, weights: Float64Array.from({ length: D * h }, () => rng.normal() / Math.sqrt(D)), biases: new Float64Array(h), activation: 'relu' as const },
      { inputSize: h, outputSize: 2, weights: Float64Array.from({ length: h * 2 }, () => rng.normal() / Math.sqrt(h)), biases: new Float64Array(2), activation: 'softmax' as const },
    ],
  };
  writeFileSync(join(dir, 'model.onnx'), denseNetworkToOnnx(net));
  const features: Feature[] = Array.from({ length: D }, (_, j) => ({ name: `x${j}`, type: 'numeric' }));
  const rows = Array.from({ length: n }, () => features.map(() => rng.normal()));
  const data: Dataset = { source: 'synthetic', schema: { features, target: { name: 'y', kind: 'class', classes: ['a', 'b'] } }, rows, target: rows.map((r) => (r[0] > 0 ? 'b' : 'a')), missing: 0 };
  writeFileSync(join(dir, 'encoder.json'), JSON.stringify(identityEncoder(data)));
  writeFileSync(join(dir, 'data.json'), JSON.stringify(data));
  return data;
}

export interface Timed {
  text: string;
  wall: number;
  cpu: number;
  load: number;
}

async function timed(fn: () => Promise<string>): Promise<Timed> {
  const load = os.loadavg()[0];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const text = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { text, wall, cpu: (c.user + c.system) / 1e6, load };
}

const f1 = (x: number) => x.toFixed(1);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** `PAIRS` runs with 1 worker and with 2, alternated (1, 2, 1, 2, …) so that a change in the machine's load touches both; medians. */
const PAIRS = 5;

/**
 * One method's runs with the threads kept, in the calling process: a first run with 1 worker and
 * one with 2 (not counted), then `pairs` pairs, alternated. The models are loaded as `explain`
 * loads them (one onnxruntime thread in each thread); the 2-worker runs use a model given its
 * threads once (`withWorkers`). Each run's text is replaced by its SHA-256.
 */
export async function keptRuns(dir: string, method: string, n: number, pairs: number): Promise<{ first: Timed[]; one: Timed[]; two: Timed[] }> {
  const data = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')) as Dataset;
  const single = await loadModel(dir, { threads: 1 });
  const kept = withWorkers(await loadModel(dir, { threads: 1 }), 2).model;
  try {
    const rows = data.rows.slice(0, n);
    const rowIds = rows.map((_, i) => i);
    const run = (workers: number) => async () => {
      const model = workers === 1 ? single : kept;
      const text = exportExplanations(await explainRows(method, { model, data, rows, rowIds, seed: 1, runner: threadRunner(model, workers) }, {}));
      return createHash('sha256').update(text).digest('hex');
    };
    process.stderr.write(`scale: ${method} over ${n} rows, first runs...\n`);
    const first = [await timed(run(1)), await timed(run(2))];
    const one: Timed[] = [];
    const two: Timed[] = [];
    for (let k = 0; k < pairs; k++) {
      process.stderr.write(`scale: ${method} over ${n} rows, pair ${k + 1} of ${pairs}\n`);
      one.push(await timed(run(1)));
      two.push(await timed(run(2)));
    }
    return { first, one, two };
  } finally {
    await single.dispose();
    await kept.dispose();
  }
}

/**
 * The table row of {@link keptRuns} for `method`, run in a process of its own (bench/scale-kept.ts):
 * what one method's runs leave in a heap (its size, hence when V8 collects) never weighs on the
 * other's.
 */
function keptRow(dir: string, method: string, n: number, pairs = PAIRS): { line: string; speedUp: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/scale-kept.ts', dir, method, String(n), String(pairs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  if (r.status !== 0) throw new Error(`scale: the ${method} runs failed (exit ${r.status})`);
  const { first, one, two } = JSON.parse(r.stdout) as Awaited<ReturnType<typeof keptRuns>>;
  const same = [...first, ...one, ...two].every((t) => t.text === one[0].text) ? 'yes' : 'NO';
  const loads = [...one, ...two].map((t) => t.load);
  return {
    line: `| ${method} | ${n} | ${cell(one)} | ${cell(two)} | ${speedUp(one, two)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} | ${f1(first[0].wall)} s, ${f1(first[1].wall)} s | ${same} |`,
    speedUp: median(one.map((t) => t.wall)) / median(two.map((t) => t.wall)),
  };
}

/** "median s (CPU median s)" of some runs. */
const cell = (ts: Timed[]) => `${f1(median(ts.map((t) => t.wall)))} s (CPU ${f1(median(ts.map((t) => t.cpu)))} s)`;

/** The ratio of the median wall times, each pair's ratio in brackets. */
const speedUp = (one: Timed[], two: Timed[]) =>
  `${(median(one.map((t) => t.wall)) / median(two.map((t) => t.wall))).toFixed(2)}× (pairs ${one.map((t, k) => (t.wall / two[k].wall).toFixed(2)).join(', ')})`;

/**
 * `distill explain --all` as a user runs it, one process per run (the built program): start-up,
 * loading, and with 2 workers the worker thread's start-up and compilation, all included. CPU is
 * the finished process's (its shell's `times`).
 */
function commandRows(dir: string, data: Dataset, method: string, n: number, pairs: number): string {
  const csv = join(dir, `rows-${n}.csv`);
  const names = data.schema.features.map((f) => f.name);
  writeFileSync(csv, [[...names, 'y'].join(','), ...data.rows.slice(0, n).map((r, i) => [...r, data.target![i]].join(','))].join('\n') + '\n');
  const run = (workers: number): Timed => {
    const out = join(dir, `out-${workers}.json`);
    const args = ['bin/distill.js', 'explain', '--model', join(dir, 'model.onnx'), '--data', csv, '--all', '--method', method, '--workers', String(workers), '--format', 'json', '--out', out];
    const load = os.loadavg()[0];
    const t0 = performance.now();
    const r = spawnSync('sh', ['-c', `"$0" "$@" >/dev/null 2>&1; s=$?; times; exit $s`, process.execPath, ...args], { encoding: 'utf8' });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`scale: distill explain --workers ${workers} failed (exit ${r.status})`);
    // `times`: this shell's user and system time, then its children's.
    const child = r.stdout.trim().split('\n')[1].split(/\s+/).map((t) => t.match(/(\d+)m([\d.]+)s/)!).map((m) => 60 * +m[1] + +m[2]);
    return { text: readFileSync(out, 'utf8'), wall, cpu: child[0] + child[1], load };
  };
  const one: Timed[] = [];
  const two: Timed[] = [];
  for (let k = 0; k < pairs; k++) {
    process.stderr.write(`scale: distill explain --method ${method} over ${n} rows, pair ${k + 1} of ${pairs}...\n`);
    one.push(run(1));
    two.push(run(2));
  }
  const same = [...one, ...two].every((t) => t.text === one[0].text) ? 'yes' : 'NO';
  const loads = [...one, ...two].map((t) => t.load);
  return `| ${method} | ${n} | ${cell(one)} | ${cell(two)} | ${speedUp(one, two)} | ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} | ${same} |`;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function queueSection(dir: string, models: { one: TabularModel; many: TabularModel }, data: Dataset): Promise<string> {
  const model = models.many;
  if (spawnSync('redis-server', ['--version']).status !== 0) return 'The queue figure needs redis-server (not installed here).\n';
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  const workers: ChildProcess[] = [];
  try {
    ensureBuilt();
    await new Promise((r) => setTimeout(r, 500));
    const ready: Promise<void>[] = [];
    for (const name of ['a', 'b']) {
      // The built program, as a user runs it (dist/ is rebuilt first when stale).
      const w = spawn(process.execPath, ['bin/distill.js', 'worker', '--queue', url, '--cache', join(dir, `cache-${name}`)], { stdio: ['ignore', 'ignore', 'pipe'] });
      workers.push(w);
      ready.push(new Promise((resolve) => w.stderr!.on('data', (d: Buffer) => d.toString().includes('waiting for batches') && resolve())));
    }
    await Promise.all(ready);
    const n = 1000;
    const rows = data.rows.slice(0, n);
    const rowIds = rows.map((_, i) => i);
    const options = { samples: 2000 };
    const [{ queueRunner }, { parseQueueUrl }] = await Promise.all([import('../src/scale/queue/coordinator.js'), import('../src/scale/queue/url.js')]);
    const runner = await queueRunner({ url: parseQueueUrl(url), model, timeoutMs: 10_000, note: () => {} });
    const local = await timed(() => explainRows('lime', { model: models.one, data, rows, rowIds, seed: 2 }, options).then(exportExplanations));
    const local2 = await timed(() => explainRows('lime', { model, data, rows, rowIds, seed: 2, runner: threadRunner(model, 2) }, options).then(exportExplanations));
    const queued = await timed(() => explainRows('lime', { model, data, rows, rowIds, seed: 2, runner }, options).then(exportExplanations));
    return [
      `LIME (2,000 samples) over ${n} rows: one local process (one thread, then two) against \`--queue\` with two \`distill worker\` processes on this machine (the coordinator's CPU only; the workers are separate processes). Same bytes: ${local.text === queued.text && local.text === local2.text ? 'yes' : 'NO'}.`,
      '',
      '| run | wall | rows/s | load |',
      '| --- | ---: | ---: | ---: |',
      `| local, 1 thread | ${f1(local.wall)} s (CPU ${f1(local.cpu)} s) | ${Math.round(n / local.wall)} | ${local.load.toFixed(1)} |`,
      `| local, 2 threads (\`--workers 2\`) | ${f1(local2.wall)} s (CPU ${f1(local2.cpu)} s) | ${Math.round(n / local2.wall)} | ${local2.load.toFixed(1)} |`,
      `| queue, 2 workers | ${f1(queued.wall)} s (coordinator CPU ${f1(queued.cpu)} s) | ${Math.round(n / queued.wall)} | ${queued.load.toFixed(1)} |`,
      '',
    ].join('\n');
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    redis.kill('SIGTERM');
  }
}

export async function run(): Promise<string> {
  // A fixed time of creation: "same bytes" compares the explanations, not the clock (worker processes inherit it).
  process.env.SOURCE_DATE_EPOCH ??= '1767225600';
  const dir = mkdtempSync(join(os.tmpdir(), 'distill-bench-scale-'));
  try {
    const data = fixture(dir, 3000);
    const models = { one: await loadModel(dir, { threads: 1 }), many: await loadModel(dir, { threads: 1 }) };
    ensureBuilt();
    const lime = keptRow(dir, 'lime', 1000);
    const shap = keptRow(dir, 'shap', 200, 9);
    const lines = [
      '## Scale: worker threads and the queue',
      '',
      `A ${D}-32-2 ONNX network, ${os.cpus().length} cores (\`os.availableParallelism()\` ${os.availableParallelism()}); each run's default options (LIME 5,000 samples, SHAP exact over 50 background rows, faithfulness 32 subsets). \`--workers 1\` (everything in this thread) against \`--workers 2\` (two worker threads explaining the batches, this thread handing them out and gathering the results); each thread runs onnxruntime on one thread of its own, as \`explain\` loads the model. The machine is shared with other work: a load above the core count leaves the second thread little to run on; the load column is the range of the 1-minute load average at the start of the runs.`,
      '',
      `**Runs in one process, the threads kept** (a model given its threads by \`withWorkers\`, as a program explaining batch after batch would hold it; each method in a process of its own): after a first run of each (not counted: the hot code compiled, the worker threads started, each thread's model loaded; their times in the "first runs" column), runs of each alternated (${PAIRS} pairs for LIME, 9 for the shorter SHAP runs, whose ratio varies more with the machine's moment); times are medians, the speed-up is the ratio of the medians (each pair's ratio in brackets). CPU is the process's (all threads).`,
      '',
      '| method | rows | 1 worker | 2 workers | speed-up | load | first runs (1, 2) | same bytes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      lime.line,
      shap.line,
      '',
      `**The goal (at least 1.8× with 2 workers, batch LIME over 1,000 rows and batch SHAP over 200) is ${lime.speedUp >= 1.8 && shap.speedUp >= 1.8 ? 'met' : 'not met'} in this run: LIME ${lime.speedUp.toFixed(2)}×, SHAP ${shap.speedUp.toFixed(2)}×.**`,
      '',
      `Why the command's thread hands out the batches rather than explaining beside the worker threads, and the threads' ${WORKER_YOUNG_GENERATION_MB} MiB young generation, with the runs at other settings: [docs/scale.md](scale.md#one-machine---workers-n) and \`WORKER_YOUNG_GENERATION_MB\` in src/scale/pool.ts.`,
      '',
      '**One command per run** (`distill explain --all --method M --workers 1|2`, the built program, a new process each time): what a user running the command once sees. Each run pays the process\'s start-up, the loading of data and model, the compilation of its hot code and, with 2 workers, each worker thread\'s own start-up, model and compilation (a second or more of CPU, on the same two cores); at these sizes that fixed cost is a large part of the run. 2 pairs, alternated, medians; CPU is the process\'s (all threads).',
      '',
      '| method | rows | 1 worker | 2 workers | speed-up | load | same bytes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      commandRows(dir, data, 'lime', 1000, 2),
      commandRows(dir, data, 'shap', 200, 2),
      '',
      await queueSection(dir, models, data),
    ];
    await models.one.dispose();
    await models.many.dispose();
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
