/**
 * `distill datasets [data]`: list the built-in datasets, or show how a data file (or builtin) is
 * read: its columns with inferred types, missing values, target and loader warnings.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { BuiltinInfo } from '../../data/builtins.js';
import type { DatasetPlan } from '../../data/infer.js';
import { InputError, isInputError } from '../../util/errors.js';
import { escapeControls as safe } from '../../util/text.js';
import { emit, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, scanDataFromArgs } from '../data-options.js';
import { textTable } from '../text-table.js';

interface DatasetsArgs extends GlobalArgs {
  data?: string;
  target?: string;
  targetIndex?: number;
  categorical?: string;
  ignore?: string;
}

function builtinsText(list: BuiltinInfo[]): string {
  const table = textTable(
    ['name', 'rows', 'features', 'target', 'task', 'description'],
    list.map((b) => [`builtin:${b.name}`, b.rows, b.features, b.target, b.task, b.description]),
  );
  const sources = list.map((b) => `  ${b.name}: ${b.source}`).join('\n');
  return `${table}\n\nSources:\n${sources}\n`;
}

interface ColumnSummary {
  name: string;
  role: 'feature' | 'target';
  type: string;
  missing: number;
  values: string;
}

function summarise(plan: DatasetPlan): ColumnSummary[] {
  const list = (names: string[]) => `${names.length}: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', ...' : ''}`;
  const range = (s: { min: number | null; max: number | null }) => (s.min !== null && s.max !== null ? `${s.min} .. ${s.max}` : '(no values)');
  const out: ColumnSummary[] = plan.schema.features.map((f, j) => {
    const s = plan.features[j];
    const values = f.type === 'numeric' ? range(s) : list(f.categories);
    return { name: f.name, role: 'feature', type: f.type, missing: s.missing, values };
  });
  const t = plan.schema.target;
  if (t && plan.target) {
    const values = t.kind === 'class' ? list(t.classes) : range(plan.target);
    out.push({ name: t.name, role: 'target', type: t.kind === 'class' ? 'class' : 'regression', missing: plan.target.missing, values });
  }
  return out;
}

function datasetText(plan: DatasetPlan, cols: ColumnSummary[]): string {
  const head = `${safe(plan.source)}: ${plan.rows} rows, ${plan.schema.features.length} features, ${plan.missing} missing feature values`;
  const table = textTable(
    ['column', 'role', 'type', 'missing', 'values'],
    cols.map((c) => [c.name, c.role, c.type, c.missing, c.values]),
  );
  const warn = plan.warnings.length ? `\n\nWarnings:\n${plan.warnings.map((w) => `  ${safe(w)}`).join('\n')}` : '';
  return `${head}\n\n${table}${warn}\n`;
}

const datasets: CommandModule<GlobalArgs, DatasetsArgs> = {
  ...COMMAND_SUMMARIES.datasets,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .positional('data', { type: 'string', describe: 'A data file or builtin:NAME to describe (default: list the built-ins)' })
      .options({
        target: dataOptions.target,
        'target-index': dataOptions['target-index'],
        categorical: dataOptions.categorical,
        ignore: dataOptions.ignore,
      })
      .example('$0 datasets', 'The built-in datasets with sizes, targets and sources')
      .example('$0 datasets --format json', 'The same as JSON')
      .example('$0 datasets ../shared/datasets/adult.csv', 'Columns of a file with their inferred types and missing values')
      .example('$0 datasets wdbc.data --target Diagnosis --ignore ID', 'Check the reading of a file before training') as unknown as Argv<DatasetsArgs>,
  handler: async (argv: ArgumentsCamelCase<DatasetsArgs>) => {
    const format = chooseFormat(argv.format, ['text', 'json']);
    if (argv.data === undefined) {
      const { listBuiltins } = await import('../../data/builtins.js');
      const list = listBuiltins().map((b) => ({ ...b, spec: `builtin:${b.name}` }));
      await emit(argv, format === 'json' ? JSON.stringify(list, null, 2) : builtinsText(listBuiltins()));
      return;
    }
    // The file streams past once (no rows are kept): any size can be described in bounded memory.
    const scan = await scanDataFromArgs({
      io: argv.io,
      data: argv.data,
      target: argv.target,
      targetIndex: argv.targetIndex,
      categorical: argv.categorical,
      ignore: argv.ignore,
    }, { warn: false }).catch((e: unknown) => {
      // Here the data is a positional argument, not the --data flag.
      if (isInputError(e) && e.location.flag === '--data') throw new InputError(e.detail, { ...e.location, flag: undefined });
      throw e;
    });
    const { plan } = scan;
    const cols = summarise(plan);
    if (format === 'json') {
      const body = { source: plan.source, rows: plan.rows, missing: plan.missing, schema: plan.schema, columns: cols, warnings: plan.warnings };
      await emit(argv, JSON.stringify(body, null, 2));
    } else await emit(argv, datasetText(plan, cols));
  },
};

export default datasets;
