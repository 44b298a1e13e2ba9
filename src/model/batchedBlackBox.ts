/**
 * The one construction of a {@link BlackBox} that every adapter (TF.js Layers, ONNX, HTTP, JS
 * function) shares: the input check, the batching loop (with requests in flight at once where the
 * engine allows), the check of each batch's output length, the finite-output check, and the
 * two-probability view of a single sigmoid unit. An adapter only says how one batch runs (and, when
 * it can, how one batch's gradients are computed).
 */
import { InputError } from '../util/errors.js';
import { checkFiniteOutputs, checkPredictInput, sigmoidPairs } from './outputs.js';
import type { BlackBox, DenseNetwork, ModelDescription, ModelIdentity } from './types.js';

/** What an adapter tells {@link batchedBlackBox} about its engine. */
export interface BatchEngine {
  task: 'classification' | 'regression';
  /** Encoded values per input row. */
  inputSize: number;
  /** Values per row the engine returns (1 for a single sigmoid unit). */
  rawOutputs: number;
  /** True when the engine returns one sigmoid probability `p` per row, exposed as `[1 - p, p]`. */
  sigmoidPair: boolean;
  identity: ModelIdentity;
  /** Compute backend or engine name, or a function reading it when it can change (tfjs). */
  backend: string | (() => string);
  /** Who produced a batch of the wrong length, for the message (`onnxruntime`, `function`, ...). */
  engine: string;
  /** Rows per call of `run` at most (default: all rows in one call). */
  batchSize?: number;
  /** Calls of `run` in flight at once (default 1). */
  concurrency?: number;
  /** Runs `m` encoded rows (flat, row-major) and returns their `m × rawOutputs` outputs. */
  run(inputs: Float32Array, m: number): Promise<Float32Array> | Float32Array;
  dispose?(): Promise<void> | void;
  denseNetwork?(): DenseNetwork;
  /**
   * Gradients of raw output column `output` with respect to the inputs of `m` encoded rows: returns
   * `m × inputSize` values. Absent when the engine exposes none (then the black box has no
   * `gradients`).
   */
  gradients?(inputs: Float32Array, m: number, output: number): Promise<Float32Array> | Float32Array;
  /** Rows per call of `gradients` at most (default `batchSize`). */
  gradientBatchSize?: number;
  /** Class names the model file stores, aligned with the (expanded) outputs. */
  classes?: readonly string[];
  describe?(): ModelDescription;
}

/**
 * A BlackBox over an engine that runs batches of rows. `predict(inputs, n)` checks that `inputs`
 * holds `n × inputSize` values, runs the rows in batches of at most `batchSize` (up to
 * `concurrency` batches at once, results in row order), checks that each batch returns
 * `m × rawOutputs` values and that all are finite, and expands a single sigmoid output into two
 * class probabilities. With one batch the engine's array is returned as it is (no copy).
 *
 * @throws InputError (from predict) for inputs of the wrong width, a batch of the wrong length or
 *   non-finite outputs, naming the model's source.
 * @example
 * const bb = batchedBlackBox({
 *   task: 'classification', inputSize: 2, rawOutputs: 1, sigmoidPair: true, engine: 'function', backend: 'js',
 *   identity: { type: 'function', source: 'sum', hash: 'sha256:…' },
 *   run: (x, m) => Float32Array.from({ length: m }, (_, i) => 1 / (1 + Math.exp(-(x[2 * i] + x[2 * i + 1])))),
 * });
 * await bb.predict(new Float32Array([0, 0]), 1); // Float32Array [0.5, 0.5]
 */
export function batchedBlackBox(engine: BatchEngine): BlackBox {
  const { inputSize, rawOutputs: width, identity, sigmoidPair } = engine;
  const concurrency = Math.max(1, engine.concurrency ?? 1);
  const runBatch = async (x: Float32Array, m: number): Promise<Float32Array> => {
    const y = await engine.run(x, m);
    if (!(y instanceof Float32Array) || y.length !== m * width) {
      throw new InputError(`${engine.engine} returned ${y?.length ?? 'no'} values for ${m} rows, expected ${m * width}`, { file: identity.source });
    }
    return y;
  };
  const bb: BlackBox = {
    task: engine.task,
    inputSize,
    outputSize: sigmoidPair ? 2 : width,
    identity,
    ...(engine.batchSize ? { batchRows: Math.max(1, engine.batchSize) * concurrency } : {}),
    ...(engine.classes ? { classes: engine.classes } : {}),
    get backend() {
      return typeof engine.backend === 'function' ? engine.backend() : engine.backend;
    },
    async predict(inputs: Float32Array, n: number): Promise<Float32Array> {
      checkPredictInput(bb, inputs, n);
      const size = Math.max(1, engine.batchSize ?? n);
      let out: Float32Array;
      if (n === 0) out = new Float32Array(0);
      else if (n <= size) out = await runBatch(inputs, n);
      else {
        out = new Float32Array(n * width);
        let next = 0;
        const worker = async () => {
          while (next < n) {
            const start = next;
            next += size;
            const m = Math.min(size, n - start);
            out.set(await runBatch(inputs.subarray(start * inputSize, (start + m) * inputSize), m), start * width);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(n / size)) }, worker));
      }
      checkFiniteOutputs(out, width, identity);
      return sigmoidPair ? sigmoidPairs(out, n) : out;
    },
  };
  if (engine.dispose) bb.dispose = () => engine.dispose!();
  if (engine.denseNetwork) bb.denseNetwork = () => engine.denseNetwork!();
  if (engine.gradients) bb.gradients = (inputs, n, output) => batchedGradients(engine, bb.outputSize, inputs, n, output);
  if (engine.describe) bb.describe = () => engine.describe!();
  return bb;
}

/**
 * The black box's `gradients`: checks the arguments, runs the engine's gradients in batches of at
 * most `gradientBatchSize` rows, checks each batch's length and that every value is finite, and
 * for a single sigmoid unit seen as `[1 − p, p]` gives ∂p/∂x for output 1 and −∂p/∂x for output 0.
 */
async function batchedGradients(engine: BatchEngine, outputSize: number, inputs: Float32Array, n: number, output: number): Promise<Float32Array> {
  const { inputSize, identity } = engine;
  checkPredictInput(engine, inputs, n);
  if (!Number.isInteger(output) || output < 0 || output >= outputSize) throw new RangeError(`output must be an integer from 0 to ${outputSize - 1}, got ${output}`);
  const raw = engine.sigmoidPair ? 0 : output;
  const size = Math.max(1, engine.gradientBatchSize ?? engine.batchSize ?? n);
  const out = n <= size ? null : new Float32Array(n * inputSize);
  let g: Float32Array = new Float32Array(0);
  for (let start = 0; start < n; start += size) {
    const m = Math.min(size, n - start);
    const part = await engine.gradients!(inputs.subarray(start * inputSize, (start + m) * inputSize), m, raw);
    if (!(part instanceof Float32Array) || part.length !== m * inputSize) {
      throw new InputError(`${engine.engine} returned ${part?.length ?? 'no'} gradient values for ${m} rows, expected ${m * inputSize}`, { file: identity.source });
    }
    if (out) out.set(part, start * inputSize);
    else g = part;
  }
  if (out) g = out;
  for (let i = 0; i < g.length; i++) {
    if (g[i] - g[i] !== 0) throw new InputError(`the model's gradient is ${g[i]} for input row ${Math.floor(i / inputSize) + 1}; the model produces non-finite gradients`, { file: identity.source });
  }
  if (engine.sigmoidPair && output === 0) {
    const neg = new Float32Array(g.length);
    for (let i = 0; i < g.length; i++) neg[i] = -g[i];
    return neg;
  }
  return g;
}
