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
 * messages in Node 20 give no line and often no position at all.
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
  const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    if (i >= n) stop('');
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') stop('expected a property name in double quotes');
        str();
        ws();
        if (text[i] !== ':') stop("expected ':' after a property name");
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        stop("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        stop("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    num.lastIndex = i;
    if (num.test(text)) {
      i = num.lastIndex;
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    stop(`unexpected character ${JSON.stringify(c)}`);
  };
  try {
    value();
    ws();
    if (i < n) stop('unexpected text after the JSON value');
    return { offset: i, message: 'not valid JSON' };
  } catch (e) {
    if (e instanceof Stop) return { offset: Math.min(i, n), message: e.message };
    throw e;
  }
}
