/**
 * Refining the numeric thresholds of a decision list against the network's labels on the sample:
 * a threshold read off one unit (its net input crossing zero with the other inputs at their
 * means) is where that unit switches, not always where the network's answer does, which depends on
 * every unit. Each `x > t` / `x <= t` test (inside M-of-N tests too) is moved, one at a time and in
 * rounds, to the sample value of its column near `t` that agrees best with the labels (ties: the
 * one nearest `t`, so a threshold stays where nothing is gained). Written by hand: rule-format
 * specific.
 */
import type { Feature, Row } from '../../data/types.js';
import { decide, featureIndex } from '../../rules/evaluate.js';
import type { ConditionT, DecisionListT } from '../../rules/schema.js';

export interface RefineOptions {
  /** Half-width of the window searched around a threshold, as a share of its column's range in the sample. */
  window: number;
  /** Most candidate values tried per threshold (evenly spread over the window's sample values). */
  candidates: number;
  /** Passes over all thresholds. */
  rounds: number;
}

export const refineDefaults: RefineOptions = { window: 0.05, candidates: 41, rounds: 2 };

type Threshold = Extract<ConditionT, { type: 'gt' | 'le' }>;

function thresholdsOf(c: ConditionT, out: Threshold[]): void {
  if (c.type === 'mofn') c.conditions.forEach((x) => thresholdsOf(x, out));
  else if (c.type === 'gt' || c.type === 'le') out.push(c);
}

/**
 * A copy of `list` with its numeric thresholds moved to where the list agrees best with `labels`
 * (class names per sample row), and that agreement. The list's structure is unchanged.
 *
 * @example
 * const { list: refined, agreement } = refineThresholds(list, d.sample, labelNames, d.features);
 * // `x0 > 0.52` may become `x0 > 0.5013` (a sample value of x0) when that agrees better
 */
export function refineThresholds(
  list: DecisionListT,
  sample: readonly Row[],
  labels: readonly string[],
  features: readonly Feature[],
  opts: RefineOptions = refineDefaults,
): { list: DecisionListT; agreement: number } {
  const out = structuredClone(list);
  const index = featureIndex({ features: [...features] });
  const n = sample.length;
  const hit = (r: number) => String((decide(out, sample[r], index).output as { class?: string }).class) === labels[r];
  const agreeAll = () => {
    let a = 0;
    for (let r = 0; r < n; r++) if (hit(r)) a++;
    return a;
  };
  const tests: Threshold[] = [];
  out.rules.forEach((rule) => rule.conditions.forEach((c) => thresholdsOf(c, tests)));
  let agree = agreeAll();
  if (tests.length === 0 || n === 0) return { list: out, agreement: n ? agree / n : 1 };
  const values = new Map<string, Float64Array>();
  const valuesOf = (feature: string) => {
    let v = values.get(feature);
    if (!v) {
      const f = index.get(feature)!;
      v = Float64Array.from(sample.map((row) => row[f]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x))).sort();
      values.set(feature, v);
    }
    return v;
  };
  for (let round = 0; round < opts.rounds; round++) {
    let moved = false;
    for (const t of tests) {
      const v = valuesOf(t.feature);
      if (v.length < 2) continue;
      const half = (v[v.length - 1] - v[0]) * opts.window;
      const lo = t.threshold - half;
      const hi = t.threshold + half;
      const inWindow = [...new Set(v.filter((x) => x >= lo && x <= hi))];
      if (inWindow.length === 0) continue;
      const step = Math.max(1, inWindow.length / opts.candidates);
      const cands = new Set<number>([t.threshold]);
      for (let i = 0; i < inWindow.length; i += step) cands.add(inWindow[Math.floor(i)]);
      // only rows whose value lies in the window can change their answer
      const f = index.get(t.feature)!;
      const rows: number[] = [];
      for (let r = 0; r < n; r++) {
        const x = sample[r][f];
        if (typeof x === 'number' && x >= lo && x <= hi) rows.push(r);
      }
      const original = t.threshold;
      const local = () => rows.reduce((a, r) => a + (hit(r) ? 1 : 0), 0);
      const base = local();
      let best = original;
      let bestLocal = base;
      for (const c of [...cands].sort((a, b) => Math.abs(a - original) - Math.abs(b - original) || a - b)) {
        t.threshold = c;
        const a = local();
        if (a > bestLocal) (bestLocal = a), (best = c);
      }
      t.threshold = best;
      if (best !== original) {
        moved = true;
        agree += bestLocal - base;
      }
    }
    if (!moved) break;
  }
  return { list: out, agreement: agree / n };
}
