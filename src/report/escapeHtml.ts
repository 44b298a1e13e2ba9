/**
 * The report's one escaping path. Every text that comes from the data, a model or a file (column
 * names, category values, class names, file names, provenance) reaches the page through one of
 * these functions, and each starts from {@link escapeControls}, the toolkit's one decision about
 * which characters are shown escaped (controls, U+2028/U+2029, bidirectional controls, lone
 * surrogates); what follows is the encoding of the place the text goes: HTML entities for the
 * page, a JSON literal with every non-ASCII character as `\uXXXX` for a vega expression, plain
 * text for the labels vega draws itself.
 */
import { escapeControls } from '../util/text.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values, so that anything that comes
 * from the data displays as text. Line breaks and tabs are kept (pre-formatted rule text); other
 * control characters and U+2028/U+2029 show as escapes (`\x1b`, `\u2028`).
 *
 * @example
 * escapeHtml('<script>alert(1)</script>'); // '&lt;script&gt;alert(1)&lt;/script&gt;'
 * escapeHtml('a\u2028b'); // 'a\\u2028b'
 */
export function escapeHtml(text: unknown): string {
  return escapeControls(String(text), { keepLines: true }).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * Text for a label that vega draws (axis labels, tree node lines, chart data): control
 * characters, U+2028/U+2029 and line breaks shown as escapes, everything else as it is (vega
 * escapes the SVG it writes).
 *
 * @example
 * chartText('x\ny'); // 'x\\ny'
 */
export function chartText(text: unknown): string {
  return escapeControls(String(text));
}

/**
 * A value as a literal inside a vega expression (`labelExpr`, signals): JSON whose strings hold
 * only ASCII, every other character written `\uXXXX` — so U+2028/U+2029 (line terminators to
 * vega's expression parser), lone surrogates and any script parse back to the same text. Strings
 * are passed through {@link chartText} first.
 *
 * @example
 * exprLiteral({ 0: 'a\u2028b' }); // '{"0":"a\\\\u2028b"}'
 * exprLiteral(['é']);            // '["\\u00e9"]'
 */
export function exprLiteral(value: unknown): string {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? chartText(v) : v));
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
