/**
 * What the gradient and dense-network methods share: the explained rows and the baseline as the
 * network's encoded inputs, the model's gradients for each row's explained output, and the way
 * per-input values come back to the original columns.
 *
 * Gradients are taken with respect to the original columns, through the encoder:
 * - a numeric column's gradient is ∂f/∂(encoded input) × ∂(encoded input)/∂(raw value), i.e.
 *   divided by the column's standard deviation when the encoder standardises it (per unit of the
 *   raw column);
 * - a categorical column has no derivative; its "gradient" is the directional derivative along the
 *   move from the baseline's category to the row's in one-hot space, Σ_parts ∂f/∂e_k × (x_k − b_k)
 *   = ∂f/∂e[row's category] − ∂f/∂e[baseline's category] (0 when they are the same category).
 * - "gradient × input" is, for every column, Σ over its encoded inputs of ∂f/∂e_k × (x_k − b_k):
 *   the first-order estimate of f(x) − f(baseline) split by column (for a numeric column that is
 *   ∂f/∂x × (x − baseline) in raw units).
 */
import { encodingJacobian, sumToColumns } from '../../data/encodedColumns.js';
import { encodeRows, type EncoderJSON } from '../../data/encoder.js';
import type { TabularModel } from '../../model/types.js';
import { InputError } from '../../util/errors.js';
import type { LocalContext } from '../types.js';

/** The explained rows and the baseline as encoded inputs. */
export interface EncodedInputs {
  enc: EncoderJSON;
  /** Encoded inputs per row. */
  p: number;
  /** `rows × p` encoded rows. */
  x: Float32Array;
  /** The encoded baseline (`p` values). */
  b: Float32Array;
  /** ∂(encoded input)/∂(raw value) per input (1/std or 1); NaN for one-hot inputs. */
  jacobian: Float64Array;
}

/**
 * The encoded rows and baseline of `ctx`.
 *
 * @throws InputError naming `--method` when the model has no encoder (raw columns cannot be
 *   mapped to its inputs).
 * @example
 * const e = encodeInputs(ctx, 'saliency'); // e.x: rows × inputs, e.b: the baseline
 */
export function encodeInputs(ctx: LocalContext, method: string): EncodedInputs {
  const enc = ctx.model.encoder;
  if (!enc) throw new InputError(`${method} needs the model's encoder to map its inputs back to the original columns`, { flag: '--method' });
  return { enc, p: enc.inputSize, x: encodeRows(enc, ctx.rows), b: encodeRows(enc, [ctx.baseline]), jacobian: encodingJacobian(enc) };
}

/**
 * Per original column, Σ over its encoded inputs of `perInput[k] × (x_k − b_k)` for row `i`
 * (gradient × input, integrated gradients, DeepLIFT's multipliers × differences).
 *
 * @example
 * timesDifference(e, 0, grad); // one attribution per original column
 */
export function timesDifference(e: EncodedInputs, i: number, perInput: ArrayLike<number>): Float64Array {
  const v = new Float64Array(e.p);
  for (let k = 0; k < e.p; k++) v[k] = perInput[k] * (e.x[i * e.p + k] - e.b[k]);
  return sumToColumns(e.enc, v);
}

/**
 * Per original column, the gradient of row `i` with respect to it: ∂f/∂e × ∂e/∂raw for numeric
 * columns, the directional derivative from the baseline's category to the row's for categorical
 * ones (see the module comment).
 *
 * @example
 * columnGradients(e, 0, grad); // [∂f/∂age (per year), ∂f along island: Dream → Biscoe, ...]
 */
export function columnGradients(e: EncodedInputs, i: number, grad: ArrayLike<number>): Float64Array {
  const v = new Float64Array(e.p);
  for (let k = 0; k < e.p; k++) {
    const j = e.jacobian[k];
    v[k] = Number.isNaN(j) ? grad[k] * (e.x[i * e.p + k] - e.b[k]) : grad[k] * j;
  }
  return sumToColumns(e.enc, v);
}

/**
 * The model's gradients at `points` (`count` blocks of `perBlock` encoded rows, block `r` taken
 * for output `outputs[r]`), grouped so that each output column is one call of
 * `blackBox.gradients`: `count × perBlock × inputSize` values in the points' order.
 *
 * @throws InputError when the model exposes no gradients.
 * @example
 * await gradientsFor(model, points, 3, 64, [1, 1, 0]); // 3 rows × 64 path points, classes 1, 1, 0
 */
export async function gradientsFor(model: TabularModel, points: Float32Array, count: number, perBlock: number, outputs: readonly number[]): Promise<Float32Array> {
  const bb = model.blackBox;
  if (typeof bb.gradients !== 'function') throw new InputError(`the model (${model.identity.type}) exposes no gradients`, { flag: '--method' });
  const p = bb.inputSize;
  const block = perBlock * p;
  const distinct = [...new Set(outputs.slice(0, count))];
  if (distinct.length <= 1) return bb.gradients(points, count * perBlock, distinct[0] ?? 0);
  const out = new Float32Array(count * block);
  for (const c of distinct) {
    const blocks = [];
    for (let r = 0; r < count; r++) if (outputs[r] === c) blocks.push(r);
    const sub = new Float32Array(blocks.length * block);
    blocks.forEach((r, q) => sub.set(points.subarray(r * block, (r + 1) * block), q * block));
    const g = await bb.gradients(sub, blocks.length * perBlock, c);
    blocks.forEach((r, q) => out.set(g.subarray(q * block, (q + 1) * block), r * block));
  }
  return out;
}

/**
 * The model's outputs at the baseline row (`outputSize` values): f(baseline), the base of the
 * methods that attribute f(x) − f(baseline).
 */
export async function baselineOutputs(ctx: LocalContext): Promise<Float32Array> {
  return ctx.model.predictRows([ctx.baseline]);
}

/** Rows explained per batch when each row needs `perRow` model rows and a batch holds at most `batchRows`. */
export function rowsPerBatch(batchRows: number, perRow: number): number {
  return Math.max(1, Math.floor(batchRows / Math.max(1, perRow)));
}
