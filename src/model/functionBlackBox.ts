/**
 * A plain JavaScript function as a black box (library use: tests, quick experiments, models
 * computed in JS).
 */
import { InputError } from '../util/errors.js';
import { checkFiniteOutputs, checkPredictInput, sha256Of } from './outputs.js';
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
  const identity = { type: 'function', source, hash: sha256Of(fn.toString()) };
  const bb: BlackBox = {
    task: opts.task,
    inputSize: opts.inputSize,
    outputSize: opts.outputSize,
    identity,
    backend: 'js',
    async predict(inputs: Float32Array, n: number): Promise<Float32Array> {
      checkPredictInput(bb, inputs, n);
      const out = await fn(inputs, n);
      if (!(out instanceof Float32Array) || out.length !== n * opts.outputSize) {
        throw new InputError(`function returned ${out?.length ?? 'no'} values for ${n} rows, expected ${n * opts.outputSize}`, { file: source });
      }
      checkFiniteOutputs(out, opts.outputSize, identity);
      return out;
    },
  };
  return bb;
}
