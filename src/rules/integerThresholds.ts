/**
 * Thresholds on integer-valued columns written as integers: on a column that only holds integers,
 * `x <= 1.86` and `x <= 1` select the same rows, and so do `x > 1.5` and `x > 1`; the integer form
 * is what a reader checks. One helper for every extractor that writes numeric thresholds.
 */
import type { ConditionT, SurrogateT } from './schema.js';
import { mapConditions } from './walk.js';

/**
 * A copy of `s` whose `le`, `gt` and `interval` thresholds on the features named in `integer`
 * (M-of-N members included) are rounded down to an integer: for integer `x`, `x <= t` holds
 * exactly when `x <= floor(t)`, and `x > t` exactly when `x > floor(t)`, so the rules decide every
 * row with integer values there as before. An interval that would become empty is left as it is.
 *
 * @param integer features whose values are all integers (e.g. from `integerColumns`)
 * @example
 * snapIntegerThresholds(surrogate, new Set(['x_ege'])); // x_ege <= 1.86 becomes x_ege <= 1
 */
export function snapIntegerThresholds(s: SurrogateT, integer: ReadonlySet<string>): SurrogateT {
  if (integer.size === 0) return s;
  return mapConditions(s, (c) => snapCondition(c, integer));
}

/** One condition with its integer thresholds rounded down (see {@link snapIntegerThresholds}). */
export function snapCondition(c: ConditionT, integer: ReadonlySet<string>): ConditionT {
  if (c.type === 'mofn') return { ...c, conditions: c.conditions.map((m) => snapCondition(m, integer)) };
  if (!integer.has(c.feature)) return c;
  if (c.type === 'le' || c.type === 'gt') return { ...c, threshold: Math.floor(c.threshold) };
  if (c.type === 'interval') {
    const low = c.low === null ? null : Math.floor(c.low);
    const high = c.high === null ? null : Math.floor(c.high);
    return low !== null && high !== null && !(low < high) ? c : { ...c, low, high };
  }
  return c;
}
