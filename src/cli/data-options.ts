/**
 * The data flags every data-reading command shares (`--data`, `--target`, `--target-index`,
 * `--categorical`, `--ignore`) and the loader behind them. Errors name the flag at fault.
 */
import { DataOptionError, type LoadOptions } from '../data/options.js';
import type { Dataset } from '../data/types.js';
import { InputError, isInputError } from '../util/errors.js';
import { note, type GlobalArgs } from './context.js';

/** yargs options: spread into a command's builder with `.options(dataOptions)`. */
export const dataOptions = {
  data: {
    type: 'string',
    demandOption: true,
    describe: 'Data: a CSV, ARFF or JSON file, or builtin:NAME (see distill datasets)',
  },
  target: { type: 'string', describe: 'Target column by name (default: the last column; builtins carry their own)' },
  'target-index': { type: 'number', describe: 'Target column by 0-based index, for headerless files (-1: last)' },
  categorical: { type: 'string', describe: 'Comma-separated columns to treat as categorical' },
  ignore: { type: 'string', describe: 'Comma-separated columns to drop (e.g. an id)' },
} as const;

/** Parsed data flags (yargs camel-cases `--target-index`). */
export interface DataArgs {
  data: string;
  target?: string;
  targetIndex?: number;
  categorical?: string;
  ignore?: string;
}

const FLAGS: Partial<Record<keyof LoadOptions, string>> = {
  target: '--target',
  targetIndex: '--target-index',
  categorical: '--categorical',
  ignore: '--ignore',
};

function commaList(s: string | undefined, flag: string): string[] | undefined {
  if (s === undefined) return undefined;
  const items = String(s)
    .split(',')
    .map((x) => x.trim());
  if (items.some((x) => x === '')) throw new InputError(`expected comma-separated column names, got ${JSON.stringify(s)}`, { flag });
  return items;
}

/**
 * Loads the dataset the data flags describe.
 *
 * @param argv parsed flags (with the global `--quiet`, loader warnings go to stderr unless quiet).
 * @param opts `noTarget` for unlabelled inputs (predict/apply); `warn: false` to keep the loader's
 *   warnings (`Dataset.warnings`) off stderr.
 * @throws InputError naming the flag at fault (`--target: data.csv: unknown target column "y";
 *   available columns: ...`), or the file, line and column of a bad value.
 * @example
 * const ds = await loadDataFromArgs({ data: 'builtin:iris' });
 */
export async function loadDataFromArgs(
  argv: DataArgs & Pick<GlobalArgs, 'io'> & { quiet?: boolean },
  opts: { noTarget?: boolean; warn?: boolean } = {},
): Promise<Dataset> {
  if (typeof argv.data !== 'string' || argv.data.trim() === '') {
    throw new InputError('expected a file path or builtin:NAME', { flag: '--data' });
  }
  if (argv.target !== undefined && argv.targetIndex !== undefined) {
    throw new InputError('give either --target or --target-index, not both', { flag: '--target-index' });
  }
  if (argv.targetIndex !== undefined && (!Number.isInteger(argv.targetIndex) || argv.targetIndex < -1)) {
    throw new InputError(`expected a column index (0, 1, ... or -1 for the last), got ${argv.targetIndex}`, { flag: '--target-index' });
  }
  if (argv.target !== undefined && String(argv.target).trim() === '') {
    throw new InputError('expected a column name', { flag: '--target' });
  }
  const load: LoadOptions = {
    target: argv.target === undefined ? undefined : String(argv.target),
    targetIndex: argv.targetIndex,
    categorical: commaList(argv.categorical, '--categorical'),
    ignore: commaList(argv.ignore, '--ignore'),
    noTarget: opts.noTarget,
  };
  // The loaders (csv-parse and the rest) load with the first command that reads data.
  const { loadDataset } = await import('../data/load.js');
  let ds: Dataset;
  try {
    ds = await loadDataset(argv.data, load);
  } catch (e) {
    if (e instanceof DataOptionError && FLAGS[e.option]) {
      throw new InputError(e.detail, { ...e.location, flag: FLAGS[e.option] });
    }
    if (isInputError(e) && (e as InputError).location?.file === argv.data && !(e as InputError).location.line) {
      // Unreadable file or unknown builtin: blame the flag too.
      const ie = e as InputError;
      if (!ie.location.path && !ie.location.column) throw new InputError(ie.detail, { ...ie.location, flag: '--data' });
    }
    throw e;
  }
  if (opts.warn !== false) for (const w of ds.warnings ?? []) note({ quiet: argv.quiet === true, io: argv.io }, `distill: warning: ${w}`);
  return ds;
}
