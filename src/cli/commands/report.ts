/**
 * `distill report`: one self-contained HTML page about a model, its rule sets and explanations.
 */
import type { Argv, CommandModule } from 'yargs';
import type { Dataset } from '../../data/types.js';
import type { ExplanationFile } from '../../local/index.js';
import type { TabularModel } from '../../model/types.js';
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
  anchors: boolean;
  limeSamples?: number;
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
  const { importRuleSet } = await import('../../rules/io.js');
  const out: RuleSet[] = [];
  for (const f of files) out.push(importRuleSet(await readTextFile(f), f));
  return out;
}

/** LIME and Anchors explanations of `rows`, or the explanations of a file when given. */
async function explainRows(argv: ReportArgs, model: TabularModel, data: Dataset, rows: number[]): Promise<{ lime: ExplanationFile | null; anchors: { row: number; ruleSet: RuleSet }[] }> {
  const { explainAnchors, explainLime, importExplanations } = await import('../../local/index.js');
  let lime: ExplanationFile | null = null;
  if (argv.explanations) lime = importExplanations(await readTextFile(argv.explanations), argv.explanations);
  else if (rows.length) {
    const bar = progress(argv);
    try {
      lime = await explainLime(model, data, rows.map((r) => data.rows[r]), { seed: argv.seed, samples: argv.limeSamples, rowIds: rows }, bar);
    } finally {
      bar.stop();
    }
  }
  const anchors: { row: number; ruleSet: RuleSet }[] = [];
  if (argv.anchors && rows.length && model.task !== 'classification') note(argv, 'report: no anchors (Anchors explains classifiers only)');
  else if (argv.anchors) {
    for (const r of rows) {
      note(argv, `anchors: explaining row ${r}`);
      anchors.push({ row: r, ruleSet: await explainAnchors(model, data, data.rows[r], { seed: argv.seed, rowId: r }) });
    }
  }
  return { lime, anchors };
}

const command: CommandModule<GlobalArgs, ReportArgs> = {
  command: 'report',
  describe: 'Write one self-contained HTML report: model and data, rule sets with fidelity, trees, LIME and Anchors',
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options(modelOptions)
      .options(dataOptions)
      .option('rules', { type: 'string', array: true, describe: 'Rule set JSON files to score and show (repeat or list several)' })
      .option('explain-rows', { type: 'string', describe: 'Comma-separated 0-based rows of --data to explain with LIME and Anchors' })
      .option('explanations', { type: 'string', describe: 'An explanation JSON file (distill explain) to show instead of running LIME' })
      .option('anchors', { type: 'boolean', default: true, describe: 'Also find an anchor for each explained row (--no-anchors to skip)' })
      .option('lime-samples', { type: 'number', describe: 'LIME neighbourhood size per row (default 5000)' })
      .option('bootstrap', { type: 'number', describe: 'Bootstrap resamples for the fidelity intervals (default 1000)' })
      .option('title', { type: 'string', describe: 'Page title (default "Surrogate report")' })
      .option('format', { type: 'string', choices: ['html', 'json'], default: 'html', describe: 'html: the page; json: the report input as JSON' })
      .example('$0 report --model distill-demo/model --data builtin:iris --rules distill-demo/rules-cart.json --out report.html', 'Report on one rule set')
      .example('$0 report --model m/ --data test.csv --rules cart.json trepan.json --explain-rows 0,5 --out report.html', 'Two rule sets and two explained rows')
      .example('$0 report --model m/ --data test.csv --explanations why.json --no-anchors --out report.html', 'Show saved LIME explanations') as unknown as Argv<ReportArgs>,
  handler: async (argv) => {
    if (argv.limeSamples !== undefined && !(Number.isInteger(argv.limeSamples) && argv.limeSamples >= 10)) {
      throw new InputError(`expected an integer of at least 10, got ${argv.limeSamples}`, { flag: '--lime-samples' });
    }
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
      note(argv, `report: scoring ${ruleSets.length} rule set(s) on ${data.rows.length} rows of ${data.source}`);
      const { lime, anchors } = await explainRows(argv, model, data, rows);
      const input = await buildReport(model, data, ruleSets, {
        names: ruleFiles,
        explanations: lime,
        anchors,
        seed: argv.seed,
        bootstrap: argv.bootstrap,
        title: argv.title,
      });
      const text = argv.format === 'json' ? JSON.stringify(input, null, 2) : await renderReport(input);
      await emit(argv, text);
      if (argv.out) note(argv, `report: wrote ${argv.out}`);
    } finally {
      await model.dispose();
    }
  },
};

export default command;
