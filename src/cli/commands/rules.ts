/**
 * `distill rules show|validate|simplify`: read, check and shorten rule set files.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import { countRules } from '../../rules/countRules.js';
import { renderRuleSet, type StatsShown } from '../../rules/render.js';
import type { ComplexityT, RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/io.js';
import { escapeControls as safe } from '../../util/text.js';
import { CommandExit, emit, ioOf, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, type DataArgs } from '../data-options.js';
import { modelOptions, type ModelArgs } from '../model-options.js';
import { loadRuleInputs } from './score.js';

interface FileArgs extends GlobalArgs {
  file: string;
}
interface ShowArgs extends FileArgs, Partial<DataArgs>, Partial<ModelArgs> {
  digits: number;
  stats: StatsShown;
}
interface SimplifyArgs extends FileArgs, DataArgs, ModelArgs {
  tolerance: number;
}

const KIND = { list: 'decision list', set: 'unordered rule set', tree: 'decision tree' } as const;

function describeRuleSet(rs: RuleSet): string {
  const c = countRules(rs);
  const unit = rs.surrogate.kind === 'tree' ? 'leaves' : 'rules';
  return `${KIND[rs.surrogate.kind]}, ${c.rules} ${unit}, ${c.conditions} conditions, ${c.features} features, ${rs.task}, by ${safe(rs.provenance.method)}`;
}

/** Who made the rules, from what: method, seed, data, model, tool, time. */
function provenanceLine(rs: RuleSet): string {
  const p = rs.provenance;
  const parts = [`${safe(p.method)}${p.seed !== null ? ` (seed ${p.seed})` : ''}`];
  if (p.data) parts.push(`data ${safe(p.data)}`);
  if (p.samples !== null) parts.push(`${p.samples} model-labelled rows`);
  if (p.model) parts.push(`model ${safe(p.model.source)} (${safe(p.model.type)}, ${safe(p.model.hash)})`);
  parts.push(`${safe(p.tool)}, ${safe(p.createdAt)}`);
  return `Made by ${parts.join('; ')}\n`;
}

const STATS_CHOICES = ['both', 'data', 'sample', 'none'] as const;

/**
 * The rule set with its figures on the rows of `--data` (labelled by `--model`) in `stats.data`,
 * replacing those the file had; the rule set as it is without `--data`.
 *
 * @throws InputError naming `--model` when `--data` comes without it, or as the loaders do
 */
async function withDataFigures(rs: RuleSet, argv: ShowArgs): Promise<RuleSet> {
  if (argv.data === undefined) {
    if (argv.model !== undefined) throw new InputError('--model needs --data: the rows to count the figures on', { flag: '--data' });
    return rs;
  }
  if (argv.model === undefined) throw new InputError("--data needs --model: precision counts the rows where the model agrees with the rule", { flag: '--model' });
  const inputs = await loadRuleInputs(rs, argv.file, argv as ShowArgs & DataArgs & ModelArgs);
  try {
    const { computeDataStats } = await import('../../rules/computeRuleStats.js');
    const counted = computeDataStats(inputs.ruleSet, inputs.rows, inputs.modelLabels, `the ${inputs.rows.length} rows of ${argv.data} (model-labelled)`);
    return { ...counted, schema: rs.schema };
  } finally {
    await inputs.model.dispose();
  }
}

const show: CommandModule<GlobalArgs, ShowArgs> = {
  command: 'show <file>',
  describe: 'Print a rule set as text (IF ... THEN ..., trees indented) with each rule\'s figures on real rows and on the sample, or as normalised JSON',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'Rule set file' })
      .options({
        digits: { type: 'number', default: 3, describe: 'Significant digits of thresholds (more where needed to tell thresholds apart)' },
        stats: {
          type: 'string',
          default: 'both',
          choices: STATS_CHOICES,
          describe: 'Figures beside each rule: data (real rows: the extraction rows, or --data), sample (the rows the rules were fitted to), both, none',
        },
      })
      .options({ ...modelOptions, model: { ...modelOptions.model, demandOption: false, describe: 'With --data: the model whose labels the precision on those rows counts' } })
      .options({ ...dataOptions, data: { ...dataOptions.data, demandOption: false, describe: 'Count each rule\'s support and precision on these rows (needs --model)' } })
      .example('$0 rules show rules.json', 'Readable rules with their figures on the extraction rows and on the sample')
      .example('$0 rules show rules.json --data holdout.csv --model models/credit', 'The figures counted on other rows')
      .example('$0 rules show rules.json --format json', 'The file, validated and normalised') as unknown as Argv<ShowArgs>,
  handler: async (argv: ArgumentsCamelCase<ShowArgs>) => {
    const format = chooseFormat(argv.format, ['text', 'json']);
    if (!(Number.isInteger(argv.digits) && argv.digits >= 1 && argv.digits <= 17)) throw new InputError(`expected an integer from 1 to 17, got ${argv.digits}`, { flag: '--digits' });
    const { loadRuleSet } = await import('../../rules/read.js');
    const rs = await withDataFigures(await loadRuleSet(argv.file), argv);
    // The JSON is written in schema order by the zod schemas, loaded only for it.
    const text = format === 'json' ? (await import('../../rules/io.js')).exportRuleSet(rs) : renderRuleSet(rs, { digits: argv.digits, stats: argv.stats }) + provenanceLine(rs);
    await emit(argv, text);
  },
};

const validate: CommandModule<GlobalArgs, FileArgs> = {
  command: 'validate <file>',
  describe: 'Check a rule set file: schema and meaning; lists every problem with its JSON path (exit 2)',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'Rule set file' })
      .example('$0 rules validate rules.json', 'Prints "valid" or each problem, e.g. at $.surrogate.rules[3].conditions[0].threshold: expected number') as unknown as Argv<FileArgs>,
  handler: async (argv: ArgumentsCamelCase<FileArgs>) => {
    const [{ checkRuleSet, readRuleSetText }, { parseJsonText }] = await Promise.all([import('../../rules/read.js'), import('../../util/json.js')]);
    const json = parseJsonText(await readRuleSetText(argv.file), argv.file);
    const v = await checkRuleSet(json);
    if (v.ok) {
      await emit(argv, `${safe(argv.file)}: valid (${describeRuleSet(v.value)})`);
      return;
    }
    const { stderr } = ioOf(argv);
    for (const i of v.issues) stderr.write(`${safe(argv.file)}: at ${safe(i.path)}: ${safe(i.message)}\n`);
    stderr.write(`${safe(argv.file)}: ${v.issues.length} problem${v.issues.length > 1 ? 's' : ''}\n`);
    throw new CommandExit(2);
  },
};

function complexityLine(name: string, c: ComplexityT): string {
  return `  ${name.padEnd(7)} ${String(c.rules).padStart(5)} rules  ${String(c.conditions).padStart(5)} conditions  fidelity ${c.fidelity === null ? 'n/a' : c.fidelity.toFixed(4)}`;
}

const simplify: CommandModule<GlobalArgs, SimplifyArgs> = {
  command: 'simplify <file>',
  describe: 'Drop conditions and rules that do not change the predictions on the data, merge tests; prints before/after',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'Rule set file' })
      .options({ tolerance: { type: 'number', default: 0, describe: 'Fidelity the rules may lose on the data (0: predictions must not change)' } })
      .options(modelOptions)
      .options(dataOptions)
      .demandOption('out')
      .example('$0 rules simplify rules.json --model models/iris --data builtin:iris --out rules.simple.json', 'Exact simplification')
      .example('$0 rules simplify rules.json --model m.onnx --data train.csv --tolerance 0.01 --out short.json', 'Allow 1 point of fidelity for shorter rules') as unknown as Argv<SimplifyArgs>,
  handler: async (argv: ArgumentsCamelCase<SimplifyArgs>) => {
    if (!(argv.tolerance >= 0 && argv.tolerance <= 1)) throw new InputError(`expected a number from 0 to 1, got ${argv.tolerance}`, { flag: '--tolerance' });
    const [{ exportRuleSet, loadRuleSet }, { fidelitySummary, scoreRuleSet }, { simplifyRuleSet }] = await Promise.all([
      import('../../rules/io.js'),
      import('../../metrics/scoreRuleSet.js'),
      import('../../global/simplify/simplifyRuleSet.js'),
    ]);
    const rs = await loadRuleSet(argv.file);
    const inputs = await loadRuleInputs(rs, argv.file, argv);
    try {
      const { ruleSet, before, after } = simplifyRuleSet(inputs.ruleSet, inputs.rows, inputs.modelLabels, { tolerance: argv.tolerance });
      // Back to the full embedded schema (the inputs' view keeps only the features the rules test).
      const out: RuleSet = { ...ruleSet, schema: rs.schema };
      const score = scoreRuleSet(ruleSet, inputs.rows, inputs.modelLabels, undefined, { seed: argv.seed, bootstrap: 1000 });
      out.fidelity = fidelitySummary(score, `${argv.data} (the data simplified on)`);
      out.provenance = { ...out.provenance, options: { ...out.provenance.options, simplify: { tolerance: argv.tolerance, data: argv.data } } };
      await writeFileAtomic(argv.out as string, exportRuleSet(out));
      const text = [
        `Simplified ${argv.file} on ${inputs.rows.length} rows of ${argv.data} (tolerance ${argv.tolerance}):`,
        complexityLine('before', before),
        complexityLine('after', after),
        `Wrote ${argv.out}`,
      ].join('\n');
      await emit({ io: argv.io }, text);
    } finally {
      await inputs.model.dispose();
    }
  },
};

const command: CommandModule<GlobalArgs, GlobalArgs> = {
  ...COMMAND_SUMMARIES.rules,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .command(show)
      .command(validate)
      .command(simplify)
      .demandCommand(1, 'Name a subcommand: show, validate or simplify.')
      .example('$0 rules show rules.json', 'Print the rules')
      .example('$0 rules validate rules.json', 'Check a file') as Argv<GlobalArgs>,
  handler: () => {},
};

export default command;
