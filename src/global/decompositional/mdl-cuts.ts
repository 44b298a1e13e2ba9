/**
 * Supervised cut points of one numeric column: Fayyad & Irani's recursive minimal-entropy
 * partitioning with the MDL stopping rule ("Multi-interval discretization of continuous-valued
 * attributes for classification learning", IJCAI 1993). The decompositional extractors cut numeric
 * inputs against the network's own labels with it. Written by hand: no installed library
 * implements it (LIME's entropy discretiser is a depth-limited tree without the MDL rule).
 */

/** Entropy (bits) of class counts summing to `n`. */
function entropy(counts: ArrayLike<number>, n: number): number {
  let h = 0;
  for (let c = 0; c < counts.length; c++) {
    const p = counts[c] / n;
    if (p > 0) h -= p * Math.log2(p);
  }
  return h;
}

function distinct(counts: ArrayLike<number>): number {
  let k = 0;
  for (let c = 0; c < counts.length; c++) if (counts[c] > 0) k++;
  return k;
}

/**
 * Cut points of `values` against `labels` (class indices `0..classes-1`): the boundary that
 * minimises the class entropy of the two parts is accepted when its information gain exceeds the
 * MDL cost `(log2(n-1) + log2(3^k - 2) - [k·H(S) - k1·H(S1) - k2·H(S2)]) / n`, and each part is cut
 * again the same way. Cut points lie midway between adjacent distinct values. At most `maxCuts`
 * are returned: the ones accepted first (largest parts first, then by gain), sorted ascending.
 * Missing values (NaN) are ignored.
 *
 * @example
 * mdlCutPoints([1, 2, 3, 10, 11, 12], [0, 0, 0, 1, 1, 1], 2); // [6.5]
 */
export function mdlCutPoints(values: ArrayLike<number>, labels: ArrayLike<number>, classes: number, maxCuts = Infinity): number[] {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) idx.push(i);
  idx.sort((a, b) => values[a] - values[b]);
  const x = Float64Array.from(idx, (i) => values[i]);
  const y = Int32Array.from(idx, (i) => labels[i]);
  const accepted: { cut: number; size: number; gain: number }[] = [];
  // work list of [from, to) ranges of the sorted rows
  const stack: [number, number][] = [[0, x.length]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    const n = to - from;
    if (n < 2) continue;
    const total = new Float64Array(classes);
    for (let i = from; i < to; i++) total[y[i]]++;
    const hS = entropy(total, n);
    if (hS === 0) continue;
    const left = new Float64Array(classes);
    const right = new Float64Array(classes);
    let best = -1;
    let bestH = Infinity;
    for (let i = from; i < to - 1; i++) {
      left[y[i]]++;
      if (x[i] === x[i + 1]) continue;
      const nl = i - from + 1;
      for (let c = 0; c < classes; c++) right[c] = total[c] - left[c];
      const h = (nl / n) * entropy(left, nl) + ((n - nl) / n) * entropy(right, n - nl);
      if (h < bestH - 1e-12) {
        bestH = h;
        best = i;
      }
    }
    if (best < 0) continue;
    const l = new Float64Array(classes);
    for (let i = from; i <= best; i++) l[y[i]]++;
    const r = new Float64Array(classes);
    for (let c = 0; c < classes; c++) r[c] = total[c] - l[c];
    const nl = best - from + 1;
    const gain = hS - bestH;
    const k = distinct(total);
    const k1 = distinct(l);
    const k2 = distinct(r);
    const delta = Math.log2(3 ** k - 2) - (k * hS - k1 * entropy(l, nl) - k2 * entropy(r, n - nl));
    if (gain <= (Math.log2(n - 1) + delta) / n) continue;
    accepted.push({ cut: (x[best] + x[best + 1]) / 2, size: n, gain });
    stack.push([best + 1, to], [from, best + 1]);
  }
  accepted.sort((a, b) => b.size - a.size || b.gain - a.gain);
  return accepted
    .slice(0, maxCuts)
    .map((a) => a.cut)
    .sort((a, b) => a - b);
}
