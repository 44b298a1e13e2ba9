/**
 * The CLI shell in-process with stand-in commands: exit codes, one-line errors naming the flag,
 * --debug stacks, --help, progress on stderr only, atomic --out.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandModule } from 'yargs';
import { emit, note, progress, type GlobalArgs } from '../../src/cli/context.js';
import { commands, loadCommands } from '../../src/cli/commands/index.js';
import { COMMAND_ORDER, main, usageMessage } from '../../src/cli/main.js';
import { VERSION } from '../../src/rules/provenance.js';
import { InputError } from '../../src/util/errors.js';

interface FakeArgs extends GlobalArgs {
  data?: string;
  level?: string;
  fail?: string;
}

/** A stand-in command: loads `--data`, fails on request, otherwise emits JSON after some "work". */
const fake: CommandModule<GlobalArgs, FakeArgs> = {
  command: 'fit',
  describe: 'Fit something',
  builder: (y) =>
    y
      .option('data', { type: 'string', demandOption: true, describe: 'Data file' })
      .option('level', { type: 'string', choices: ['low', 'high'], describe: 'Level' })
      .option('fail', { type: 'string', describe: 'input|internal' })
      .example('$0 fit --data x.csv', 'Fit x') as never,
  handler: async (argv) => {
    const bar = progress(argv);
    for (let i = 1; i <= 5; i++) bar(i, 5, 'fitting');
    bar.stop();
    note(argv, 'fit: done');
    if (argv.fail === 'input') throw new InputError('expected a number, got "abc"', { file: String(argv.data), line: 4, column: 'age' });
    if (argv.fail === 'internal') throw new TypeError('cannot read properties of undefined');
    await emit(argv, JSON.stringify({ data: argv.data, seed: argv.seed }));
  },
};
const other: CommandModule = { command: 'apply', describe: 'Apply', handler: () => {} };

let out = '';
let err = '';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'distill-main-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function run(args: string[]): Promise<number> {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
  try {
    return await main(args, { commands: [fake, other] });
  } finally {
    vi.restoreAllMocks();
  }
}

describe('exit codes and one-line errors', () => {
  it('succeeds with 0 and writes the result to stdout', async () => {
    expect(await run(['fit', '--data', 'x.csv', '--seed', '7'])).toBe(0);
    expect(JSON.parse(out)).toEqual({ data: 'x.csv', seed: 7 });
    expect(err).toBe('fit: done\n');
  });

  it.each([
    [['fit', '--data', 'x', '--bogus'], 'distill: unknown flag --bogus (see distill fit --help)'],
    [['fit'], 'distill: missing required flag --data (see distill fit --help)'],
    [['fit', '--data'], 'distill: --data: expected a value (see distill fit --help)'],
    [['fit', '--data', 'x', '--level', 'mid'], 'distill: --level: expected one of "low", "high", got "mid" (see distill fit --help)'],
    [['fit', '--data', 'x', '--seed', 'abc'], 'distill: --seed: expected a number, got "abc" (see distill fit --help)'],
    [['fit', '--data', 'x', 'extra'], 'distill: unexpected argument "extra" (see distill fit --help)'],
    [['fitt'], 'distill: unknown command "fitt", did you mean "fit"? (see distill --help)'],
    [['zebra'], 'distill: unknown command "zebra" (see distill --help)'],
    [[], 'distill: name a command (see distill --help)'],
  ])('exits 2 on usage error %j', async (args, message) => {
    expect(await run(args)).toBe(2);
    expect(err).toBe(message + '\n');
    expect(out).toBe('');
  });

  it('exits 2 on bad input with one line naming file, line and column; --debug adds the stack', async () => {
    expect(await run(['fit', '--data', 'people.csv', '--fail', 'input', '--quiet'])).toBe(2);
    expect(err).toBe('distill: people.csv:4: column "age": expected a number, got "abc"\n');
    expect(await run(['fit', '--data', 'people.csv', '--fail', 'input', '--quiet', '--debug'])).toBe(2);
    const lines = err.trimEnd().split('\n');
    expect(lines[0]).toBe('distill: people.csv:4: column "age": expected a number, got "abc"');
    expect(lines[1]).toMatch(/^InputError: /);
    expect(lines.some((l) => /^\s+at /.test(l))).toBe(true);
  });

  it('exits 1 on an internal error, with the stack only under --debug', async () => {
    expect(await run(['fit', '--data', 'x', '--fail', 'internal', '--quiet'])).toBe(1);
    expect(err).toBe('distill: internal error: cannot read properties of undefined\n(run again with --debug for the stack trace)\n');
    expect(await run(['fit', '--data', 'x', '--fail', 'internal', '--quiet', '--debug'])).toBe(1);
    expect(err).toMatch(/^distill: internal error: cannot read properties of undefined\nTypeError: cannot read properties of undefined\n\s+at /);
  });
});

describe('help', () => {
  it('lists the commands, global flags and exit codes', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(out).toContain('distill fit');
    expect(out).toContain('Global options:');
    expect(out).toContain('--seed');
    expect(out).toContain('Exit codes: 0 success, 2 bad input or usage, 1 internal error.');
  });

  it('--version prints the version of the toolkit', async () => {
    expect(await run(['--version'])).toBe(0);
    expect(out).toBe(`${VERSION}\n`);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("shows a command's own flags first, then the global ones, then examples", async () => {
    expect(await run(['fit', '--help'])).toBe(0);
    const own = out.indexOf('Options:');
    const global = out.indexOf('Global options:');
    expect(own).toBeGreaterThan(-1);
    expect(global).toBeGreaterThan(own);
    expect(out.slice(own, global)).toContain('--data');
    expect(out).toContain('Examples:');
    expect(out).toContain('distill fit --data x.csv');
  });
});

describe('output', () => {
  it('draws progress on stderr when it is a terminal, leaving JSON on stdout intact', async () => {
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      expect(await run(['fit', '--data', 'x.csv', '--format', 'json'])).toBe(0);
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    expect(JSON.parse(out)).toEqual({ data: 'x.csv', seed: 42 });
    expect(err).toContain('fitting');
    expect(err).toMatch(/\/s \| ETA/);
  });

  it('--quiet silences notes and progress', async () => {
    expect(await run(['fit', '--data', 'x.csv', '--quiet'])).toBe(0);
    expect(err).toBe('');
  });

  it('--out writes the file atomically and a failing command leaves no file', async () => {
    const ok = join(dir, 'sub', 'ok.json');
    expect(await run(['fit', '--data', 'x.csv', '--out', ok, '--quiet'])).toBe(0);
    expect(out).toBe('');
    expect(JSON.parse(await readFile(ok, 'utf8'))).toEqual({ data: 'x.csv', seed: 42 });
    const bad = join(dir, 'bad.json');
    expect(await run(['fit', '--data', 'x.csv', '--out', bad, '--fail', 'internal', '--quiet'])).toBe(1);
    expect(existsSync(bad)).toBe(false);
    // No temporary file is left behind either.
    expect((await readdir(dir)).sort()).toEqual(['sub']);
    expect(await readdir(join(dir, 'sub'))).toEqual(['ok.json']);
  });
});

describe('streams and registry', () => {
  it('writes output, notes and errors to the streams it is given, not the process', async () => {
    const spy = vi.spyOn(process.stdout, 'write');
    const errSpy = vi.spyOn(process.stderr, 'write');
    let o = '';
    let e = '';
    const stdout = { write: (t: string) => (o += t) };
    const stderr = { write: (t: string) => (e += t) };
    expect(await main(['fit', '--data', 'x.csv'], { stdout, stderr, commands: [fake, other] })).toBe(0);
    expect(JSON.parse(o)).toEqual({ data: 'x.csv', seed: 42 });
    expect(e).toBe('fit: done\n');
    o = '';
    expect(await main(['fit', '--data', 'x', '--bogus'], { stdout, stderr, commands: [fake, other] })).toBe(2);
    expect(await main(['--help'], { stdout, stderr, commands: [fake, other] })).toBe(0);
    expect(o).toContain('distill fit');
    expect(spy).not.toHaveBeenCalled();
    expect(errSpy).not.toHaveBeenCalled();
  });

  it('registers every command under the name its module declares', async () => {
    const names = Object.keys(commands);
    const modules = await loadCommands(names);
    expect(modules.map((c) => String(c.command).split(/\s+/)[0])).toEqual(names);
    expect([...names].sort()).toEqual([...COMMAND_ORDER].sort());
  });
});

describe('usageMessage', () => {
  it('names every missing flag', () => {
    expect(usageMessage('Missing required arguments: model, data', ['report'], ['report'])).toBe('missing required flags --model, --data (see distill report --help)');
  });
  it('keeps unknown messages on one line', () => {
    expect(usageMessage('first\n  second', [], [])).toBe('first; second (see distill --help)');
  });
});
