/**
 * Writing CSV cells that are safe to open in a spreadsheet: RFC 4180 quoting, and text that a
 * spreadsheet would run as a formula neutralised with a leading `'` as OWASP recommends
 * ("CSV Injection"), so that a class or category name such as `=cmd|' /C calc'!A0` taken from
 * the data shows as text.
 */
import { parseNumberText } from '../data/values.js';
import { escapeControls } from '../util/text.js';

/** First characters that make a spreadsheet read a cell as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Numbers are written as they are (`-1.5` stays a number). Text is made safe:
 * a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (unless
 * the text is itself a plain number such as `-3`); control characters are shown escaped
 * (`\x1b`); a cell holding `"`, `,`, a line break or the delimiter is quoted.
 *
 * @example
 * csvCell('=1+1');       // "'=1+1"
 * csvCell('-2');         // '-2'
 * csvCell(-2);           // '-2'
 * csvCell('a,b');        // '"a,b"'
 */
export function csvCell(value: string | number | null | undefined, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let s = escapeControls(value);
  if (FORMULA_START.test(value) && parseNumberText(value) === undefined) s = `'${s}`;
  return s.includes('"') || s.includes(delimiter) || /[\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
