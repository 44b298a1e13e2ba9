/**
 * JSON text read from files: parsing with the line and column of the first syntax error, and JSON
 * paths (`$.features[2].name`) for the place of a problem in parsed JSON. Every reader of a JSON
 * file (rule sets, encoders, model.json, explanations, JSON data) reports errors this way.
 */
import { InputError } from './errors.js';

/**
 * Formats a path of object keys and array indices as a JSON path, e.g.
 * `$.surrogate.rules[3].conditions[0]`.
 *
 * @example
 * formatJsonPath(['surrogate', 'rules', 3]); // '$.surrogate.rules[3]'
 */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let s = '$';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) s += `.${p}`;
    else s += `[${JSON.stringify(String(p))}]`;
  }
  return s;
}

/**
 * Parses JSON text; a syntax error becomes an InputError with the line and column where the text
 * stops being JSON (a truncated file points at its end).
 *
 * @param file name used in messages
 * @throws InputError `rules.json:12: column 5: invalid JSON: ...`
 * @example
 * parseJsonText('{"a": 1}', 'a.json'); // { a: 1 }
 * parseJsonText('{\n  "a" 1\n}', 'a.json'); // throws 'a.json:2: column 7: invalid JSON: expected ':' after a property name'
 */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    const { offset, message } = locateJsonError(body);
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    throw new InputError(`invalid JSON: ${message}`, { file, line, column }, { cause: e });
  }
}

/**
 * Finds where JSON text stops being valid and says why. Written by hand because JSON.parse's
 * messages in Node 20 give no line and often no position at all. Iterative (an explicit stack of
 * open arrays and objects), so that deeply nested text cannot overflow the call stack.
 */
function locateJsonError(text: string): { offset: number; message: string } {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(readonly message: string) {}
  }
  const stop = (message: string): never => {
    throw new Stop(i >= n ? 'unexpected end of input (is the file truncated?)' : message);
  };
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = () => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        i++;
        if (i < n && '"\\/bfnrt'.includes(text[i])) i++;
        else if (i < n && text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
        else stop('invalid escape in string');
        continue;
      }
      if (c < 0x20) stop('unescaped control character in string');
      i++;
    }
    stop('unterminated string');
  };
  /** A member's name and colon, with `i` on the opening quote's place (after whitespace). */
  const key = () => {
    ws();
    if (text[i] !== '"') stop('expected a property name in double quotes');
    str();
    ws();
    if (text[i] !== ':') stop("expected ':' after a property name");
    i++;
  };
  const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  /** Open containers, innermost last: true for an object, false for an array. */
  const open: boolean[] = [];
  try {
    values: for (;;) {
      // One value (or the start of a non-empty container, whose first member comes next).
      ws();
      if (i >= n) stop('');
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        ws();
        if (text[i] !== (c === '{' ? '}' : ']')) {
          open.push(c === '{');
          if (c === '{') key();
          continue;
        }
        i++;
      } else if (c === '"') str();
      else {
        num.lastIndex = i;
        if (num.test(text)) i = num.lastIndex;
        else {
          const lit = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
          if (!lit) stop(`unexpected character ${JSON.stringify(c)}`);
          i += lit!.length;
        }
      }
      // The value is complete: a separator starts the next member, or containers close.
      while (open.length) {
        ws();
        const object = open[open.length - 1];
        if (text[i] === ',') {
          i++;
          if (object) key();
          continue values;
        }
        if (text[i] === (object ? '}' : ']')) {
          i++;
          open.pop();
          continue;
        }
        stop(object ? "expected ',' or '}'" : "expected ',' or ']'");
      }
      break;
    }
    ws();
    if (i < n) stop('unexpected text after the JSON value');
    return { offset: i, message: 'not valid JSON' };
  } catch (e) {
    if (e instanceof Stop) return { offset: Math.min(i, n), message: e.message };
    throw e;
  }
}

/**
 * Nesting limit of the toolkit's JSON files with recursive parts (rule sets, explanations):
 * arrays and objects nested at most this deep (the file's top-level object is level 1). About
 * 500 levels of a decision tree or 250 of nested M-of-N tests; checked before the schema is, since
 * schema validation (like every reader of the structure) recurses once per level.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * The JSON path of the first array or object (in document order) nested deeper than `maxDepth`
 * levels, or null when there is none. Iterative, so any depth is safe to check.
 *
 * @example
 * jsonNestingBeyond({ a: [[1]] }, 2); // '$.a[0]'
 * jsonNestingBeyond({ a: [1] }, 2);   // null
 */
export function jsonNestingBeyond(value: unknown, maxDepth: number = MAX_JSON_DEPTH): string | null {
  interface Frame {
    v: object;
    depth: number;
    parent: Frame | null;
    key: PropertyKey;
  }
  if (value === null || typeof value !== 'object') return null;
  const stack: Frame[] = [{ v: value, depth: 1, parent: null, key: '' }];
  while (stack.length) {
    const f = stack.pop()!;
    if (f.depth > maxDepth) {
      const parts: PropertyKey[] = [];
      for (let g: Frame | null = f; g && g.parent; g = g.parent) parts.push(g.key);
      return formatLongJsonPath(parts.reverse());
    }
    const push = (key: PropertyKey, child: unknown) => {
      if (child !== null && typeof child === 'object') stack.push({ v: child, depth: f.depth + 1, parent: f, key });
    };
    if (Array.isArray(f.v)) for (let k = f.v.length - 1; k >= 0; k--) push(k, f.v[k]);
    else {
      const keys = Object.keys(f.v);
      for (let k = keys.length - 1; k >= 0; k--) push(keys[k], (f.v as Record<string, unknown>)[keys[k]]);
    }
  }
  return null;
}

/** The problem text for {@link jsonNestingBeyond}'s path (one wording for every file kind). */
export function nestingMessage(what: string, maxDepth: number = MAX_JSON_DEPTH): string {
  return `nested deeper than ${maxDepth} levels of arrays and objects (the limit for ${what})`;
}

/**
 * A JSON path, with the middle of a very long one elided (`$.surrogate.root.yes.yes…(+490)…no.condition`)
 * so that an error message stays one readable line.
 */
function formatLongJsonPath(parts: readonly PropertyKey[], head = 8, tail = 6): string {
  if (parts.length <= head + tail + 2) return formatJsonPath(parts);
  const start = formatJsonPath(parts.slice(0, head));
  const end = formatJsonPath(parts.slice(parts.length - tail)).slice(1);
  return `${start}…(${parts.length - head - tail} more levels)…${end}`;
}
