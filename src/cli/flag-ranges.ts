/**
 * The allowed range of every plain numeric flag (those not taken from a method's option schema,
 * which carries its own range: see src/util/options.ts), checked by `main` on the command line as
 * given, before any file is read or any work starts. docs/security.md lists them (a test keeps the
 * list in step with this table).
 *
 * Seeds are integers in [0, 2^32): every generator takes 32 bits, so a larger seed would silently
 * give the same results as another one.
 */
import { InputError } from '../util/errors.js';

/** A numeric flag's range: `integer` or real, bounds inclusive unless said otherwise. */
export interface FlagRange {
  integer: boolean;
  min: number;
  max: number;
  /** The minimum itself is not allowed (a positive number of seconds). */
  minExclusive?: boolean;
  /** The maximum itself is not allowed (seeds below 2^32, shares below 1). */
  maxExclusive?: boolean;
  /** Said after the range, e.g. `(0: do not measure)`. */
  note?: string;
}

const int = (min: number, max: number, note?: string): FlagRange => ({ integer: true, min, max, note });

/** Ranges by flag name (without `--`). A numeric flag missing here is checked by its method's schema. */
export const FLAG_RANGES: Record<string, FlagRange> = {
  seed: { integer: true, min: 0, max: 2 ** 32, maxExclusive: true },
  'batch-size': int(1, 1_048_576),
  timeout: { integer: false, min: 0, max: 3600, minExclusive: true },
  retries: int(0, 10),
  deadline: { integer: false, min: 0, max: 86_400, minExclusive: true },
  'max-reply': { integer: false, min: 0, max: 2048, minExclusive: true },
  'target-index': int(0, 1_000_000),
  row: int(0, 2 ** 32 - 1),
  faithfulness: int(0, 10_000, '(0: do not measure)'),
  bootstrap: int(0, 100_000, '(0: no confidence intervals)'),
  digits: int(0, 17),
  tolerance: { integer: false, min: 0, max: 1 },
  epochs: int(1, 100_000),
  'learning-rate': { integer: false, min: 0, max: 10, minExclusive: true },
  'validation-split': { integer: false, min: 0, max: 1, maxExclusive: true },
  patience: int(0, 100_000),
  concurrency: int(1, 256),
  'stall-seconds': { integer: false, min: 0, max: 86_400, minExclusive: true },
  'queue-timeout': { integer: false, min: 0, max: 3600, minExclusive: true },
  'rows-per-batch': int(1, 1_000_000),
};

const bound = (n: number) => (n === 2 ** 32 ? '2^32' : String(n));

/**
 * The range in words, as messages and `--help` give it.
 *
 * @example
 * describeRange(FLAG_RANGES.seed); // 'an integer in [0, 2^32)'
 * describeRange(FLAG_RANGES.timeout); // 'a number in (0, 3600]'
 */
export function describeRange(r: FlagRange): string {
  const open = r.minExclusive ? '(' : '[';
  const close = r.maxExclusive ? ')' : ']';
  if (r.integer && !r.minExclusive && !r.maxExclusive) return `an integer from ${bound(r.min)} to ${bound(r.max)}${r.note ? ` ${r.note}` : ''}`;
  return `${r.integer ? 'an integer' : 'a number'} in ${open}${bound(r.min)}, ${bound(r.max)}${close}${r.note ? ` ${r.note}` : ''}`;
}

/** Whether `v` is within `r`. */
export function inRange(v: number, r: FlagRange): boolean {
  if (!Number.isFinite(v) || (r.integer && !Number.isInteger(v))) return false;
  if (r.minExclusive ? v <= r.min : v < r.min) return false;
  return r.maxExclusive ? v < r.max : v <= r.max;
}

/**
 * Checks a numeric flag's value against its range.
 *
 * @param raw the text given on the command line, shown in the message.
 * @throws InputError `--seed: expected an integer in [0, 2^32), got 1.5`.
 * @example
 * checkFlagRange('seed', 7, '7'); // fine
 */
export function checkFlagRange(flag: string, value: unknown, raw?: string): void {
  const r = FLAG_RANGES[flag];
  if (!r || value === undefined) return;
  if (typeof value !== 'number' || !inRange(value, r)) {
    const given = raw ?? String(value);
    // A number is shown as typed; anything else (an empty or odd text) quoted.
    throw new InputError(`expected ${describeRange(r)}, got ${/^[-+]?(\d|\.\d|Infinity)[\w.+-]*$/.test(given) ? given : JSON.stringify(given)}`, { flag: `--${flag}` });
  }
}
