/**
 * A faster text layout for yargs' help, with the same output. yargs lays help out with cliui,
 * which measures every word with `string-width` (Unicode segmentation and an emoji test per
 * character) and wraps with `wrap-ansi` (which measures again): about 75 ms of CPU for
 * `distill --help`, a quarter of its start-up. Help text is almost always plain ASCII, where the
 * width of a string is its length; this module gives yargs a width function and a wrap function
 * that take that shortcut for printable ASCII text and hand anything else (escape codes, wide or
 * combining characters, tabs, carriage returns) to `string-width` and `wrap-ansi` themselves.
 *
 * yargs takes its text helpers from a "platform shim" and cliui from a mixin; neither is public
 * API, so the pieces are found next to the installed `yargs` and `cliui`, and when they are not
 * where yargs 18 / cliui 9 keep them, the stock `yargs` is used: the help reads the same either way
 * (test/cli/help-layout.test.ts checks both the wrap against `wrap-ansi` and the whole help).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import yargs from 'yargs';

type Wrap = (text: string, columns: number, options?: { hard?: boolean; trim?: boolean; wordWrap?: boolean }) => string;
type Width = (text: string) => number;
type Yargs = typeof yargs;

/** Printable ASCII and newlines: one column per character, nothing for wrap-ansi to keep track of. */
const PLAIN = /^[\x20-\x7e\n]*$/;
const PLAIN_LINE = /^[\x20-\x7e]*$/;

/**
 * The width of `text` in terminal columns: its length for printable ASCII, else what `measure`
 * (string-width) says.
 */
export function plainWidth(measure: Width): Width {
  return (text) => (typeof text === 'string' && PLAIN_LINE.test(text) ? text.length : measure(text));
}

/**
 * `wrap` (wrap-ansi) with a shortcut for printable ASCII in the mode cliui uses (`hard: true`,
 * trimming, word wrap): the same rows, computed with lengths. Written here because wrap-ansi's
 * general algorithm measures each word and character with string-width; this is the same
 * algorithm where every character is one column wide and no escape code needs carrying over.
 */
export function plainWrap(wrap: Wrap): Wrap {
  return (text, columns, options) => {
    if (typeof text !== 'string' || !options?.hard || options.trim === false || options.wordWrap === false || !PLAIN.test(text)) {
      return wrap(text, columns, options);
    }
    return text
      .split('\n')
      .map((line) => wrapPlainLine(line, columns))
      .join('\n');
  };
}

/** One line of printable ASCII wrapped at `columns`, words broken only when longer than a row. */
function wrapPlainLine(line: string, columns: number): string {
  if (line.trim() === '') return '';
  const rows = [''];
  const words = line.split(' ');
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    rows[rows.length - 1] = rows[rows.length - 1].trimStart();
    let rowLength = rows[rows.length - 1].length;
    if (i !== 0 && rowLength > 0) {
      rows[rows.length - 1] += ' ';
      rowLength++;
    }
    if (word.length > columns) {
      // A word longer than a row starts on this row when that takes no more breaks than starting on the next.
      const breaksHere = 1 + Math.floor((word.length - (columns - rowLength) - 1) / columns);
      const breaksNext = Math.floor((word.length - 1) / columns);
      if (breaksNext < breaksHere) rows.push('');
      breakWord(rows, word, columns);
      continue;
    }
    if (rowLength + word.length > columns && rowLength > 0 && word.length > 0) rows.push('');
    rows[rows.length - 1] += word;
  }
  return rows.map((r) => r.replace(/ +$/, '')).join('\n');
}

/** Appends `word` to the last row, character by character, starting a row whenever one is full. */
function breakWord(rows: string[], word: string, columns: number): void {
  let visible = rows[rows.length - 1].length;
  for (let i = 0; i < word.length; i++) {
    if (visible + 1 <= columns) rows[rows.length - 1] += word[i];
    else {
      rows.push(word[i]);
      visible = 0;
    }
    visible++;
    if (visible === columns && i < word.length - 1) {
      rows.push('');
      visible = 0;
    }
  }
  if (!visible && rows[rows.length - 1].length > 0 && rows.length > 1) rows[rows.length - 2] += rows.pop();
}

/** The text helpers yargs lays help out with: the stock ones, and the plain-ASCII shortcuts over them. */
export interface HelpLayout {
  yargs: Yargs;
  stringWidth: Width;
  wrap: Wrap;
}

let layout: Promise<HelpLayout | null> | null = null;

/**
 * yargs with the plain-ASCII layout, or null when the installed yargs / cliui do not have the
 * internals this relies on (then the stock `yargs` serves).
 */
export function helpLayout(): Promise<HelpLayout | null> {
  layout ??= (async () => {
    try {
      const yargsFile = createRequire(import.meta.url).resolve('yargs');
      const fromYargs = createRequire(yargsFile);
      const cliuiFile = fromYargs.resolve('cliui');
      const fromCliui = createRequire(cliuiFile);
      const at = (file: string, rel: string) => new URL(rel, pathToFileURL(file)).href;
      const [factory, shim, ui, stripAnsi, wrapAnsi] = await Promise.all([
        import(at(yargsFile, './build/lib/yargs-factory.js')),
        import(at(yargsFile, './lib/platform-shims/esm.mjs')),
        import(at(cliuiFile, './build/lib/index.js')),
        import(pathToFileURL(fromCliui.resolve('strip-ansi')).href),
        import(pathToFileURL(fromCliui.resolve('wrap-ansi')).href),
      ]);
      const base = shim.default as Record<string, unknown> & { stringWidth: Width };
      if (typeof factory.YargsFactory !== 'function' || typeof ui.cliui !== 'function' || typeof base?.stringWidth !== 'function') return null;
      const stringWidth = plainWidth(base.stringWidth);
      const wrap = plainWrap(wrapAnsi.default as Wrap);
      const mixin = { stringWidth, stripAnsi: stripAnsi.default, wrap };
      const fast = factory.YargsFactory({ ...base, stringWidth, cliui: (opts: unknown) => ui.cliui(opts, mixin) }) as Yargs;
      return { yargs: fast, stringWidth, wrap };
    } catch {
      return null;
    }
  })();
  return layout;
}

/**
 * A yargs parser factory: the one with the plain-ASCII help layout when available, else stock yargs.
 *
 * @example
 * const parser = (await yargsWithFastHelp())().scriptName('distill');
 */
export async function yargsWithFastHelp(): Promise<Yargs> {
  return (await helpLayout())?.yargs ?? yargs;
}
