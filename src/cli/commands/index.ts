/**
 * The explicit registry of `distill` commands: each command's name and the module that defines it
 * (a yargs `CommandModule` as its `default` export), loaded when the command runs. A new command
 * is a new file plus one line here.
 *
 * `distill apply ...` loads apply.ts alone; the overall help (`distill --help`, or no or an
 * unknown command) lists the commands from {@link COMMAND_SUMMARIES} without
 * loading any module. Each module in turn imports the engines its handler uses only when the
 * handler runs (see ../context.ts).
 */
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loader = () => Promise<{ default: CommandModule<any, any> }>;

/**
 * What the overall help lists for each command: its yargs command string and description (the
 * command's module spreads its own entry, so the text lives here once).
 */
export const COMMAND_SUMMARIES = {
  train: { command: 'train', describe: 'Train a seeded MLP on a data set and write the model folder' },
  predict: { command: 'predict', describe: "Run the model on every row of a data set: class probabilities and predicted class, or values" },
  apply: { command: 'apply', describe: 'Predict with a rule set file alone (no model): the prediction and the rule that fired, per row' },
  score: { command: 'score', describe: 'Score a rule set against the model on a data set: fidelity (95% CI), accuracy, coverage, size' },
  rules: { command: 'rules <command>', describe: 'Rule set files: show, validate, simplify' },
  report: { command: 'report', describe: 'Write one self-contained HTML report: model and data, rule sets with fidelity, trees, local explanations (LIME, Anchors, SHAP...)' },
  demo: { command: 'demo', describe: 'Run the whole pipeline on built-in data: train a network, extract rules, explain rows, write a report' },
  datasets: { command: 'datasets [data]', describe: 'List the built-in datasets, or show how a data file is read (types, missing values, target)' },
  explain: { command: 'explain', describe: 'Explain single predictions with a local method (LIME, Anchors, SHAP, occlusion, ...), each scored for faithfulness to the model' },
  extract: { command: 'extract', describe: 'Extract global rules that mimic a model (cart, trepan, ann-dt, mofn, cred, deepred, tsukimoto) as a rule set JSON' },
  importance: { command: 'importance', describe: 'Rank the columns by mean |attribution| over many rows (SHAP by default), with bootstrap intervals' },
  inspect: { command: 'inspect', describe: 'Show what a model file holds as loaded: format, inputs and outputs, layers or graph, class names, readable weights, the methods that apply, its hash' },
  worker: { command: 'worker', describe: 'Explain batches queued by `distill explain --queue` (run on any number of machines)' },
  audit: { command: 'audit', describe: 'The whole audit in one folder: rules by every method that applies, scored on test rows, explained rows, column importance, report.html and a manifest' },
} as const;

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

/**
 * Command modules that only name and describe the commands of `names`: enough for the overall
 * help and for an unknown command's message, without loading any command module.
 *
 * @example
 * const listed = commandSummaries(['apply', 'score']); // [{ command: 'apply', describe: '...' }, ...]
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function commandSummaries(names: readonly string[]): CommandModule<any, any>[] {
  return names.map((n) => ({
    ...COMMAND_SUMMARIES[n as keyof typeof COMMAND_SUMMARIES],
    handler: () => {
      throw new Error(`command ${n} was listed, not loaded`);
    },
  }));
}
