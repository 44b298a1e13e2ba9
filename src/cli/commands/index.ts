/**
 * The explicit registry of `distill` commands: each command's name and the module that defines it
 * (a yargs `CommandModule` as its `default` export), loaded when the command runs. A new command
 * is a new file plus one line here.
 *
 * `distill apply ...` loads apply.ts alone; only the overall help (`distill --help`, or no or an
 * unknown command) loads every module, for the list of commands. Each module in turn imports the
 * engines its handler uses only when the handler runs (see ../context.ts).
 */
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loader = () => Promise<{ default: CommandModule<any, any> }>;

export const commands: Record<string, Loader> = {
  train: () => import('./train.js'),
  predict: () => import('./predict.js'),
  apply: () => import('./apply.js'),
  score: () => import('./score.js'),
  rules: () => import('./rules.js'),
  report: () => import('./report.js'),
  demo: () => import('./demo.js'),
  datasets: () => import('./datasets.js'),
  explain: () => import('./explain.js'),
  extract: () => import('./extract.js'),
  importance: () => import('./importance.js'),
  inspect: () => import('./inspect.js'),
  worker: () => import('./worker.js'),
  audit: () => import('./audit.js'),
};

/**
 * The command modules of `names` (default: every registered command), in that order.
 *
 * @example
 * const [apply] = await loadCommands(['apply']);
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function loadCommands(names: readonly string[] = Object.keys(commands)): Promise<CommandModule<any, any>[]> {
  return Promise.all(names.map(async (n) => (await commands[n]()).default));
}
