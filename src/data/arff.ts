/**
 * Weka ARFF loading. Written by hand: no installed library reads ARFF.
 *
 * Supported: `@relation`, `@attribute NAME numeric|real|integer|string|date|{v1,v2,...}` (names and
 * values quoted with `'` or `"`, backslash escapes), `@data` with dense rows or sparse rows
 * (`{0 1.5, 3 x}`), `?` for missing, `%` comment lines, keywords in any case.
 * Not supported (an InputError says so): `relational` attributes.
 */
import { InputError } from '../util/errors.js';
import type { Dataset } from './types.js';
import type { LoadOptions } from './options.js';
import { inferDataset, type DeclaredType, type RawColumn, type RawTable } from './infer.js';
import { isMissingText, isNonFiniteText, parseNumberText } from './values.js';

/**
 * Splits a comma-separated ARFF list into trimmed tokens, honouring `'` and `"` quotes and
 * backslash escapes. Quoted tokens come back unquoted; `quoted[i]` says whether token i was quoted.
 */
function splitArffList(s: string, sep: RegExp = /,/): { tokens: string[]; quoted: boolean[] } | string {
  const tokens: string[] = [];
  const quoted: boolean[] = [];
  let i = 0;
  const n = s.length;
  while (i <= n) {
    while (i < n && /\s/.test(s[i])) i++;
    let tok = '';
    let q = false;
    if (i < n && (s[i] === "'" || s[i] === '"')) {
      const quote = s[i++];
      q = true;
      let closed = false;
      while (i < n) {
        const c = s[i++];
        if (c === '\\' && i < n) tok += unescape(s[i++]);
        else if (c === quote) {
          closed = true;
          break;
        } else tok += c;
      }
      if (!closed) return `unclosed quote ${quote}`;
      while (i < n && /\s/.test(s[i])) i++;
    } else {
      while (i < n && !sep.test(s[i])) tok += s[i++];
      tok = tok.trim();
    }
    tokens.push(tok);
    quoted.push(q);
    if (i >= n) break;
    if (!sep.test(s[i])) return `expected a separator after ${JSON.stringify(tok)}`;
    i++;
    if (i === n) {
      tokens.push('');
      quoted.push(false);
      break;
    }
  }
  return { tokens, quoted };
}

function unescape(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

/** Reads a possibly quoted name at the start of `s`; returns it and the rest of the line. */
function readName(s: string): { name: string; rest: string } | null {
  s = s.trimStart();
  if (s[0] === "'" || s[0] === '"') {
    const quote = s[0];
    let name = '';
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '\\' && i + 1 < s.length) name += unescape(s[++i]);
      else if (s[i] === quote) return { name, rest: s.slice(i + 1) };
      else name += s[i];
    }
    return null;
  }
  const m = /^(\S+)(.*)$/s.exec(s);
  return m ? { name: m[1], rest: m[2] } : null;
}

/**
 * Parses ARFF text into a raw table with the declared attribute types.
 *
 * @param text file contents.
 * @param file name for messages.
 * @throws InputError naming file and line for a malformed header, a row with the wrong number of
 *   values, a nominal value outside its declaration, or a non-number in a numeric attribute.
 * @example
 * const t = parseArff('@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n1,a\n', 'r.arff');
 * t.columns; // [{ name: 'x', declared: { type: 'numeric' } }, { name: 'c', declared: { type: 'nominal', categories: ['a', 'b'] } }]
 */
export function parseArff(text: string, file: string): RawTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const columns: RawColumn[] = [];
  let dataLine = -1;
  let sawRelation = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (line === '' || line.startsWith('%')) continue;
    const at = { file, line: ln + 1 };
    const kw = /^@(\w+)\s*(.*)$/s.exec(line);
    if (!kw) throw new InputError(`expected @relation, @attribute or @data, got ${JSON.stringify(line.slice(0, 40))}`, at);
    const keyword = kw[1].toLowerCase();
    if (keyword === 'relation') {
      sawRelation = true;
    } else if (keyword === 'attribute') {
      const nm = readName(kw[2]);
      if (!nm || nm.name === '') throw new InputError('@attribute without a name', at);
      const typeText = nm.rest.trim();
      columns.push({ name: nm.name, declared: parseAttributeType(typeText, nm.name, at) });
    } else if (keyword === 'data') {
      dataLine = ln;
      break;
    } else if (keyword === 'end') {
      throw new InputError('relational attributes are not supported', at);
    } else {
      throw new InputError(`unknown ARFF keyword @${kw[1]}`, at);
    }
  }
  if (!sawRelation && columns.length === 0 && dataLine < 0) throw new InputError('empty file: no @relation, @attribute or @data', { file });
  if (dataLine < 0) throw new InputError('no @data section', { file });
  if (columns.length === 0) throw new InputError('no @attribute declarations before @data', { file, line: dataLine + 1 });
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new InputError(`duplicate attribute name "${c.name}"`, { file });
    seen.add(c.name);
  }

  const cells: string[][] = [];
  const lineOf: number[] = [];
  for (let ln = dataLine + 1; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (line === '' || line.startsWith('%')) continue;
    const at = { file, line: ln + 1 };
    const row = line.startsWith('{') ? parseSparseRow(line, columns, at) : parseDenseRow(line, columns.length, at);
    for (let j = 0; j < columns.length; j++) checkDeclared(row[j], columns[j], at);
    cells.push(row);
    lineOf.push(ln + 1);
  }
  if (cells.length === 0) throw new InputError('no data rows after @data', { file, line: dataLine + 1 });
  const cls = columns.find((c) => c.name.toLowerCase() === 'class');
  return {
    file,
    columns,
    cells,
    where: (i) => ({ line: lineOf[i] }),
    warnings: [],
    defaultTarget: cls?.name,
  };
}

/**
 * Loads ARFF text into a typed {@link Dataset}. Without a target option, an attribute named `class`
 * (any case) is the target, else the last attribute.
 *
 * @throws InputError as {@link parseArff}, and for options naming unknown attributes.
 * @example
 * const ds = loadArff(await readTextFile('../shared/datasets/monks-1.train'), 'monks-1.train');
 * ds.schema.target; // { name: 'class', kind: 'class', classes: ['0', '1'] }
 */
export function loadArff(text: string, file: string, opts: LoadOptions = {}, source = file): Dataset {
  return inferDataset(parseArff(text, file), opts, source);
}

function parseAttributeType(t: string, name: string, at: { file: string; line: number }): DeclaredType {
  if (t.startsWith('{')) {
    const end = t.lastIndexOf('}');
    if (end < 0) throw new InputError(`attribute "${name}": unclosed nominal list`, at);
    const list = splitArffList(t.slice(1, end));
    if (typeof list === 'string') throw new InputError(`attribute "${name}": ${list}`, at);
    const cats = list.tokens.filter((v, i) => v !== '' || list.quoted[i]);
    if (cats.length === 0) throw new InputError(`attribute "${name}": empty nominal list`, at);
    return { type: 'nominal', categories: [...new Set(cats)] };
  }
  const word = t.split(/\s+/)[0].toLowerCase();
  if (word === 'numeric' || word === 'real' || word === 'integer') return { type: 'numeric' };
  if (word === 'string' || word === 'date') return { type: 'string' };
  if (word === 'relational') throw new InputError(`attribute "${name}": relational attributes are not supported`, at);
  throw new InputError(`attribute "${name}": unknown type ${JSON.stringify(t)}`, at);
}

function parseDenseRow(line: string, width: number, at: { file: string; line: number }): string[] {
  // A trailing instance weight `{w}` is allowed by Weka; drop it.
  const body = line.replace(/,\s*\{[^}]*\}\s*$/, '');
  const list = splitArffList(body);
  if (typeof list === 'string') throw new InputError(list, at);
  if (list.tokens.length !== width) throw new InputError(`expected ${width} values, got ${list.tokens.length}`, at);
  return list.tokens;
}

function parseSparseRow(line: string, columns: RawColumn[], at: { file: string; line: number }): string[] {
  const end = line.lastIndexOf('}');
  if (end < 0) throw new InputError('unclosed sparse row', at);
  // Omitted values in a sparse row are 0 (numeric) or the first declared value (nominal).
  const row = columns.map((c) => (c.declared?.type === 'nominal' ? c.declared.categories[0] : '0'));
  const inner = line.slice(1, end).trim();
  if (inner === '') return row;
  const list = splitArffList(inner);
  if (typeof list === 'string') throw new InputError(list, at);
  for (const entry of list.tokens) {
    const m = /^(\d+)\s+(.*)$/s.exec(entry);
    if (!m) throw new InputError(`bad sparse entry ${JSON.stringify(entry)} (expected "INDEX VALUE")`, at);
    const j = Number(m[1]);
    if (j >= columns.length) throw new InputError(`sparse index ${j} is beyond the ${columns.length} attributes`, at);
    const v = m[2].trim();
    row[j] = /^(['"]).*\1$/s.test(v) ? v.slice(1, -1) : v;
  }
  return row;
}

function checkDeclared(v: string, c: RawColumn, at: { file: string; line: number }): void {
  if (isMissingText(v)) return;
  if (c.declared?.type === 'nominal' && !c.declared.categories.includes(v)) {
    throw new InputError(`value ${JSON.stringify(v)} is not one of the declared values {${c.declared.categories.join(',')}}`, {
      ...at,
      column: c.name,
    });
  }
  if (c.declared?.type === 'numeric' && parseNumberText(v) === undefined) {
    const what = isNonFiniteText(v) ? 'a finite number' : 'a number';
    throw new InputError(`expected ${what}, got ${JSON.stringify(v)}`, { ...at, column: c.name });
  }
}
