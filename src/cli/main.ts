/**
 * `distill`: the command line. A thin shell: it wires the global flags and the command registry,
 * runs the chosen handler, and turns errors into one line on stderr and an exit code
 * (0 success, 2 bad input or usage, 1 internal error; `--debug` adds the stack).
 *
 * Every run writes through the streams it is given (the process's by default), so that tests and
 * scripts can run commands in-process; nothing here touches `process.exitCode`.
 */
import type { CommandModule } from 'yargs';
import { VERSION } from '../rules/provenance.js';
import { isInputError } from '../util/errors.js';
import { escapeControls } from '../util/text.js';
import { commands, commandSummaries, loadCommands } from './commands/index.js';
import { CommandExit, globalOptions, processIO, type CliIO } from './context.js';
import { checkFlagRange } from './flag-ranges.js';
import { yargsWithFastHelp } from './help-layout.js';
import type { NamedInput } from '../util/files.js';

/** Thrown for usage errors found by yargs (unknown flags, missing arguments). */
class UsageError extends Error {}

/** Order of the commands in `distill --help`: the pipeline, from a first run to the report. */
export const COMMAND_ORDER = ['demo', 'datasets', 'train', 'inspect', 'predict', 'extract', 'explain', 'importance', 'rules', 'apply', 'score', 'report', 'audit', 'worker'];

/** Exit codes of `distill`. */
export const EXIT = { ok: 0, internal: 1, usage: 2 } as const;

const EPILOGUE = [
  'Exit codes: 0 success, 2 bad input or usage, 1 internal error.',
  'Randomness comes from --seed only: the same seed gives byte-identical output.',
  'Documentation: docs/guide.md (user guide), docs/cli.md (every command and flag).',
].join('\n');

/** Where a run writes and which commands it knows; every field is optional. */
export interface MainOptions extends Partial<CliIO> {
  /** Replaces the registry of built-in commands (for tests). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  commands?: readonly CommandModule<any, any>[];
}

/**
 * The command `argv` runs: its first word that is not a flag or a global flag's value, when it
 * names a registered command.
 */
function commandOf(argv: readonly string[], names: readonly string[]): string | undefined {
  const takesValue = new Set(Object.entries(globalOptions).filter(([, o]) => o.type !== 'boolean').map(([k]) => `--${k}`));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (takesValue.has(a)) i++;
      continue;
    }
    return names.includes(a) ? a : undefined;
  }
  return undefined;
}

/**
 * Runs the CLI on `argv` (without the node and script paths) and resolves to the exit code.
 * Output, help and errors go to `opts.stdout` / `opts.stderr` (default: the process's streams).
 *
 * @example
 * process.exitCode = await main(['datasets']);
 * // In-process, with captured output:
 * let out = '';
 * const code = await main(['rules', 'show', 'rules.json'], { stdout: { write: (s: string) => (out += s) } });
 */
export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  const own = processIO();
  const io: CliIO = { stdout: opts.stdout ?? own.stdout, stderr: opts.stderr ?? own.stderr, stdin: opts.stdin };
  const debug = argv.includes('--debug');
  const names = opts.commands ? opts.commands.map((c) => commandName(c)).filter((n): n is string => !!n) : Object.keys(commands);
  try {
    // Only the command that runs is loaded; the overall help lists the commands from their summaries.
    const chosen = commandOf(argv, names);
    const registry = opts.commands ?? (chosen ? await loadCommands([chosen]) : commandSummaries(names));
    await parseAndRun(argv, registry, names, io);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommandExit) return e.code;
    if (e instanceof UsageError) {
      io.stderr.write(`distill: ${oneLine(e.message)}\n`);
      return EXIT.usage;
    }
    if (isInputError(e)) {
      io.stderr.write(`distill: ${oneLine((e as Error).message)}\n`);
      if (debug) io.stderr.write(`${(e as Error).stack}\n`);
      return EXIT.usage;
    }
    const err = e as Error;
    io.stderr.write(`distill: internal error: ${oneLine(err?.message ?? String(e))}\n`);
    if (debug) io.stderr.write(`${err?.stack}\n`);
    else io.stderr.write('(run again with --debug for the stack trace)\n');
    return EXIT.internal;
  }
}

/** Parses `argv` with the commands of `registry` and runs the chosen handler; throws what fails. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function parseAndRun(argv: string[], registry: readonly CommandModule<any, any>[], names: readonly string[], io: CliIO): Promise<void> {
  argv = standardInputArgs(argv);
  // yargs without its help layout unless this run may show help, and with a faster layout of
  // plain-ASCII help text (the same text; see help-layout.ts).
  const yargs = await yargsWithFastHelp(asksForHelp(argv));
  let parser = yargs()
    .scriptName('distill')
    .usage('$0 <command> [options]\n\nTurn a black-box neural network into rules and explanations people can read and check.')
    .options(globalOptions)
    .group([...Object.keys(globalOptions), 'help', 'version'], 'Global options:')
    .strict()
    .demandCommand(1, 'name a command')
    .help()
    .alias('h', 'help')
    // Given, not looked up: yargs would read the package.json beside the running script.
    .version(VERSION)
    .epilogue(EPILOGUE)
    .exitProcess(false)
    .wrap(Math.min(110, io.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(usageMessage(msg ?? 'usage error', argv, names));
    });
  // Checks yargs leaves to the handlers: a flag given without its value, a number that is not one.
  parser = parser.middleware((args) => {
    // yargs reads the positional `-` (standard input, `distill datasets -`) as an empty value.
    if (args.data === '' && argv.includes('-')) args.data = '-';
    // getOptions() exists at run time but is missing from @types/yargs.
    const declared = (parser as unknown as { getOptions(): { number?: string[]; string?: string[]; array?: string[]; boolean?: string[]; key: Record<string, unknown> } }).getOptions();
    const many = new Set([...(declared.array ?? []), ...(declared.boolean ?? [])]);
    for (const key of Object.keys(declared.key)) {
      if (many.has(key) || key.length < 2) continue;
      const times = occurrences(argv, key);
      if (times > 1) throw new UsageError(`--${key}: given ${times} times; give it once ${helpHint(argv, names)}`);
    }
    for (const key of declared.number ?? []) {
      const v = args[key];
      const raw = rawValue(argv, key);
      if (raw !== undefined && raw.trim() === '') throw new UsageError(`--${key}: expected a number, got "" ${helpHint(argv, names)}`);
      const bad = (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'number' && Number.isNaN(x));
      if (bad) throw new UsageError(`--${key}: expected a number, got ${JSON.stringify(rawValue(argv, key) ?? String(v))} ${helpHint(argv, names)}`);
    }
    for (const key of declared.string ?? []) {
      if (args[key] === '' && flagWithoutValue(argv, key)) throw new UsageError(`--${key}: expected a value ${helpHint(argv, names)}`);
    }
    // Ranges of the plain numeric flags, before any work (flag-ranges.ts).
    for (const key of declared.number ?? []) if (rawValue(argv, key) !== undefined) checkFlagRange(key, args[key], rawValue(argv, key));
  }, true);
  // Outputs, before any work: never an input of the same command, never a device or a folder taken
  // for a file; folder outputs (FOLDER_OUTPUTS) replace a non-empty folder only with --force.
  parser = parser.middleware(async (args) => {
    if (args.out === undefined) return;
    const command = String(args._[0] ?? '');
    const declared = (parser as unknown as { getOptions(): { string?: string[] } }).getOptions();
    const inputs: NamedInput[] = [];
    for (const key of new Set(declared.string ?? [])) {
      const v = args[key];
      if (NOT_INPUTS.has(key) || /[A-Z]/.test(key)) continue;
      for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string' && x !== '' && !/^[a-z]+:/i.test(x)) inputs.push({ flag: positionalNames.has(key) ? `<${key}>` : `--${key}`, path: x });
    }
    const { checkOutputPath } = await import('../util/files.js');
    await checkOutputPath(args.out, FOLDER_OUTPUTS.has(command) ? 'folder' : 'file', inputs, { force: args.force === true });
  });
  const rank = (c: (typeof registry)[number]) => {
    const i = COMMAND_ORDER.indexOf(commandName(c) ?? '');
    return i < 0 ? COMMAND_ORDER.length : i;
  };
  for (const c of [...registry].sort((a, b) => rank(a) - rank(b))) parser = parser.command(withOwnOptionsFirst(c));
  // Before running a command's handler yargs renders its whole help text and keeps it, to print
  // on a failure; failures here are one line (see .fail above), so that work (a tenth of a light
  // command's start-up) is skipped. An internal yargs method: if it ever goes, nothing breaks.
  const usage = (parser as unknown as { getInternalMethods?(): { getUsageInstance?(): { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {};
  // The context object reaches every handler as `argv.io`; the callback receives the help or
  // version text instead of yargs printing it to the console.
  let shown = '';
  await parser.parseAsync(argv, { io }, (_err, _args, output) => {
    shown = output;
  });
  if (shown) io.stdout.write(shown.endsWith('\n') ? shown : shown + '\n');
}

/** Whether `argv` may show help: `--help`, `-h` (alone or among other short flags) or the word `help`, before any `--`. */
function asksForHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === 'help' || /^-[A-Za-z]*h[A-Za-z]*$/.test(a)) return true;
  }
  return false;
}

/** Commands whose `--out` is a folder (written whole: see writeFolderAtomic in util/files.ts). */
const FOLDER_OUTPUTS = new Set(['train', 'demo', 'audit']);
/** String flags that never name an input file. */
const NOT_INPUTS = new Set(['out', 'format', 'backend', 'cache', 'queue', 'method', 'methods', 'options', 'hidden', 'target', 'ignore', 'categorical', 'class', 'rows', 'compare', 'dataset', 'activation', 'outputs', 'level']);
/** Positional arguments that name files (messages say `<file>`, not `--file`). */
const positionalNames = new Set(['file']);

const GLOBAL_KEYS = new Set([...Object.keys(globalOptions), 'help', 'version', 'h', '$0']);

/**
 * Wraps a command so that its `--help` lists the command's own flags under "Options:" before the
 * global ones (yargs lists groups in the order they were made); subcommands registered by its
 * builder are wrapped the same way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withOwnOptionsFirst(c: CommandModule<any, any>): CommandModule<any, any> {
  return { ...c, builder: ownOptionsFirst(c.builder, positionals(c.command)) };
}

/** Names of the positional arguments in a command string such as `show <file> [more..]`. */
function positionals(command: unknown): string[] {
  const text = Array.isArray(command) ? command.join(' ') : typeof command === 'string' ? command : '';
  return [...text.matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((m) => m[1]);
}

const PATCHED = Symbol('distill.ownOptionsFirst');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ownOptionsFirst(inner: CommandModule<any, any>['builder'], args0: string[]): (y: any) => any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (y: any) => {
    if (!y[PATCHED]) {
      const command = y.command.bind(y);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      y.command = (...args: any[]) => {
        if (args[0] && typeof args[0] === 'object' && !Array.isArray(args[0])) return command(withOwnOptionsFirst(args[0]), ...args.slice(1));
        if (args.length >= 3 && (typeof args[2] === 'function' || (args[2] && typeof args[2] === 'object'))) args[2] = ownOptionsFirst(args[2], positionals(args[0]));
        return command(...args);
      };
      y[PATCHED] = true;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const finish = (result: any) => {
      const built = result ?? y;
      const own = Object.keys(built.getOptions().key).filter((k) => !GLOBAL_KEYS.has(k) && !args0.includes(k));
      return own.length ? built.group(own, 'Options:') : built;
    };
    // A builder may be async: one that imports what its flags list (e.g. the extractors) on demand.
    const result = typeof inner === 'function' ? inner(y) : inner ? y.options(inner) : y;
    return result instanceof Promise ? result.then(finish) : finish(result);
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function commandName(c: CommandModule<any, any>): string | undefined {
  const cmd = Array.isArray(c.command) ? c.command[0] : c.command;
  return typeof cmd === 'string' ? cmd.split(/\s+/)[0] : undefined;
}

/** The text given after `--key` (or in `--key=text`) on the command line. */
function rawValue(argv: readonly string[], key: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${key}`) return argv[i + 1];
    if (argv[i].startsWith(`--${key}=`)) return argv[i].slice(key.length + 3);
  }
  return undefined;
}

/** How many times `--key` (or `--key=value`) is given before a `--` that ends the flags. */
function occurrences(argv: readonly string[], key: string): number {
  let n = 0;
  for (const a of argv) {
    if (a === '--') break;
    if (a === `--${key}` || a.startsWith(`--${key}=`)) n++;
  }
  return n;
}

/** Whether `--key` appears with no value after it (last, or followed by another flag). */
/**
 * `--data -` (standard input) passed on as `--data=-`: yargs would take the lone `-` for no value.
 *
 * @example
 * standardInputArgs(['apply', '--data', '-']); // ['apply', '--data=-']
 */
function standardInputArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return [...out, ...argv.slice(i)];
    if (argv[i] === '--data' && argv[i + 1] === '-') {
      out.push('--data=-');
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

function flagWithoutValue(argv: readonly string[], key: string): boolean {
  return argv.some((a, i) => a === `--${key}` && (i === argv.length - 1 || argv[i + 1].startsWith('-')));
}

function helpHint(argv: readonly string[], commandNames: readonly string[]): string {
  const command = argv.find((a) => !a.startsWith('-') && commandNames.includes(a));
  return command ? `(see distill ${command} --help)` : '(see distill --help)';
}

/** A message as one line for stderr: line breaks joined, control characters from names shown escaped. */
function oneLine(s: string): string {
  return escapeControls(s.replace(/\s*\n\s*/g, '; '));
}

/**
 * Rewrites a yargs usage message as one line naming the flag or command at fault, with a pointer
 * to the right `--help`.
 *
 * @example
 * usageMessage('Missing required argument: data', ['report'], ['report']);
 * // 'missing required flag --data (see distill report --help)'
 */
export function usageMessage(msg: string, argv: readonly string[], commandNames: readonly string[]): string {
  const command = argv.find((a) => !a.startsWith('-') && commandNames.includes(a));
  const help = helpHint(argv, commandNames);
  const flag = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);
  const list = (s: string) => s.split(/,\s*/).filter(Boolean);
  let m: RegExpMatchArray | null;
  if ((m = msg.match(/^Unknown arguments?: (.*)$/s))) {
    const parts = list(m[1]).map((name) => {
      const asFlag = argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`) || a === `-${name}` || a === `--no-${name}`);
      if (asFlag) return `unknown flag ${flag(name)}`;
      return command ? `unexpected argument "${name}"` : `unknown command "${name}"`;
    });
    const hint = !command ? suggestion(list(m[1]), commandNames) : '';
    return `${parts.join('; ')}${hint} ${help}`;
  }
  if ((m = msg.match(/^Unknown commands?: (.*)$/s))) {
    return `unknown command "${list(m[1]).join('", "')}"${suggestion(list(m[1]), commandNames)} ${help}`;
  }
  if ((m = msg.match(/^Missing required arguments?: (.*)$/s))) {
    const flags = list(m[1]).map(flag);
    return `missing required flag${flags.length > 1 ? 's' : ''} ${flags.join(', ')} ${help}`;
  }
  if ((m = msg.match(/^Not enough arguments following: (.*)$/s))) return `${flag(m[1].trim())}: expected a value ${help}`;
  if ((m = msg.match(/^Missing argument values?: (.*)$/s))) return `${list(m[1]).map(flag).join(', ')}: expected a value ${help}`;
  if (msg.startsWith('Invalid values:')) {
    const issues = [...msg.matchAll(/Argument: ([^,]+), Given: (.*?), Choices: (.*)$/gm)].map((x) => `${flag(x[1])}: expected one of ${x[3]}, got ${x[2]}`);
    if (issues.length) return `${issues.join('; ')} ${help}`;
  }
  if ((m = msg.match(/^Arguments (\S+) and (\S+) are mutually exclusive$/))) return `${flag(m[1])} and ${flag(m[2])} cannot be used together ${help}`;
  return `${oneLine(msg)} ${help}`;
}

/** ", did you mean X?" for a mistyped command close to a known one. */
function suggestion(given: readonly string[], names: readonly string[]): string {
  const g = given[0];
  if (!g) return '';
  let best: string | null = null;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(g, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(best.length / 3)) ? `, did you mean "${best}"?` : '';
}

/** Levenshtein distance (small strings only; written here since no installed library exports one). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
