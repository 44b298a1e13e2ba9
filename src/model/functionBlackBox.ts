/**
 * A plain JavaScript function as a black box (library use: tests, quick experiments, models
 * computed in JS).
 */
import { batchedBlackBox } from './batchedBlackBox.js';
import { sha256Of } from './outputs.js';
import type { BlackBox } from './types.js';

/**
 * Wraps `fn(inputs, n)`, which maps `n` encoded rows (flat, row-major) to `n × outputSize` outputs.
 * The identity hash is the SHA-256 of the function's source text.
 *
 * @throws InputError (from predict) when `fn` returns the wrong number of values or non-finite ones.
 * @example
 * const bb = functionBlackBox((x, n) => {
 *   const out = new Float32Array(2 * n);
 *   for (let i = 0; i < n; i++) { const p = x[i] > 0 ? 0.9 : 0.1; out[2 * i] = 1 - p; out[2 * i + 1] = p; }
 *   return out;
 * }, { task: 'classification', inputSize: 1, outputSize: 2, name: 'sign' });
 */
export function functionBlackBox(
  fn: (inputs: Float32Array, n: number) => Float32Array | Promise<Float32Array>,
  opts: { task: 'classification' | 'regression'; inputSize: number; outputSize: number; name?: string },
): BlackBox {
  const source = opts.name ?? (fn.name || 'function');
  return batchedBlackBox({
    task: opts.task,
    inputSize: opts.inputSize,
    rawOutputs: opts.outputSize,
    sigmoidPair: false,
    identity: { type: 'function', source, hash: sha256Of(fn.toString()) },
    backend: 'js',
    engine: 'function',
    run: fn,
  });
}
