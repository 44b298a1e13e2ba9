/**
 * The data flags every data-reading command shares (`--data`, `--target`, `--target-index`,
 * `--categorical`, `--ignore`) and the loader behind them. Errors name the flag at fault.
 */
import type { Readable } from 'node:stream';
import type { DataStream, DatasetScan } from '../data/load.js';
import { DataOptionError, STDIN_SPEC, type LoadOptions } from '../data/options.js';
import type { Dataset, Feature } from '../data/types.js';
import { InputError, isInputError } from '../util/errors.js';
import { note, type GlobalArgs } from './context.js';

/** yargs options: spread into a command's builder with `.options(dataOptions)`. */
export const dataOptions = {
  data: {
    type: 'string',
    demandOption: true,
    describe: 'Data: a CSV, ARFF or JSON file, builtin:NAME (see distill datasets), or - for standard input (datasets, predict, apply)',
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

/** The load options the data flags give, checked. */
function loadOptionsFromArgs(argv: DataArgs & Pick<GlobalArgs, 'io'>, opts: { noTarget?: boolean; columns?: boolean }): LoadOptions {
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
  return {
    target: argv.target === undefined ? undefined : String(argv.target),
    targetIndex: argv.targetIndex,
    categorical: commaList(argv.categorical, '--categorical'),
    ignore: commaList(argv.ignore, '--ignore'),
    noTarget: opts.noTarget,
    ...(opts.columns ? { columns: true } : {}),
    stdin: argv.data === STDIN_SPEC ? ((argv.io?.stdin ?? process.stdin) as Readable) : undefined,
  };
}

/** Runs a load, blaming the flag that carried an option naming an unknown column, or an unreadable `--data`. */
async function blamingFlags<T>(argv: DataArgs, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
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
}

function warn(argv: Pick<GlobalArgs, 'io'> & { quiet?: boolean }, opts: { warn?: boolean }, warnings: readonly string[] | undefined): void {
  if (opts.warn !== false) for (const w of warnings ?? []) note({ quiet: argv.quiet === true, io: argv.io }, `distill: warning: ${w}`);
}

/**
 * Loads the dataset the data flags describe.
 *
 * @param argv parsed flags (with the global `--quiet`, loader warnings go to stderr unless quiet).
 * @param opts `noTarget` for unlabelled inputs (predict/apply); `warn: false` to keep the loader's
 *   warnings (`Dataset.warnings`) off stderr; `columns` to hold the rows column by column (extract).
 * @throws InputError naming the flag at fault (`--target: data.csv: unknown target column "y";
 *   available columns: ...`), or the file, line and column of a bad value.
 * @example
 * const ds = await loadDataFromArgs({ data: 'builtin:iris' });
 */
export async function loadDataFromArgs(
  argv: DataArgs & Pick<GlobalArgs, 'io'> & { quiet?: boolean },
  opts: { noTarget?: boolean; warn?: boolean; columns?: boolean } = {},
): Promise<Dataset> {
  const load = loadOptionsFromArgs(argv, opts);
  // The loaders (csv-parse and the rest) load with the first command that reads data.
  const { loadDataset } = await import('../data/load.js');
  const ds = await blamingFlags(argv, () => loadDataset(argv.data, load));
  warn(argv, opts, ds.warnings);
  return ds;
}

/**
 * Types the dataset the data flags describe without holding its rows (see `scanDataset`): for
 * commands that stream rows through (`predict`, `apply`, `datasets`). Same checks and errors as
 * {@link loadDataFromArgs}; `replan` on the result names the flags the same way.
 *
 * @example
 * const scan = await scanDataFromArgs({ data: 'big.csv' }, { noTarget: true });
 * for await (const b of scan.batches()) ...
 */
export async function scanDataFromArgs(
  argv: DataArgs & Pick<GlobalArgs, 'io'> & { quiet?: boolean },
  opts: { noTarget?: boolean; warn?: boolean } = {},
): Promise<DatasetScan> {
  const load = loadOptionsFromArgs(argv, opts);
  const { scanDataset } = await import('../data/load.js');
  const wrap = (scan: DatasetScan): DatasetScan => ({
    ...scan,
    replan: async (o) => wrap(await blamingFlags(argv, () => scan.replan({ ...load, ...o }))),
  });
  const scan = wrap(await blamingFlags(argv, () => scanDataset(argv.data, load)));
  warn(argv, opts, scan.plan.warnings);
  return scan;
}

/**
 * The rows of the data the flags describe, typed by a schema known beforehand and read in one
 * pass (see `streamDataset`): for `predict` with a model's encoder and `apply`, on a large CSV
 * file or CSV on standard input. Null when the data is not such a stream: read it with
 * {@link scanDataFromArgs}. `--target`, `--categorical` and `--ignore` play no part (columns are
 * matched by name and typed by the schema); they are checked for form only.
 *
 * @param needer who needs the columns, for messages (`the model`, `the rules`).
 * @example
 * const stream = await streamDataFromArgs({ data: '-' }, rs.schema.features, 'the rules');
 */
export async function streamDataFromArgs(
  argv: DataArgs & Pick<GlobalArgs, 'io'> & { quiet?: boolean },
  features: readonly Feature[],
  needer: string,
): Promise<DataStream | null> {
  const load = loadOptionsFromArgs(argv, {});
  const { streamDataset } = await import('../data/load.js');
  return blamingFlags(argv, () => streamDataset(argv.data, features, load, needer));
}
