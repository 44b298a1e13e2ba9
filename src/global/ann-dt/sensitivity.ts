/**
 * ANN-DT(s)'s attribute choice (Schmitz, Aldrich & Gouws 1999, §III): the significance of each
 * input for the network's output in a node, from a sensitivity analysis of the network itself
 * rather than from the class labels of the node's rows.
 */
import { rowCount, rowReader, type RowsLike } from '../../data/table.js';
import type { Feature, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';

/** Options of {@link inputSignificance}. */
export interface SignificanceOptions {
  /** Rows of the node the analysis starts from (an even stride over the node's rows; default 50). */
  probes?: number;
  /** Numeric inputs: the input is moved across the node's range in this many equal steps (default 8). */
  steps?: number;
}

/**
 * How strongly the network's output depends on each input within a node: for each of `probes`
 * rows of the node, one input is moved across its range in the node (numeric: `steps + 1`
 * evenly spaced values from the smallest to the largest value among the node's rows, integers
 * kept integer; categorical: every category present in the node) with the other inputs held, and
 * the network's output is read at each value. An input's significance is the mean, over the probe
 * rows, of the output's total variation along that path (`Σ |Δ output|`, over the class
 * probabilities halved, so that a flip from one class to another counts 1; for a categorical input,
 * the range of each output over its categories). Inputs that do not vary in the node get 0.
 *
 * Written by hand: no installed library does sensitivity analysis of a black box over raw columns.
 *
 * @param rows the node's rows (aligned with `features`)
 * @param integer numeric features whose values are all integers
 * @returns one significance per feature (same order as `features`)
 * @example
 * const sig = await inputSignificance(model, nodeRows, features, new Set(), { probes: 50, steps: 8 });
 * const best = sig.indexOf(Math.max(...sig));
 */
export async function inputSignificance(
  model: TabularModel,
  rows: RowsLike,
  features: readonly Feature[],
  integer: ReadonlySet<string>,
  opts: SignificanceOptions = {},
): Promise<Float64Array> {
  const probesWanted = opts.probes ?? 50;
  const steps = opts.steps ?? 8;
  const out = new Float64Array(features.length);
  const n = rowCount(rows);
  if (n === 0) return out;
  const nProbe = Math.min(probesWanted, n);
  const stride = n / nProbe;
  const row = rowReader(rows);
  const probes = Array.from({ length: nProbe }, (_, k) => row(Math.floor(k * stride)));
  const at = rowReader(rows, { scratch: true });
  const K = model.outputSize;
  const halve = model.task === 'classification' ? 0.5 : 1;
  for (let j = 0; j < features.length; j++) {
    const f = features[j];
    let grid: (number | string)[];
    if (f.type === 'numeric') {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = at(i)[j];
        if (typeof v !== 'number') continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi > lo)) continue;
      const g = Array.from({ length: steps + 1 }, (_, s) => lo + ((hi - lo) * s) / steps);
      grid = integer.has(f.name) ? [...new Set(g.map((v) => Math.round(v)))] : g;
    } else {
      const present = new Set<string>();
      for (let i = 0; i < n; i++) {
        const v = at(i)[j];
        if (v !== null && v !== undefined) present.add(String(v));
      }
      grid = f.categories.filter((c) => present.has(c));
    }
    if (grid.length < 2) continue;
    const probeRows: Row[] = [];
    for (const p of probes) {
      for (const v of grid) {
        const r = p.slice();
        r[j] = v;
        probeRows.push(r);
      }
    }
    const y = await model.predictRows(probeRows);
    const G = grid.length;
    let total = 0;
    for (let p = 0; p < nProbe; p++) {
      const base = p * G * K;
      let variation = 0;
      for (let k = 0; k < K; k++) {
        if (f.type === 'numeric') {
          for (let s = 1; s < G; s++) variation += Math.abs(y[base + s * K + k] - y[base + (s - 1) * K + k]);
        } else {
          let mn = Infinity;
          let mx = -Infinity;
          for (let s = 0; s < G; s++) {
            const v = y[base + s * K + k];
            if (v < mn) mn = v;
            if (v > mx) mx = v;
          }
          variation += mx - mn;
        }
      }
      total += variation * halve;
    }
    out[j] = total / nProbe;
  }
  return out;
}
