/**
 * `distill explain`: local explanations of the model's predictions for chosen rows, by any method
 * of the local registry (`--method`), or by several side by side (`--compare`). The method flags
 * are derived from the registry's option schemas.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { ExplanationFile, ExplanationT } from '../../local/schema.js';
import type { LocalExplainer } from '../../local/types.js';
import type { BaselineSpec } from '../../local/run.js';
import type { Dataset } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import { InputError } from '../../util/errors.js';
import { escapeControls as safe } from '../../util/text.js';
import { chooseFormat, emit, note, progress, type GlobalArgs } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';
import { batchRunnerFromArgs, checkScaleArgs, queueOptions, workersOption, type ScaleArgs } from '../scale-options.js';

/** The flags of a command that explains rows (`explain`, `importance`). */
export interface ExplainArgs extends GlobalArgs, DataArgs, ModelArgs, ScaleArgs {
  row?: number;
  rows?: string;
  all: boolean;
  method?: string;
  compare?: string;
  class?: string;
  background?: string;
  baseline?: string;
  faithfulness?: number;
  summary?: boolean;
  bootstrap?: number;
  rules?: string;
  [flag: string]: unknown;
}

/** Row indices chosen by --row / --rows / --all (exactly one). */
export function chooseRows(argv: { row?: number; rows?: string; all?: boolean }, count: number): number[] {
  const given = [argv.row !== undefined, argv.rows !== undefined, argv.all === true].filter(Boolean).length;
  if (given !== 1) throw new InputError('give exactly one of --row N, --rows A-B or --all', { flag: '--row' });
  if (argv.all) return Array.from({ length: count }, (_, i) => i);
  if (argv.row !== undefined) {
    if (!Number.isInteger(argv.row) || argv.row < 0 || argv.row >= count) throw new InputError(`expected a row index from 0 to ${count - 1}, got ${argv.row}`, { flag: '--row' });
    return [argv.row];
  }
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(String(argv.rows));
  if (!m) throw new InputError(`expected a range A-B of 0-based row indices, got "${argv.rows}"`, { flag: '--rows' });
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > b || b >= count) throw new InputError(`expected 0 <= A <= B <= ${count - 1}, got ${argv.rows}`, { flag: '--rows' });
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** `--baseline`: a statistic of the background, or a file with one row. */
async function baselineFromArgs(argv: ExplainArgs, model: TabularModel): Promise<BaselineSpec | undefined> {
  const b = argv.baseline;
  if (b === undefined || b === 'mean' || b === 'median' || b === 'zeros') return b;
  const ds = await loadDataFromArgs({ ...argv, data: b, target: undefined, targetIndex: undefined }, { noTarget: true }).catch((e) => {
    throw new InputError(`expected mean, median, zeros or a data file with one row: ${(e as Error).message}`, { flag: '--baseline' });
  });
  const { alignRows } = await import('../../data/align.js');
  let rows;
  try {
    rows = alignRows(ds, model.schema.features);
  } catch (e) {
    throw new InputError((e as Error).message, { flag: '--baseline' });
  }
  if (rows.length !== 1) throw new InputError(`expected a file with one row, ${b} has ${rows.length}`, { flag: '--baseline' });
  return { row: rows[0], name: `row of ${b}` };
}

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

const f3 = (x: number | null) => (x === null ? '-' : x.toFixed(3));

/**
 * The `--compare` table: per method, mean faithfulness over the explained rows, time and the
 * columns with the largest mean |attribution|.
 */
export function compareTable(file: ExplanationFile, methods: readonly string[], millis: Record<string, number>): string {
  const head = ['method', 'rows', 'sensitivity-n (n: mean r)', 'deletion area', 'random order', 'precision', 'seconds', 'top columns'];
  const body = methods.map((m) => {
    const ex = file.explanations.filter((e) => e.method === m);
    const sizes = [...new Set(ex.flatMap((e) => e.faithfulness?.sensitivityN.map((s) => s.n) ?? []))].sort((a, b) => a - b);
    const sens = sizes
      .map((n) => `${n}: ${f3(mean(ex.flatMap((e) => e.faithfulness?.sensitivityN.filter((s) => s.n === n && s.correlation !== null).map((s) => s.correlation!) ?? [])))}`)
      .join(', ');
    const del = (key: 'auc' | 'randomAuc') => f3(mean(ex.flatMap((e) => (e.faithfulness?.deletion ? [e.faithfulness.deletion[key]] : []))));
    const precision = f3(mean(ex.flatMap((e) => (e.faithfulness?.precision ? [e.faithfulness.precision.value] : []))));
    return [safe(m), String(ex.length), sens || '-', del('auc'), del('randomAuc'), precision, ((millis[m] ?? 0) / 1000).toFixed(2), topColumns(ex, 3)];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

/** The `k` columns with the largest mean |attribution| over `ex`, or '-' without attributions. */
function topColumns(ex: readonly ExplanationT[], k: number): string {
  const sum = new Map<string, number>();
  for (const e of ex) for (const a of e.attributions) sum.set(a.feature, (sum.get(a.feature) ?? 0) + Math.abs(a.attribution));
  if (!sum.size) return '-';
  return [...sum]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([f]) => safe(f))
    .join(', ');
}

/**
 * The options of every command that explains rows: the row choice, the run's shared choices
 * (class, background, baseline, faithfulness) and every local method's flags.
 */
export async function explainRunOptions() {
  const { localMethodFlags } = await import('../local-options.js');
  return {
    row: { type: 'number', describe: 'Explain this row (0-based)' },
    rows: { type: 'string', describe: 'Explain rows A-B (0-based, inclusive)' },
    all: { type: 'boolean', default: false, describe: 'Explain every row' },
    class: { type: 'string', describe: 'Class to explain (default: the predicted one)' },
    background: { type: 'string', describe: 'Data the statistics, samplers and background sample come from (default: --data; more than 100 rows: a seeded sample of 100 for the background)' },
    baseline: { type: 'string', describe: 'What a removed column is set to: mean, median, zeros or a file with one row (default: the background mean; most frequent category)' },
    faithfulness: { type: 'number', describe: 'Random column subsets per n for Sensitivity-n (default 32; 0: do not measure faithfulness)' },
    ...workersOption,
    ...queueOptions,
    ...localMethodFlags(),
  } as const;
}

/** The `--bootstrap` option of the summaries. */
export const bootstrapOption = { type: 'number', describe: 'Bootstrap resamples of the 95% intervals of the summary (default 1000)' } as const;

/**
 * Loads the data, the background, the model and the baseline named by the flags, and explains the
 * chosen rows with `entries` (the methods' flags checked against them).
 *
 * @throws InputError naming the flag at fault.
 */
export async function explainFromArgs(argv: ExplainArgs, entries: readonly LocalExplainer[]): Promise<{ file: ExplanationFile; millis: Record<string, number>; rows: number }> {
  const { methodOptionsFromArgs } = await import('../local-options.js');
  const options = methodOptionsFromArgs(argv, entries);
  if (argv.faithfulness !== undefined && !(Number.isInteger(argv.faithfulness) && argv.faithfulness >= 0)) {
    throw new InputError(`expected an integer >= 0, got ${argv.faithfulness}`, { flag: '--faithfulness' });
  }
  if (argv.bootstrap !== undefined && !(Number.isInteger(argv.bootstrap) && argv.bootstrap >= 0)) {
    throw new InputError(`expected an integer >= 0, got ${argv.bootstrap}`, { flag: '--bootstrap' });
  }
  const { workers } = await checkScaleArgs(argv);
  const ds = await loadDataFromArgs(argv);
  const chosen = chooseRows(argv, ds.rows.length);
  let background: Dataset | undefined;
  if (argv.background !== undefined) background = await loadDataFromArgs({ ...argv, data: String(argv.background) });
  // One onnxruntime thread here, as in each worker thread: --workers is the parallelism, and
  // onnxruntime's own threads would only contend with the worker threads for the same cores.
  const model = await loadModelFromArgs(argv, ds, { threads: 1 });
  try {
    const { explainRows } = await import('../../local/run.js');
    const baseline = await baselineFromArgs(argv, model);
    if (options.counterfactual) options.counterfactual.ruleSet = await (await import('../counterfactual-rules.js')).counterfactualRules(argv, model, ds);
    else if (argv.rules !== undefined) throw new InputError('applies to counterfactual only', { flag: '--rules' });
    const runner = await batchRunnerFromArgs(argv, model, workers);
    const bar = progress(argv);
    const millis: Record<string, number> = {};
    try {
      const file = await explainRows(
        entries.map((e) => e.name),
        {
          model,
          data: ds,
          rows: chosen.map((i) => ds.rows[i]),
          rowIds: chosen,
          background,
          baseline,
          class: argv.class,
          seed: argv.seed,
          faithfulness: argv.faithfulness,
          progress: bar,
          timing: (m, ms) => (millis[m] = ms),
          rowsPerBatch: argv.rowsPerBatch,
          runner,
        },
        options,
      );
      return { file, millis, rows: chosen.length };
    } finally {
      bar.stop();
    }
  } finally {
    await model.dispose();
  }
}

/**
 * Writes the summary of `file` (mean |attribution| per column with bootstrap intervals) as text,
 * or as an importance file with `--format json`.
 */
export async function emitSummary(argv: ExplainArgs, file: ExplanationFile, format: 'text' | 'json'): Promise<void> {
  const { summarizeExplanations, exportImportance } = await import('../../local/importance.js');
  const summary = summarizeExplanations(file, { resamples: argv.bootstrap });
  if (format === 'json') return emit(argv, exportImportance(summary));
  const { renderImportance } = await import('../../local/render.js');
  return emit(argv, renderImportance(summary));
}

/** The entries of `names`, which must all give per-column attributions (for a summary). */
export async function attributionEntries(names: readonly string[], flag: string): Promise<LocalExplainer[]> {
  const { localExplainer, localExplainerNames } = await import('../../local/registry.js');
  return names.map((m) => {
    const e = localExplainer(m, flag);
    if (e.kind !== 'attribution') {
      const ok = localExplainerNames().filter((n) => localExplainer(n).kind === 'attribution');
      throw new InputError(`${m} explains with rules, not per-column attributions; attribution methods: ${ok.join(', ')}`, { flag });
    }
    return e;
  });
}

const command: CommandModule<GlobalArgs, ExplainArgs> = {
  ...COMMAND_SUMMARIES.explain,
  // Async: the methods and their flags come from the local registry (and zod), loaded only for this command.
  builder: async (y: Argv<GlobalArgs>) => {
    const { localExplainerNames } = await import('../../local/registry.js');
    return y
      .options(modelOptions)
      .options({ ...dataOptions })
      .options({
        method: { type: 'string', choices: localExplainerNames(), describe: 'Local explanation method (default lime; see docs/methods)' },
        compare: { type: 'string', describe: 'Run several methods on the same rows and compare their faithfulness, time and top columns (comma-separated)' },
        summary: { type: 'boolean', describe: 'Print the mean |attribution| per column over the explained rows with a bootstrap interval instead of each explanation (JSON: an importance file)' },
        bootstrap: bootstrapOption,
        ...(await explainRunOptions()),
        rules: { type: 'string', describe: 'counterfactual: a rule set JSON whose regions of the wanted class are tried first (default: a CART tree extracted from --data)' },
      })
      .conflicts('compare', 'method')
      .conflicts('queue', 'workers')
      .example('$0 explain --model models/iris --data builtin:iris --row 100', 'LIME for one row, as a ranked table')
      .example('$0 explain --model models/iris --data builtin:iris --rows 0-49 --format json --out why.json', 'A batch as JSON')
      .example('$0 explain --model models/iris --data builtin:iris --row 100 --method anchors', 'An anchor rule for one row')
      .example('$0 explain --model models/iris --data builtin:iris --row 100 --method shap', 'Exact Shapley values for one row')
      .example('$0 explain --model models/iris --data builtin:iris --rows 0-9 --compare lime,shap,anchors', 'Three methods side by side')
      .example('$0 explain --model models/iris --data builtin:iris --all --method shap --summary', 'Mean |SHAP value| per column over every row')
      .example('$0 explain --model m --data d.csv --row 3 --stability 5 --discretizer none', 'Stability across 5 seeds')
      .example('$0 explain --model m --data d.csv --row 3 --method counterfactual --class approved --fixed age,sex', 'What would have to change for the answer to be approved')
      .example('$0 explain --model m --data d.csv --row 3 --method counterfactual --class approved --fixed age,sex', 'What would have to change for the answer to be approved')
      .example('$0 explain --model m --data d.csv --all --workers 8 --format json --out why.json', 'Every row, on 8 worker threads')
      .example('$0 explain --model m --data d.csv --all --queue redis://:pw@queue-host:6379/0 --out why.json', 'Every row, on the machines running `distill worker`') as unknown as Argv<ExplainArgs>;
  },
  handler: async (argv: ArgumentsCamelCase<ExplainArgs>) => {
    const format = chooseFormat(argv.format, ['text', 'json']);
    const flag = argv.compare !== undefined ? '--compare' : '--method';
    const { localExplainer } = await import('../../local/registry.js');
    const methods = argv.compare !== undefined ? String(argv.compare).split(',').map((s) => s.trim()).filter(Boolean) : [argv.method ?? 'lime'];
    if (!methods.length) throw new InputError('expected comma-separated method names', { flag: '--compare' });
    if (argv.bootstrap !== undefined && !argv.summary) throw new InputError('applies to --summary only', { flag: '--bootstrap' });
    const entries = argv.summary ? await attributionEntries(methods, flag) : methods.map((m) => localExplainer(m, flag));
    const { file, millis, rows } = await explainFromArgs(argv, entries);
    if (rows > 1) note(argv, `explained ${rows} rows`);
    if (argv.summary) return emitSummary(argv, file, format);
    if (format === 'json') return emit(argv, (await import('../../local/schema.js')).exportExplanations(file));
    if (argv.compare !== undefined) return emit(argv, compareTable(file, methods, millis));
    const { renderExplanations } = await import('../../local/render.js');
    await emit(argv, renderExplanations(file));
  },
};

export default command;
