/**
 * Helpers shared by the black-box adapters: output checks, the sigmoid-to-two-class view, batching
 * and model hashes.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../util/errors.js';
import type { BlackBox, ModelIdentity } from './types.js';

/**
 * Throws when a model's outputs contain NaN or ±Infinity.
 *
 * @throws InputError naming the model and the first bad row.
 * @example
 * checkFiniteOutputs(out, outputSize, bb.identity);
 */
export function checkFiniteOutputs(out: Float32Array, outputSize: number, identity: ModelIdentity, rowOffset = 0): void {
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (v - v !== 0) {
      const row = rowOffset + Math.floor(i / outputSize);
      throw new InputError(`model output is ${v} for input row ${row + 1} (output ${(i % outputSize) + 1}); the model produces non-finite values`, {
        file: identity.source,
      });
    }
  }
}

/**
 * Expands `n` single probabilities `p` into `n` pairs `[1 - p, p]`: a network with one sigmoid
 * output unit is a binary classifier, seen by the toolkit as two class probabilities.
 *
 * @example
 * sigmoidPairs(new Float32Array([0.8]), 1); // Float32Array [0.2, 0.8] (within float precision)
 */
export function sigmoidPairs(p: Float32Array, n: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = 1 - p[i];
    out[2 * i + 1] = p[i];
  }
  return out;
}

/** `sha256:` followed by the hex digest of the concatenated parts. */
export function sha256Of(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return `sha256:${h.digest('hex')}`;
}

/**
 * Checks the arguments of {@link BlackBox.predict}: `inputs` must hold `n × inputSize` values.
 *
 * @throws InputError stating both widths.
 */
export function checkPredictInput(bb: Pick<BlackBox, 'inputSize' | 'identity'>, inputs: Float32Array, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`row count must be a non-negative integer, got ${n}`);
  if (inputs.length !== n * bb.inputSize) {
    throw new InputError(
      `the model expects ${bb.inputSize} input values per row, got ${n ? inputs.length / n : inputs.length} (${inputs.length} values for ${n} rows)`,
      { file: bb.identity.source },
    );
  }
}
