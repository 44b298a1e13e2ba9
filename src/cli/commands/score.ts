/**
 * `distill score`: how far a rule set can be trusted on a data set: fidelity to the model (with a
 * bootstrap interval, per class, confusion matrix), accuracy and macro-F1 of model and rules
 * against the true labels, completeness, overlap and size.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import { alignRows } from '../../data/align.js';
import type { Dataset, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { escapeControls as safe } from '../../util/text.js';
import { emit, note, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';
import { workersOption } from '../scale-options.js';
import { resolveWorkers } from '../../scale/workers.js';

interface ScoreArgs extends GlobalArgs, DataArgs, ModelArgs {
  rules: string;
  bootstrap: number;
  workers?: number;
}

/** What scoring and simplification need: the rules' rows, the model's labels and the true labels, all in the rule set's class order. */
export interface RuleInputs {
  /** The rule set restricted to the features its rules test (see alignRuleSetRows). */
  ruleSet: RuleSet;
  rows: Row[];
  modelLabels: Float64Array;
  trueLabels: Float64Array | undefined;
  dataset: Dataset;
}

/** Maps class names to indices into `classes`; names it lacks get indices after its last class, NaN stays NaN. */
function classIndexer(classes: readonly string[]): (name: string | null) => number {
  const extra = new Map<string, number>();
  return (name) => {
    if (name === null) return NaN;
    const k = classes.indexOf(name);
    if (k >= 0) return k;
    if (!extra.has(name)) extra.set(name, classes.length + extra.size);
    return extra.get(name)!;
  };
}

/**
 * Loads the data and the model for a rule set and labels the rows: the model's labels and (when the
 * data has the rule set's target column, or `--target` names one) the true labels, with class
 * indices into the rule set's classes (matched by name).
 *
 * @throws InputError when model and rules disagree on the task, or as the loaders do.
 */
export async function loadRuleInputs(rs: RuleSet, rulesFile: string, argv: DataArgs & ModelArgs & Pick<GlobalArgs, 'io'>): Promise<RuleInputs & { model: TabularModel }> {
  const { alignRuleSetRows } = await import('../../rules/alignRuleSetRows.js');
  const targetGiven = argv.target !== undefined || argv.targetIndex !== undefined;
  let ds = await loadDataFromArgs(argv, { noTarget: !targetGiven });
  const targetName = rs.schema.target.name;
  if (!targetGiven && ds.schema.features.some((f) => f.name === targetName)) {
    ds = await loadDataFromArgs({ ...argv, target: targetName });
  }
  const { ruleSet, rows } = alignRuleSetRows(rs, ds, rulesFile);
  const model = await loadModelFromArgs(argv, ds);
  try {
    if (model.task !== rs.task) {
      throw new InputError(`the model does ${model.task}, the rules ${rs.task}`, { flag: '--model' });
    }
    const raw = await model.predictLabels(alignRows(ds, model.schema.features));
    let modelLabels = raw;
    let trueLabels: Float64Array | undefined;
    if (rs.schema.target.kind === 'class') {
      const index = classIndexer(rs.schema.target.classes);
      const modelClasses = model.classes ?? [];
      modelLabels = Float64Array.from(raw, (k) => (Number.isInteger(k) && modelClasses[k] !== undefined ? index(modelClasses[k]) : NaN));
      if (ds.target) trueLabels = Float64Array.from(ds.target, (v) => index(v === null ? null : String(v)));
    } else if (ds.target) {
      trueLabels = Float64Array.from(ds.target, (v) => (v === null || v === '' ? NaN : Number(v)));
    }
    return { ruleSet, rows, modelLabels, trueLabels, dataset: ds, model };
  } catch (e) {
    await model.dispose();
    throw e;
  }
}

const command: CommandModule<GlobalArgs, ScoreArgs> = {
  ...COMMAND_SUMMARIES.score,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options({
        rules: { type: 'string', demandOption: true, describe: 'Rule set file (surrogate-distill/rules JSON)' },
        bootstrap: { type: 'number', default: 1000, describe: 'Bootstrap resamples for the 95% interval (0: none)' },
        ...workersOption,
      })
      .options(modelOptions)
      .options(dataOptions)
      .example('$0 score --model models/iris --rules rules.json --data builtin:iris', 'Fidelity, accuracy, completeness, overlap, size')
      .example('$0 score --model m.onnx --rules rules.json --data test.csv --format json --out score.json', 'The same as JSON') as unknown as Argv<ScoreArgs>,
  handler: async (argv: ArgumentsCamelCase<ScoreArgs>) => {
    const format = chooseFormat(argv.format, ['text', 'json']);
    if (!(Number.isInteger(argv.bootstrap) && argv.bootstrap >= 0)) throw new InputError(`expected a non-negative integer, got ${argv.bootstrap}`, { flag: '--bootstrap' });
    const workers = resolveWorkers(argv.workers);
    const [{ loadRuleSet }, { renderScore, scoreRuleSetWith }] = await Promise.all([import('../../rules/read.js'), import('../../metrics/scoreRuleSet.js')]);
    const rs = await loadRuleSet(argv.rules);
    const inputs = await loadRuleInputs(rs, argv.rules, argv);
    try {
      const { threadBootstrapper } = await import('../../scale/bootstrap.js');
      const bootstrapper = threadBootstrapper(workers, (t) => note(argv, t));
      const score = await scoreRuleSetWith(inputs.ruleSet, inputs.rows, inputs.modelLabels, inputs.trueLabels, { seed: argv.seed, bootstrap: argv.bootstrap }, bootstrapper);
      // Each rule's support and precision on these rows (the model's labels), beside the score.
      const [{ computeDataStats, ruleFigures }, { renderRuleSet }] = await Promise.all([import('../../rules/computeRuleStats.js'), import('../../rules/render.js')]);
      const counted = computeDataStats(inputs.ruleSet, inputs.rows, inputs.modelLabels, `the ${inputs.rows.length} rows of ${argv.data} (model-labelled)`);
      if (format === 'json') {
        await emit(argv, JSON.stringify({ rules: argv.rules, data: argv.data, model: inputs.model.identity, ...score, perRule: ruleFigures(counted) }, null, 2));
      } else {
        const perRule = renderRuleSet({ ...counted, fidelity: null, simplification: undefined }, { stats: 'data' });
        await emit(argv, `Rules ${safe(argv.rules)} on ${safe(argv.data)}, model ${safe(inputs.model.identity.source)}\n${renderScore(score)}\nEach rule on these rows:\n${perRule}`);
      }
    } finally {
      await inputs.model.dispose();
    }
  },
};

export default command;
