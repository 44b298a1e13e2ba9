/**
 * Merging the atomic conditions of one conjunction, per original column: the tightest numeric
 * bounds (an interval when both sides are bounded), one `eq` instead of an `eq` and compatible
 * `neq`s, a `notIn` for several `neq`s. Detects contradictions (two different `eq`s, crossing
 * bounds, every category excluded). Written by hand: it is rule-format specific.
 */
import type { Feature } from '../../data/types.js';
import type { ConditionT } from '../../rules/schema.js';

interface NumericBounds {
  low: number | null; // exclusive
  high: number | null; // inclusive
}

/**
 * The conjunction `conds` with the atomic conditions on each column merged, in first-appearance
 * order of the columns; M-of-N conditions are kept as they are, after the atomic ones. Returns
 * `null` when the conjunction can never hold (on rows without missing values).
 *
 * @param features the schema's features (categories are needed to see that all are excluded)
 * @example
 * mergeConjunction([{ type: 'gt', feature: 'x', threshold: 1 }, { type: 'gt', feature: 'x', threshold: 2 }], feats);
 * // [{ type: 'gt', feature: 'x', threshold: 2 }]
 */
export function mergeConjunction(conds: readonly ConditionT[], features: readonly Feature[]): ConditionT[] | null {
  const byName = new Map(features.map((f) => [f.name, f]));
  const order: string[] = [];
  const numeric = new Map<string, NumericBounds>();
  const allowed = new Map<string, Set<string>>();
  const rest: ConditionT[] = [];
  for (const c of conds) {
    if (c.type === 'mofn') {
      rest.push(c);
      continue;
    }
    const f = byName.get(c.feature);
    if (!order.includes(c.feature)) order.push(c.feature);
    if (c.type === 'le' || c.type === 'gt' || c.type === 'interval') {
      const b = numeric.get(c.feature) ?? { low: null, high: null };
      const low = c.type === 'gt' ? c.threshold : c.type === 'interval' ? c.low : null;
      const high = c.type === 'le' ? c.threshold : c.type === 'interval' ? c.high : null;
      if (low !== null) b.low = b.low === null ? low : Math.max(b.low, low);
      if (high !== null) b.high = b.high === null ? high : Math.min(b.high, high);
      numeric.set(c.feature, b);
      continue;
    }
    const cats = f && f.type === 'categorical' ? f.categories : collectValues(conds, c.feature);
    let set = allowed.get(c.feature) ?? new Set(cats);
    const values = c.type === 'eq' || c.type === 'neq' ? [c.value] : c.values;
    if (c.type === 'eq' || c.type === 'in') set = new Set([...set].filter((v) => values.includes(v)));
    else for (const v of values) set.delete(v);
    allowed.set(c.feature, set);
  }
  const out: ConditionT[] = [];
  for (const name of order) {
    const b = numeric.get(name);
    if (b) {
      if (b.low !== null && b.high !== null && b.low >= b.high) return null;
      if (b.low !== null && b.high !== null) out.push({ type: 'interval', feature: name, low: b.low, high: b.high });
      else if (b.low !== null) out.push({ type: 'gt', feature: name, threshold: b.low });
      else if (b.high !== null) out.push({ type: 'le', feature: name, threshold: b.high });
    }
    const set = allowed.get(name);
    if (set) {
      const f = byName.get(name);
      const cats = f && f.type === 'categorical' ? f.categories : collectValues(conds, name);
      const values = cats.filter((v) => set.has(v));
      const excluded = cats.filter((v) => !set.has(v));
      if (values.length === 0) return null;
      if (excluded.length === 0) continue;
      if (values.length === 1) out.push({ type: 'eq', feature: name, value: values[0] });
      else if (excluded.length === 1) out.push({ type: 'neq', feature: name, value: excluded[0] });
      else if (values.length <= excluded.length) out.push({ type: 'in', feature: name, values });
      else out.push({ type: 'notIn', feature: name, values: excluded });
    }
  }
  return [...out, ...rest];
}

/** Values mentioned for `feature` in `conds` (when the schema gives no categories). */
function collectValues(conds: readonly ConditionT[], feature: string): string[] {
  const vals: string[] = [];
  for (const c of conds) {
    if (c.type === 'mofn' || c.feature !== feature) continue;
    const vs = c.type === 'eq' || c.type === 'neq' ? [c.value] : c.type === 'in' || c.type === 'notIn' ? c.values : [];
    for (const v of vs) if (!vals.includes(v)) vals.push(v);
  }
  return vals;
}
