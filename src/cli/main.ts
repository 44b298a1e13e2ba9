/**
 * `distill`: the command line. A thin shell: it wires the global flags and the command registry,
 * runs the chosen handler, and turns errors into one line on stderr and an exit code
 * (0 success, 2 bad input or usage, 1 internal error; `--debug` adds the stack).
 */
import yargs from 'yargs';
import { isInputError } from '../util/errors.js';
import { commands } from './commands/index.js';
import { globalOptions } from './context.js';

/** Thrown for usage errors found by yargs (unknown flags, missing arguments). */
class UsageError extends Error {}

/**
 * Runs the CLI on `argv` (without the node and script paths) and resolves to the exit code.
 *
 * @example
 * process.exitCode = await main(['datasets']);
 */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  let parser = yargs(argv)
    .scriptName('distill')
    .usage('$0 <command> [options]\n\nTurn a black-box neural network into rules and explanations people can read and check.')
    .options(globalOptions)
    .strict()
    .demandCommand(1, 'Name a command (see distill --help).')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    });
  for (const c of commands) parser = parser.command(c);
  try {
    await parser.parseAsync();
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`distill: ${e.message}\n`);
      return 2;
    }
    if (isInputError(e)) {
      process.stderr.write(`distill: ${(e as Error).message}\n`);
      if (debug) process.stderr.write(`${(e as Error).stack}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`distill: internal error: ${err?.message ?? String(e)}\n`);
    if (debug) process.stderr.write(`${err?.stack}\n`);
    else process.stderr.write('(run again with --debug for the stack trace)\n');
    return 1;
  }
}
