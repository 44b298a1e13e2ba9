/**
 * SHAP cost against the model's own predict, in the same run on the same model:
 *
 * - exact SHAP at d = 10 numeric columns with 50 background rows: 1022 coalitions × 50 rows =
 *   51,100 model rows per explained row, against `predictRows` on 51,200 rows (the 1024
 *   coalitions of the case, empty and full included); goal ≤ 1.3 × predict + 10 ms per row, and
 *   ≤ 36 ms per row (10× faster than Python shap's KernelExplainer, about 360 ms a row on this
 *   case on a comparable machine: a given figure, Python shap cannot be installed here);
 * - KernelSHAP at d = 30 with the default budget (2·30 + 2048 = 2108 coalitions × 50 rows), against
 *   `predictRows` on the same number of rows; the same goal.
 *
 * Models: d-64-64-2 MLPs (ReLU, softmax) with seeded random weights, on the TF.js wasm backend
 * (`initBackend('wasm')`, which fails unless `setBackend('wasm')` returned true) and on
 * onnxruntime-node (the same weights exported by denseNetworkToOnnx). Times are medians of
 * interleaved repeats; the explanation time includes the runner's work for one row (its output,
 * the background's outputs) but not faithfulness (`faithfulness: 0`, measured separately below).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { identityEncoder } from '../src/data/encoder.js';
import type { Dataset, Feature, Row } from '../src/data/types.js';
import { explainRows } from '../src/local/run.js';
import { createTabularModel, denseNetworkToOnnx, initBackend, layersBlackBox, onnxBlackBox } from '../src/model/index.js';
import type { TabularModel } from '../src/model/types.js';
import { createRng } from '../src/util/rng.js';
import { layersModel, median, randomMlp } from './mlp.js';

const BACKGROUND = 50;
const REPEATS = 9;
const BATCH_ROWS = 10;
/** Python shap's KernelExplainer on the exact d = 10 case (given figure, ms per row). */
const PYTHON_MS = 360;

function dataset(n: number, d: number, seed: number): Dataset {
  const rng = createRng(seed);
  const features: Feature[] = Array.from({ length: d }, (_, j) => ({ name: `x${j}`, type: 'numeric' }));
  const rows: Row[] = Array.from({ length: n }, () => features.map(() => rng.normal()));
  return { source: 'synthetic', schema: { features, target: { name: 'y', kind: 'class', classes: ['a', 'b'] } }, rows, target: rows.map(() => 'a'), missing: 0 };
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Medians of interleaved runs of each function (after two warm-ups each). */
async function timeAll(fs: (() => Promise<unknown>)[]): Promise<Timing[]> {
  for (let w = 0; w < 2; w++) for (const f of fs) await f();
  const wall = fs.map(() => [] as number[]);
  const cpu = fs.map(() => [] as number[]);
  for (let r = 0; r < REPEATS; r++) {
    for (const [k, f] of fs.entries()) {
      const c = process.cpuUsage();
      const t = performance.now();
      await f();
      wall[k].push(performance.now() - t);
      const u = process.cpuUsage(c);
      cpu[k].push((u.user + u.system) / 1000);
    }
  }
  return fs.map((_, k) => ({ wall: median(wall[k]), cpu: median(cpu[k]) }));
}

interface CaseResult {
  line: string;
  exactMsPerRow: Timing | null;
}

/** One engine × one case: predict on the case's rows, one row explained, a batch of rows explained. */
async function measure(engine: string, model: TabularModel, d: number, exact: boolean): Promise<CaseResult> {
  const bg = dataset(BACKGROUND, d, 11);
  const rows = dataset(BATCH_ROWS, d, 12).rows;
  const coalitions = exact ? 2 ** d : 2 * d + 2048;
  const modelRows = coalitions * BACKGROUND;
  const predictRows = dataset(modelRows, d, 13).rows;
  const one = () => explainRows('shap', { model, data: bg, rows: [rows[0]], rowIds: [0], faithfulness: 0 });
  const batch = () => explainRows('shap', { model, data: bg, rows, rowIds: rows.map((_, i) => i), faithfulness: 0 });
  // Each explanation interleaved with the model's predict alone (pairs, so that the batch's large
  // allocations do not fall inside the one-row measurement).
  const [p, e1] = await timeAll([() => model.predictRows(predictRows), one]);
  const [pb, eb] = await timeAll([() => model.predictRows(predictRows), batch]);
  const check = await one();
  const ex = check.explanations[0];
  if (ex.exact !== exact) throw new Error(`expected exact=${exact}`);
  const gap = Math.abs(ex.attributions.reduce((s, a) => s + a.attribution, 0) - (ex.prediction - ex.base!));
  const perRow = { wall: eb.wall / BATCH_ROWS, cpu: eb.cpu / BATCH_ROWS };
  const goal = (t: number) => 1.3 * t + 10;
  const cell = (t: Timing, x: Timing) => `${x.wall.toFixed(1)} | ${(x.wall / t.wall).toFixed(2)} | ${x.wall <= goal(t.wall) ? 'yes' : 'no'} | ${x.cpu.toFixed(1)} | ${x.cpu <= goal(t.cpu) ? 'yes' : 'no'}`;
  const line = `| ${exact ? 'exact' : 'sampled'}, d = ${d} | ${engine} | ${modelRows.toLocaleString('en-US')} | ${p.wall.toFixed(1)} | ${p.cpu.toFixed(1)} | ${cell(p, e1)} | ${pb.wall.toFixed(1)} | ${pb.cpu.toFixed(1)} | ${cell(pb, perRow)} | ${gap.toExponential(1)} |`;
  return { line, exactMsPerRow: exact ? perRow : null };
}

export async function run(): Promise<string> {
  const load = os.loadavg()[0];
  const previous = await initBackend();
  const backend = await initBackend('wasm');
  const lines: string[] = [];
  const speed: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'sd-bench-shap-'));
  let faithLine = '';
  try {
    for (const [d, exact] of [
      [10, true],
      [30, false],
    ] as const) {
      const net = randomMlp([d, 64, 64, 2], d);
      const enc = identityEncoder(dataset(10, d, 1));
      const layers = layersModel(net);
      const wasm = createTabularModel(layersBlackBox(layers, { source: `mlp-${d}` }), enc);
      const path = join(dir, `mlp-${d}.onnx`);
      await writeFile(path, denseNetworkToOnnx(net));
      const onnx = createTabularModel(await onnxBlackBox(path), enc);
      const onnx1 = createTabularModel(await onnxBlackBox(path, { threads: 1 }), enc);
      for (const [engine, model] of [
        [`tfjs ${backend}`, wasm],
        ['onnxruntime (CPU, default threads)', onnx],
        ['onnxruntime (CPU, 1 intra-op thread)', onnx1],
      ] as const) {
        const r = await measure(engine, model, d, exact);
        lines.push(r.line);
        const t = r.exactMsPerRow;
        if (t) {
          const x = (ms: number) => `${ms.toFixed(1)} ms (${(PYTHON_MS / ms).toFixed(1)}×, ${PYTHON_MS / ms >= 10 ? 'met' : 'not met'})`;
          speed.push(`${engine}: wall ${x(t.wall)}, CPU ${x(t.cpu)}`);
        }
      }
      if (exact) {
        // What the runner's faithfulness adds per row (Sensitivity-n with 32 subsets, deletion curves).
        const bg = dataset(BACKGROUND, d, 11);
        const rows = dataset(BATCH_ROWS, d, 12).rows;
        const [a, b] = await timeAll([
          () => explainRows('shap', { model: onnx1, data: bg, rows, rowIds: rows.map((_, i) => i), faithfulness: 0 }),
          () => explainRows('shap', { model: onnx1, data: bg, rows, rowIds: rows.map((_, i) => i) }),
        ]);
        faithLine = `With the runner's faithfulness measurement (default 32 subsets per n, deletion curves) the exact d = 10 case on onnxruntime (1 thread) costs ${(b.wall / BATCH_ROWS).toFixed(1)} ms wall / ${(b.cpu / BATCH_ROWS).toFixed(1)} ms CPU per row instead of ${(a.wall / BATCH_ROWS).toFixed(1)} / ${(a.cpu / BATCH_ROWS).toFixed(1)} ms.`;
      }
      layers.dispose();
      await onnx.dispose();
      await onnx1.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await initBackend(previous);
  }
  return [
    '## SHAP (`shap`)',
    '',
    `d-64-64-2 MLPs (ReLU, softmax, seeded random weights) with ${BACKGROUND} background rows, on TF.js \`${backend}\` (initBackend checks that setBackend returned true) and on onnxruntime-node (CPU, same weights). ` +
      `"predict" is the model's own \`predictRows\` on the case's model rows (raw rows, encoder included): 2^10 × ${BACKGROUND} = 51,200 for the exact case, (2·30 + 2048) × ${BACKGROUND} = 105,400 for the sampled one. ` +
      `"1 row" is \`explainRows('shap', ...)\` on one row (its own output and the background's included, faithfulness off); "per row in a batch" is a batch of ${BATCH_ROWS} rows divided by ${BATCH_ROWS} (queries batched across rows). ` +
      `Medians of ${REPEATS} repeats, each explanation interleaved with predict (one predict column per pair); ratio = explanation / predict; goal ≤ 1.3 × predict + 10 ms, checked in wall-clock and in process CPU time (user + system, all threads). ` +
      `The machine's 2 CPUs are shared with other work (load average ${load.toFixed(1)} at the start): wall-clock figures are noisy, CPU times steadier.`,
    '',
    '| case | engine | model rows | predict wall (ms) | predict CPU (ms) | 1 row wall (ms) | ratio | met | 1 row CPU (ms) | met | predict wall (ms) | predict CPU (ms) | per row in a batch, wall (ms) | ratio | met | CPU (ms) | met | \\|Σφ − (f(x) − base)\\| |',
    '|---|---|---:|---:|---:|---:|---:|:-:|---:|:-:|---:|---:|---:|---:|:-:|---:|:-:|---:|',
    ...lines,
    '',
    `Against Python shap's KernelExplainer (about ${PYTHON_MS} ms a row on the exact d = 10 case on a machine like this one; a given figure, since Python shap cannot be installed here), per row in a batch, with the speed-up (goal ≥ 10×, i.e. ≤ 36 ms a row):`,
    '',
    ...speed.map((s) => `- ${s}`),
    '',
    faithLine,
    '',
  ].join('\n');
}
