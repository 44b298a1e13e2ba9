/**
 * Text that comes from files (column, category and class names, provenance fields) made safe to
 * show: to a terminal, where an escape sequence could retitle or clear the screen, and to the
 * HTML report, where a line separator breaks a chart's expression. The one place that decides
 * which characters are shown escaped.
 */

/**
 * Characters shown escaped: C0 controls, DEL, C1 controls (U+009B is a one-byte CSI), the line and
 * paragraph separators U+2028/U+2029, the bidirectional embedding, override and isolate controls
 * (they reorder what a reader sees), byte-order marks inside text, and lone UTF-16 surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A name or value as it is safe to display: control and invisible-reordering characters written
 * as escapes (`\x1b`, `\n`, `\u2028`, `\u202e`), everything else (any letter of any script,
 * emoji, combining marks) unchanged. Display only: the data itself (JSON output, rule files) keeps
 * the exact text.
 *
 * @param text any string.
 * @param opts `keepLines`: leave `\n` and `\t` as they are (for whole messages made of several
 *   lines; names inside them should have been escaped already).
 * @example
 * escapeControls('a\u001b]0;pwned\u0007b'); // 'a\\x1b]0;pwned\\x07b'
 * escapeControls('naïve 名前'); // 'naïve 名前'
 */
export function escapeControls(text: string, opts: { keepLines?: boolean } = {}): string {
  const s = String(text);
  if (!UNSAFE_TEST.test(s)) return s;
  return s.replace(UNSAFE, (c) => (opts.keepLines && (c === '\n' || c === '\t') ? c : escapeOne(c)));
}
