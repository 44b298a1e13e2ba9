/**
 * From a network's encoded inputs back to the original columns, for an {@link EncoderJSON}: what
 * each encoded input means (a numeric column, standardised or not, or one category of a one-hot
 * group), summing per-input values (attributions, weights) into per-column values, and the
 * Jacobian of the encoding, which turns gradients with respect to encoded inputs into gradients
 * with respect to raw numeric values. Used by the decompositional extractors (thresholds on
 * encoded inputs become conditions on raw columns) and by gradient-based local methods.
 */
import type { EncoderJSON } from './encoder.js';
import { InputError } from '../util/errors.js';

/** What one encoded input means in terms of the original columns. */
export type EncodedColumn =
  | {
      /** Index of the original column (in the encoder's schema order). */
      column: number;
      feature: string;
      kind: 'numeric';
      mean: number;
      std: number;
      standardize: boolean;
    }
  | {
      column: number;
      feature: string;
      kind: 'onehot';
      /** The category this input is 1 for. */
      category: string;
    };

/**
 * One entry per encoded input, in input order: its original column and, for one-hot inputs, the
 * category.
 *
 * @throws InputError when the encoder's features do not add up to its `inputSize`.
 * @example
 * encodedColumns(enc);
 * // [{ column: 0, feature: 'island', kind: 'onehot', category: 'Biscoe' }, ..., { column: 1, feature: 'bill_length_mm', kind: 'numeric', mean: 43.9, std: 5.46, standardize: true }, ...]
 */
export function encodedColumns(enc: EncoderJSON): EncodedColumn[] {
  const cols: EncodedColumn[] = [];
  enc.features.forEach((f, column) => {
    if (f.type === 'numeric') cols.push({ column, feature: f.name, kind: 'numeric', mean: f.mean, std: f.std, standardize: f.standardize });
    else for (const category of f.categories) cols.push({ column, feature: f.name, kind: 'onehot', category });
  });
  if (cols.length !== enc.inputSize) throw new InputError(`encoder describes ${cols.length} columns but declares inputSize ${enc.inputSize}`);
  return cols;
}

/**
 * The raw value of a numeric column from its encoded value: `encoded × std + mean` when
 * standardised, else the value itself.
 *
 * @example
 * decodeValue({ column: 0, feature: 'age', kind: 'numeric', mean: 40, std: 10, standardize: true }, 0.5); // 45
 */
export function decodeValue(col: Extract<EncodedColumn, { kind: 'numeric' }>, encoded: number): number {
  return col.standardize ? encoded * (col.std || 1) + col.mean : encoded;
}

/**
 * Sums per-encoded-input values into per-original-column values: a numeric column keeps its
 * input's value, a categorical column gets the sum over its one-hot inputs (for attributions such
 * as gradient × input, where only the row's own category is non-zero, that is the category's
 * share). `values` holds `n` rows of `inputSize` values (row-major); the result `n` rows of one
 * value per original column.
 *
 * @throws RangeError when `values` does not hold `n × inputSize` values.
 * @example
 * sumToColumns(enc, [0.1, 0.2, 0, 0.5]); // island (3 one-hot inputs) and one numeric column: [0.3, 0.5]
 */
export function sumToColumns(enc: EncoderJSON, values: ArrayLike<number>, n = 1): Float64Array {
  if (values.length !== n * enc.inputSize) throw new RangeError(`expected ${n} × ${enc.inputSize} values, got ${values.length}`);
  const cols = encodedColumns(enc);
  const d = enc.features.length;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < cols.length; i++) out[r * d + cols[i].column] += values[r * enc.inputSize + i];
  }
  return out;
}

/**
 * The (diagonal) Jacobian of the encoding, one factor per encoded input: ∂ encoded / ∂ raw value,
 * `1 / std` for a standardised numeric input and `1` for a plain one. A one-hot input has no
 * derivative with respect to its (categorical) column: its factor is NaN.
 *
 * @example
 * encodingJacobian(enc); // [NaN, NaN, NaN, 0.183, ...] (island one-hot, then bill_length_mm with std 5.46)
 */
export function encodingJacobian(enc: EncoderJSON): Float64Array {
  return Float64Array.from(encodedColumns(enc), (c) => (c.kind === 'onehot' ? NaN : c.standardize ? 1 / (c.std || 1) : 1));
}

/**
 * Gradients with respect to the raw values of the original columns, from gradients with respect
 * to the encoded inputs (`n` rows, row-major), by the chain rule through {@link encodingJacobian}.
 * Categorical columns get NaN (no derivative); sum attributions over their one-hot inputs with
 * {@link sumToColumns} instead.
 *
 * @example
 * rawGradients(enc, gradEncoded); // per row: ∂ output / ∂ bill_length_mm (in output units per mm), ...
 */
export function rawGradients(enc: EncoderJSON, gradEncoded: ArrayLike<number>, n = 1): Float64Array {
  const j = encodingJacobian(enc);
  const scaled = Float64Array.from(gradEncoded, (g, i) => g * j[i % enc.inputSize]);
  return sumToColumns(enc, scaled, n);
}
