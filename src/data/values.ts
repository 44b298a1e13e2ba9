/**
 * Cell-level helpers shared by the loaders: what counts as missing, what counts as a number, and
 * the one deterministic order of categories and classes.
 */

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * Whether a raw text cell means "missing": empty (after trimming) or `?`.
 *
 * @example
 * isMissingText('?'); // true
 * isMissingText(' '); // true
 * isMissingText('0'); // false
 */
export function isMissingText(s: string): boolean {
  const t = s.trim();
  return t === '' || t === '?';
}

/**
 * Parses a decimal number written as text (`12`, `-3.5`, `.5`, `1e-3`); `undefined` when the text
 * is not a plain finite decimal number (hex, `NaN`, `Infinity`, words).
 *
 * @example
 * parseNumberText(' 1.5 '); // 1.5
 * parseNumberText('abc');   // undefined
 */
export function parseNumberText(s: string): number | undefined {
  const t = s.trim();
  if (!NUMBER_RE.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Whether the text spells a non-finite number (`NaN`, `Inf`, `Infinity`, with optional sign, any
 * case): such values are errors in numeric columns.
 *
 * @example
 * isNonFiniteText('-Infinity'); // true
 */
export function isNonFiniteText(s: string): boolean {
  return NON_FINITE_RE.test(s.trim());
}

/**
 * Sorts distinct category or class names into the toolkit's deterministic order: numerically when
 * every name is a number, otherwise by UTF-16 code units (locale-independent). Returns a new array.
 *
 * @example
 * sortCategories(['10', '9', '1']);   // ['1', '9', '10']
 * sortCategories(['b', 'B', 'a']);    // ['B', 'a', 'b']
 */
export function sortCategories(names: Iterable<string>): string[] {
  const a = [...new Set(names)];
  const nums = a.map((s) => parseNumberText(s));
  if (a.length > 0 && nums.every((v) => v !== undefined)) {
    const idx = a.map((_, i) => i).sort((i, j) => nums[i]! - nums[j]! || (a[i] < a[j] ? -1 : a[i] > a[j] ? 1 : 0));
    return idx.map((i) => a[i]);
  }
  return a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** The canonical class name of a number used as a class label: `1.0` and `1` both name class `1`. */
export function numberClassName(v: number): string {
  return String(v);
}
