/**
 * Classification quality against reference labels: accuracy and macro-averaged F1.
 * Labels are class indices; `NaN` in the predictions means "no prediction" (always wrong),
 * `NaN` in the reference means "unknown" (the row is skipped).
 */

/**
 * Share of rows (with a known reference) where `pred` equals `ref`.
 *
 * @example
 * accuracyScore(new Float64Array([0, 1, NaN, 1]), new Float64Array([0, 1, 1, 0])); // 2/4 = 0.5
 */
export function accuracyScore(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  let n = 0;
  let ok = 0;
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(ref[i])) continue;
    n++;
    if (pred[i] === ref[i]) ok++;
  }
  return n ? ok / n : NaN;
}

/**
 * Macro-averaged F1: the unweighted mean over classes of F1 = 2·TP / (2·TP + FP + FN), over the
 * classes that occur in the reference or the predictions (as scikit-learn's `f1_score(average=
 * 'macro')`). A missing prediction counts as a false negative for the reference class.
 *
 * @example
 * // ref [0,0,1,1], pred [0,1,1,1]: class 0 F1 = 2/(2+0+1) = 2/3, class 1 F1 = 4/(4+1+0) = 4/5
 * macroF1Score(new Float64Array([0, 1, 1, 1]), new Float64Array([0, 0, 1, 1])); // (2/3 + 4/5) / 2 = 0.7333
 */
export function macroF1Score(pred: ArrayLike<number>, ref: ArrayLike<number>): number {
  const tp = new Map<number, number>();
  const fp = new Map<number, number>();
  const fn = new Map<number, number>();
  const inc = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  const classes = new Set<number>();
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    if (Number.isNaN(r)) continue;
    const p = pred[i];
    classes.add(r);
    if (!Number.isNaN(p)) classes.add(p);
    if (p === r) inc(tp, r);
    else {
      inc(fn, r);
      if (!Number.isNaN(p)) inc(fp, p);
    }
  }
  if (classes.size === 0) return NaN;
  let sum = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    const d = 2 * t + (fp.get(c) ?? 0) + (fn.get(c) ?? 0);
    sum += d ? (2 * t) / d : 0;
  }
  return sum / classes.size;
}
