/**
 * `distill report`: one self-contained HTML page about a model, its rule sets and explanations.
 */
import type { Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { Dataset } from '../../data/types.js';
import type { ExplanationFile } from '../../local/schema.js';
import type { TabularModel } from '../../model/types.js';
import type { StepLog } from '../../report/audit.js';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { readTextFile } from '../../util/io.js';
import { emit, note, progress, type GlobalArgs } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';

interface ReportArgs extends GlobalArgs, DataArgs, ModelArgs {
  rules?: string[];
  explainRows?: string;
  explanations?: string;
  explainMethods: string;
  [flag: string]: unknown;
  bootstrap?: number;
  title?: string;
}

/**
 * Parses `--explain-rows`: comma-separated 0-based row indices within the data.
 *
 * @throws InputError naming `--explain-rows` for a non-integer or out-of-range index.
 * @example
 * parseRowList('0, 5', 150); // [0, 5]
 */
export function parseRowList(text: string, rows: number, flag = '--explain-rows'): number[] {
  const out: number[] = [];
  for (const part of String(text).split(',')) {
    const s = part.trim();
    if (!/^\d+$/.test(s)) throw new InputError(`expected comma-separated row numbers (0-based), got ${JSON.stringify(part)}`, { flag });
    const i = Number(s);
    if (i >= rows) throw new InputError(`row ${i} is out of range: the data has ${rows} rows (0 to ${rows - 1})`, { flag });
    if (!out.includes(i)) out.push(i);
  }
  return out;
}

/** Reads and validates the rule set files of `--rules`. */
async function readRuleSets(files: readonly string[]): Promise<RuleSet[]> {
  const { loadRuleSet } = await import('../../rules/read.js');
  const out: RuleSet[] = [];
  for (const f of files) out.push(await loadRuleSet(f));
  return out;
}

/** The default local methods of a report. */
export const REPORT_LOCAL_METHODS = 'lime,anchors';

/**
 * Explanations of `rows` by the methods of `--explain-methods` that suit the model (a method for
 * classifiers only is skipped, with a note, on a regression model), or those of a file when given.
 */
async function explainRowsFor(argv: ReportArgs, model: TabularModel, data: Dataset, rows: number[]): Promise<ExplanationFile | null> {
  if (argv.explanations) return (await import('../../local/schema.js')).importExplanations(await readTextFile(argv.explanations), argv.explanations);
  if (!rows.length) return null;
  const names = String(argv.explainMethods).split(',').map((m) => m.trim()).filter(Boolean);
  if (!names.length) throw new InputError('expected comma-separated method names', { flag: '--explain-methods' });
  const [{ localExplainer }, { methodOptionsFromArgs }] = await Promise.all([import('../../local/registry.js'), import('../local-options.js')]);
  const methods = names.filter((m) => {
    const e = localExplainer(m, '--explain-methods');
    if (e.tasks.includes(model.task)) return true;
    note(argv, `report: no ${m} explanations (${m} explains ${e.tasks.join(' and ')} models only)`);
    return false;
  });
  if (!methods.length) return null;
  const { explainRows } = await import('../../local/run.js');
  const bar = progress(argv);
  try {
    const options = methodOptionsFromArgs(argv, methods.map((m) => localExplainer(m, '--explain-methods')));
    return await explainRows(methods, { model, data, rows: rows.map((r) => data.rows[r]), rowIds: rows, seed: argv.seed, progress: bar }, options);
  } finally {
    bar.stop();
  }
}

const command: CommandModule<GlobalArgs, ReportArgs> = {
  ...COMMAND_SUMMARIES.report,
  // Async: the local methods' flags come from their registry (and zod), loaded only for this command.
  builder: async (y: Argv<GlobalArgs>) => {
    const { localMethodFlags } = await import('../local-options.js');
    return y
      .options(modelOptions)
      .options(dataOptions)
      .option('rules', { type: 'string', array: true, describe: 'Rule set JSON files to score and show (repeat or list several; default: rules extracted with every method that applies, as distill audit does)' })
      .option('explain-rows', { type: 'string', describe: 'Comma-separated 0-based rows of --data to explain locally' })
      .option('explain-methods', { type: 'string', default: REPORT_LOCAL_METHODS, describe: 'Comma-separated local methods for --explain-rows (see distill explain --method)' })
      .option('explanations', { type: 'string', describe: 'An explanation JSON file (distill explain) to show instead of explaining rows' })
      .options(localMethodFlags())
      .option('bootstrap', { type: 'number', describe: 'Bootstrap resamples for the fidelity intervals (default 1000)' })
      .option('title', { type: 'string', describe: 'Page title (default "Surrogate report")' })
      .option('format', { type: 'string', choices: ['html', 'json'], default: 'html', describe: 'html: the page; json: the report input as JSON' })
      .example('$0 report --model distill-demo/model --data builtin:iris --rules distill-demo/rules-cart.json --out report.html', 'Report on one rule set')
      .example('$0 report --model m/ --data test.csv --rules cart.json trepan.json --explain-rows 0,5 --out report.html', 'Two rule sets and two explained rows')
      .example('$0 report --model m/ --data test.csv --explanations why.json --out report.html', 'Show saved explanations') as unknown as Argv<ReportArgs>;
  },
  handler: async (argv) => {
    if (argv.bootstrap !== undefined && !(Number.isInteger(argv.bootstrap) && argv.bootstrap >= 0)) {
      throw new InputError(`expected a non-negative integer, got ${argv.bootstrap}`, { flag: '--bootstrap' });
    }
    const ruleFiles = (argv.rules ?? []).map(String);
    const ruleSets = await readRuleSets(ruleFiles);
    const data = await loadDataFromArgs(argv);
    const rows = argv.explainRows !== undefined ? parseRowList(argv.explainRows, data.rows.length) : [];
    const model = await loadModelFromArgs(argv, data);
    try {
      const { buildReport, renderReport } = await import('../../report/index.js');
      const names = [...ruleFiles];
      let log: StepLog | null = null;
      if (!ruleSets.length) {
        // No rule sets given: extract them as `distill audit` does, at a readable size.
        const { extractEach, stepLog } = await import('../../report/audit.js');
        const { extractorNames } = await import('../../global/registry.js');
        note(argv, `report: no --rules given; extracting rules with every method that applies (${extractorNames().join(', ')})`);
        log = stepLog(extractorNames().length, (e) => {
          if (e.status !== 'start') note(argv, `report: ${e.step}: ${e.status}${e.detail ? ` (${e.detail})` : ''}`);
        });
        for (const r of await extractEach(model, data, { seed: argv.seed }, log)) {
          ruleSets.push(r.ruleSet);
          names.push(r.method);
        }
      }
      note(argv, `report: scoring ${ruleSets.length} rule set(s) on ${data.rows.length} rows of ${data.source}`);
      const explanations = await explainRowsFor(argv, model, data, rows);
      const input = await buildReport(model, data, ruleSets, {
        names,
        explanations,
        seed: argv.seed,
        bootstrap: argv.bootstrap,
        title: argv.title,
      });
      if (log) {
        input.failures = log.failures;
        const skipped = log.steps.filter((x) => x.status === 'skipped').map((x) => ({ step: x.step, reason: x.detail }));
        if (skipped.length) input.skipped = skipped;
      }
      const text = argv.format === 'json' ? JSON.stringify(input, null, 2) : await renderReport(input);
      await emit(argv, text);
      if (argv.out) note(argv, `report: wrote ${argv.out}`);
    } finally {
      await model.dispose();
    }
  },
};

export default command;
