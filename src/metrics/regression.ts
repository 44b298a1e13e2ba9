/**
 * Regression agreement: coefficient of determination and mean absolute error.
 */

/**
 * R² of `pred` against `ref` over the rows `idx` (all rows when omitted): 1 - SS_res / SS_tot.
 * When `ref` is constant, 1 if `pred` matches it exactly, else 0 (as scikit-learn).
 *
 * @example
 * r2Score(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 4])); // 1 - 1/2 = 0.5
 */
export function r2Score(pred: ArrayLike<number>, ref: ArrayLike<number>, idx?: ArrayLike<number>): number {
  const n = idx ? idx.length : ref.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let j = 0; j < n; j++) mean += ref[idx ? idx[j] : j];
  mean /= n;
  let res = 0;
  let tot = 0;
  for (let j = 0; j < n; j++) {
    const i = idx ? idx[j] : j;
    res += (ref[i] - pred[i]) ** 2;
    tot += (ref[i] - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/**
 * Mean absolute error of `pred` against `ref` over the rows `idx` (all rows when omitted).
 *
 * @example
 * meanAbsoluteError(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 5])); // 2/3
 */
export function meanAbsoluteError(pred: ArrayLike<number>, ref: ArrayLike<number>, idx?: ArrayLike<number>): number {
  const n = idx ? idx.length : ref.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const i = idx ? idx[j] : j;
    s += Math.abs(ref[i] - pred[i]);
  }
  return s / n;
}
