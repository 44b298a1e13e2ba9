/**
 * Prediction throughput of the black-box adapters: a 20-64-64-2 MLP (ReLU, softmax) on 100,000
 * rows, for each TF.js backend that loads here and for onnxruntime, with the adapter's overhead as
 * the ratio of its time to calling the engine directly (model.predict with the same batchSize /
 * session.run per batch) in the same run.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { denseNetworkToOnnx, initBackend, layersBlackBox, onnxBlackBox } from '../src/model/index.js';
import { NO_SPINNING } from '../src/model/onnxModel.js';
import { createRng } from '../src/util/rng.js';
import { layersModel, randomMlp } from './mlp.js';

const ROWS = 100_000;
const SIZES = [20, 64, 64, 2];
const BATCH = 8192;
const REPEATS = 5;

interface Timing {
  /** Median wall-clock seconds. */
  wall: number;
  /** Median process CPU seconds (user + system, all threads): robust when other work shares the machine. */
  cpu: number;
}

/** Medians of `REPEATS` runs of each function, interleaved (after one warm-up each). */
async function timeBoth(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Timing, Timing]> {
  await a();
  await b();
  const runs: [number[], number[]][] = [
    [[], []],
    [[], []],
  ];
  for (let r = 0; r < REPEATS; r++) {
    for (const [k, f] of [a, b].entries()) {
      const c = process.cpuUsage();
      const t = performance.now();
      await f();
      runs[k][0].push((performance.now() - t) / 1000);
      const d = process.cpuUsage(c);
      runs[k][1].push((d.user + d.system) / 1e6);
    }
  }
  const med = (v: number[]) => v.sort((x, y) => x - y)[Math.floor(v.length / 2)];
  return [
    { wall: med(runs[0][0]), cpu: med(runs[0][1]) },
    { wall: med(runs[1][0]), cpu: med(runs[1][1]) },
  ];
}

/** One table row: rows/s (wall clock) of adapter and engine, and the overhead ratios. */
function row(name: string, adapter: Timing, direct: Timing): string {
  const rps = (t: number) => Math.round(ROWS / t).toLocaleString('en-US');
  return `| ${name} | ${rps(adapter.wall)} | ${rps(direct.wall)} | ${(adapter.wall / direct.wall).toFixed(3)} | ${(adapter.cpu / direct.cpu).toFixed(3)} |`;
}

export async function run(): Promise<string> {
  const load = os.loadavg()[0];
  const net = randomMlp(SIZES, 1);
  const rng = createRng(2);
  const x = Float32Array.from({ length: ROWS * SIZES[0] }, () => rng.normal());
  const rows: string[] = [];
  // Leave the default backend selected afterwards: later benchmarks measure "the default backend".
  const defaultBackend = await initBackend();
  for (const backend of ['tensorflow', 'wasm', 'cpu']) {
    try {
      await initBackend(backend);
    } catch {
      rows.push(`| tfjs ${backend} | not available here | | | |`);
      continue;
    }
    const model = layersModel(net);
    const bb = layersBlackBox(model, { batchSize: BATCH });
    const [adapter, direct] = await timeBoth(
      () => bb.predict(x, ROWS),
      async () => {
        const t = tf.tensor2d(x, [ROWS, SIZES[0]]);
        const y = model.predict(t, { batchSize: BATCH }) as tf.Tensor;
        await y.data();
        tf.dispose([t, y]);
      },
    );
    rows.push(row(`tfjs ${tf.getBackend()}`, adapter, direct));
    model.dispose();
  }
  await initBackend(defaultBackend);
  const dir = await mkdtemp(join(tmpdir(), 'sd-bench-'));
  try {
    const bytes = denseNetworkToOnnx(net);
    const path = join(dir, 'mlp.onnx');
    await writeFile(path, bytes);
    const bb = await onnxBlackBox(path, { batchSize: BATCH });
    // The engine as the adapter configures it: thread-pool threads that sleep rather than spin.
    const session = await ort.InferenceSession.create(bytes, { extra: NO_SPINNING });
    const [adapter, direct] = await timeBoth(
      () => bb.predict(x, ROWS),
      async () => {
        for (let s = 0; s < ROWS; s += BATCH) {
          const m = Math.min(BATCH, ROWS - s);
          await session.run({ input: new ort.Tensor('float32', x.subarray(s * SIZES[0], (s + m) * SIZES[0]), [m, SIZES[0]]) });
        }
      },
    );
    rows.push(row('onnxruntime (CPU)', adapter, direct));
    await bb.dispose?.();
    await session.release();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return [
    '## predict: black-box adapter throughput',
    '',
    `A ${SIZES.join('-')} MLP (ReLU, softmax) on ${ROWS.toLocaleString('en-US')} rows, batch size ${BATCH}; median of ${REPEATS} runs after a warm-up. ` +
      'Overhead = adapter time / engine time (model.predict with the same batchSize, or session.run per batch), in wall-clock and in process CPU time; goal ≤ 1.1. ' +
      `Machine load average at the start: ${load.toFixed(1)} on ${os.cpus().length} CPUs (wall-clock figures suffer when other work runs).`,
    '',
    '| engine | adapter rows/s | engine rows/s | overhead (wall) | overhead (CPU) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}
