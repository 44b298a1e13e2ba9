/**
 * `distill datasets [data]`: list the built-in datasets, or show how a data file (or builtin) is
 * read: its columns with inferred types, missing values, target and loader warnings.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { BuiltinInfo } from '../../data/builtins.js';
import type { Dataset } from '../../data/types.js';
import { InputError, isInputError } from '../../util/errors.js';
import { emit, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, loadDataFromArgs } from '../data-options.js';
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

function summarise(ds: Dataset): ColumnSummary[] {
  const out: ColumnSummary[] = ds.schema.features.map((f, j) => {
    let missing = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of ds.rows) {
      const v = r[j];
      if (v === null) missing++;
      else if (typeof v === 'number') {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    const values =
      f.type === 'numeric'
        ? lo <= hi
          ? `${lo} .. ${hi}`
          : '(no values)'
        : `${f.categories.length}: ${f.categories.slice(0, 6).join(', ')}${f.categories.length > 6 ? ', ...' : ''}`;
    return { name: f.name, role: 'feature', type: f.type, missing, values };
  });
  const t = ds.schema.target;
  if (t && ds.target) {
    const missing = ds.target.filter((v) => v === null).length;
    const nums = ds.target.filter((v): v is number => typeof v === 'number');
    const values =
      t.kind === 'class'
        ? `${t.classes.length}: ${t.classes.slice(0, 6).join(', ')}${t.classes.length > 6 ? ', ...' : ''}`
        : nums.length
          ? `${Math.min(...nums)} .. ${Math.max(...nums)}`
          : '(no values)';
    out.push({ name: t.name, role: 'target', type: t.kind === 'class' ? 'class' : 'regression', missing, values });
  }
  return out;
}

function datasetText(ds: Dataset, cols: ColumnSummary[]): string {
  const head = `${ds.source}: ${ds.rows.length} rows, ${ds.schema.features.length} features, ${ds.missing} missing feature values`;
  const table = textTable(
    ['column', 'role', 'type', 'missing', 'values'],
    cols.map((c) => [c.name, c.role, c.type, c.missing, c.values]),
  );
  const warn = ds.warnings?.length ? `\n\nWarnings:\n${ds.warnings.map((w) => `  ${w}`).join('\n')}` : '';
  return `${head}\n\n${table}${warn}\n`;
}

const datasets: CommandModule<GlobalArgs, DatasetsArgs> = {
  command: 'datasets [data]',
  describe: 'List the built-in datasets, or show how a data file is read (types, missing values, target)',
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
    const ds = await loadDataFromArgs({
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
    const cols = summarise(ds);
    if (format === 'json') {
      const body = { source: ds.source, rows: ds.rows.length, missing: ds.missing, schema: ds.schema, columns: cols, warnings: ds.warnings ?? [] };
      await emit(argv, JSON.stringify(body, null, 2));
    } else await emit(argv, datasetText(ds, cols));
  },
};

export default datasets;
