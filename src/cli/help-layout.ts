/**
 * A faster text layout for yargs' help, with the same output. yargs lays help out with cliui,
 * which measures every word with `string-width` (Unicode segmentation and an emoji test per
 * character) and wraps with `wrap-ansi` (which measures again): about 75 ms of CPU for
 * `distill --help`, a quarter of its start-up. Help text is almost always plain ASCII, where the
 * width of a string is its length; this module gives yargs a width function and a wrap function
 * that take that shortcut for printable ASCII text and hand anything else (escape codes, wide or
 * combining characters, tabs, carriage returns) to `string-width` and `wrap-ansi` themselves.
 *
 * Loading that layout (cliui with string-width and wrap-ansi, whose Unicode tables and segmenter
 * set-up cost about 60 ms of CPU) is also left to the runs that show help: the parser gets the
 * platform shim yargs' ESM entry would build (lib/platform-shims/esm.mjs, rebuilt here from the
 * same pieces) with the layout added only when `main` sees the arguments ask for help.
 *
 * yargs takes its text helpers from that shim and cliui from a mixin; neither is public API, so
 * the pieces are found next to the installed `yargs` and `cliui`, and when they are not where
 * yargs 18 / cliui 9 keep them, the stock `yargs` is used: the help reads the same either way
 * (test/cli/help-layout.test.ts checks the wrap against `wrap-ansi`; test/cli/cliDocs.test.ts the
 * help of every command against docs/cli.md).
 */
import { notStrictEqual, strictEqual } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import type yargs from 'yargs';

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
  stringWidth: Width;
  wrap: Wrap;
}

/** What yargs' help needs beyond the parser: cliui's layout core and the text helpers, loaded for help only. */
interface Layout extends HelpLayout {
  ui: (opts: unknown) => unknown;
}

interface Located {
  yargsFile: string;
  cliuiFile: string;
}

let located: Located | null = null;
let loaded: Layout | null = null;
let loading: Promise<HelpLayout | null> | null = null;

/** Where the installed yargs and its cliui are (their package entry files). */
function locate(): Located {
  if (located) return located;
  const yargsFile = createRequire(import.meta.url).resolve('yargs');
  located = { yargsFile, cliuiFile: createRequire(yargsFile).resolve('cliui') };
  return located;
}

const at = (file: string, rel: string) => new URL(rel, pathToFileURL(file)).href;
const dependency = (from: string, name: string) => pathToFileURL(createRequire(from).resolve(name)).href;

/**
 * Loads the help layout (cliui, string-width, wrap-ansi: about 60 ms of CPU, so only for a run
 * that shows help) and resolves to its text helpers; null when the installed packages are not laid
 * out as expected.
 */
export function loadHelpLayout(): Promise<HelpLayout | null> {
  loading ??= (async () => {
    try {
      const { yargsFile, cliuiFile } = locate();
      const [ui, stripAnsi, wrapAnsi, cliuiWidth, yargsWidth] = await Promise.all([
        import(at(cliuiFile, './build/lib/index.js')),
        import(dependency(cliuiFile, 'strip-ansi')),
        import(dependency(cliuiFile, 'wrap-ansi')),
        import(dependency(cliuiFile, 'string-width')),
        import(dependency(yargsFile, 'string-width')),
      ]);
      if (typeof ui.cliui !== 'function') return null;
      const wrap = plainWrap(wrapAnsi.default as Wrap);
      // cliui measures with its own string-width, yargs with its own, as they do stock.
      const mixin = { stringWidth: plainWidth(cliuiWidth.default as Width), stripAnsi: stripAnsi.default, wrap };
      loaded = { stringWidth: plainWidth(yargsWidth.default as Width), wrap, ui: (opts: unknown) => ui.cliui(opts, mixin) };
      return loaded;
    } catch {
      return null;
    }
  })();
  return loading;
}

/**
 * The text helpers when {@link loadHelpLayout} has not run: lengths and the plain wrap for plain
 * text; for other text the layout loaded stock would be right, and this is a fallback for a path
 * that renders help without asking for it first (none is known: `main` loads the layout whenever
 * the arguments ask for help).
 */
const unloaded = { stringWidth: (text: string) => (typeof text === 'string' ? text.length : 0), wrap: plainWrap((text) => text) };

let factory: Promise<Yargs | null> | null = null;

/**
 * A yargs parser factory over the platform shim yargs' ESM entry builds (lib/platform-shims/esm.mjs),
 * with the help layout left out until {@link loadHelpLayout} brings it; null when the installed
 * yargs is not laid out as yargs 18 is.
 */
function lazyYargs(): Promise<Yargs | null> {
  factory ??= (async () => {
    try {
      const { yargsFile } = locate();
      const [{ YargsFactory }, { getProcessArgvBin }, parser, escalade, y18n, callerFile] = await Promise.all([
        import(at(yargsFile, './build/lib/yargs-factory.js')),
        import(at(yargsFile, './build/lib/utils/process-argv.js')),
        import(dependency(yargsFile, 'yargs-parser')),
        import(dependency(yargsFile, 'escalade/sync')),
        import(dependency(yargsFile, 'y18n')),
        import(dependency(yargsFile, 'get-caller-file')),
      ]);
      if (typeof YargsFactory !== 'function' || typeof getProcessArgvBin !== 'function') return null;
      // As yargs' esm.mjs shim computes them (from its own path, three folders below the package's).
      const shimFile = fileURLToPath(at(yargsFile, './lib/platform-shims/esm.mjs'));
      const mainFilename = shimFile.substring(0, shimFile.lastIndexOf('node_modules'));
      const getCaller = (callerFile.default ?? callerFile) as (n: number) => string;
      const shim = {
        assert: { notStrictEqual, strictEqual },
        cliui: (opts: unknown) => (loaded ? loaded.ui(opts) : null) ?? fallbackUi(opts),
        findUp: escalade.default ?? escalade,
        getEnv: (key: string) => process.env[key],
        inspect,
        getProcessArgvBin,
        mainFilename: mainFilename || process.cwd(),
        Parser: parser.default,
        path: { basename, dirname, extname, relative, resolve, join },
        process: {
          argv: () => process.argv,
          cwd: process.cwd,
          emitWarning: (warning: string, type: string) => process.emitWarning(warning, type),
          execPath: () => process.execPath,
          exit: (code: number) => process.exit(code),
          nextTick: process.nextTick,
          stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null,
        },
        readFileSync,
        readdirSync,
        require: createRequire(shimFile),
        getCallerFile: () => {
          const caller = getCaller(3);
          return caller.match(/^file:\/\//) ? fileURLToPath(caller) : caller;
        },
        stringWidth: (text: string) => (loaded ?? unloaded).stringWidth(text),
        y18n: (y18n.default as (o: object) => unknown)({ directory: resolve(shimFile, '../../../locales'), updateFiles: false }),
      };
      return YargsFactory(shim) as Yargs;
    } catch {
      return null;
    }
  })();
  return factory;
}

let cliuiCore: ((opts: unknown, mixin: unknown) => unknown) | null = null;

/** cliui with the unloaded helpers (see {@link unloaded}); its core is tiny and loads with the parser. */
function fallbackUi(opts: unknown): unknown {
  if (!cliuiCore) throw new Error('help layout not loaded');
  return cliuiCore(opts, { stringWidth: unloaded.stringWidth, stripAnsi: (s: string) => s, wrap: unloaded.wrap });
}

/**
 * A yargs parser factory: yargs without its help layout until a run asks for help (`help` says
 * it will: the layout is loaded first), else stock yargs.
 *
 * @example
 * const parser = (await yargsWithFastHelp(argv.includes('--help')))().scriptName('distill');
 */
export async function yargsWithFastHelp(help: boolean): Promise<Yargs> {
  const fast = await lazyYargs();
  if (!fast) return (await import('yargs')).default;
  if (!cliuiCore) cliuiCore = (await import(at(locate().cliuiFile, './build/lib/index.js'))).cliui;
  if (help && !(await loadHelpLayout())) return (await import('yargs')).default;
  return fast;
}
