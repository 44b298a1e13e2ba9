/**
 * Options every loader accepts, and the error raised when one of them names something the data
 * lacks (so the CLI can blame the flag that carried it).
 */
import type { Readable } from 'node:stream';
import { InputError, type ErrorLocation } from '../util/errors.js';

/** The data path that stands for standard input (`distill apply --data - < rows.csv`). */
export const STDIN_SPEC = '-';
/** How standard input is named in messages and outputs. */
export const STDIN_NAME = '<stdin>';

/**
 * Rows per batch for commands that stream rows through and write them out (`predict`, `apply`):
 * small enough that a batch's objects (cells, typed rows, output lines) die young in the garbage
 * collector's nursery instead of being promoted and piling up in the old generation, large
 * enough that a model's per-call cost is paid rarely.
 */
export const STREAM_BATCH_ROWS = 1024;

export interface LoadOptions {
  /** Target column by name (default: the last column; ARFF: an attribute named `class` if any; builtins carry their own). */
  target?: string;
  /** 0-based column index of the target, for headerless files; -1 = last. */
  targetIndex?: number;
  /** Unlabelled data (e.g. predict/apply inputs): no target column is split off. */
  noTarget?: boolean;
  /** Force these columns categorical. */
  categorical?: string[];
  /** Drop these columns. */
  ignore?: string[];
  /** CSV: force the header on or off (default: detected). */
  header?: boolean;
  /**
   * CSV files up to this many bytes are parsed in memory in one pass; larger ones are streamed
   * (default 8 MiB, `DEFAULT_IN_MEMORY_BYTES`). 0 streams every file.
   */
  inMemoryBytes?: number;
  /**
   * Hold the rows column by column (`Dataset.table`: a `Float64Array` per numeric column, an
   * `Int32Array` of codes per categorical one), about a quarter of the memory of row arrays; the
   * extraction path reads them so. `rows` is then made on first use.
   */
  columns?: boolean;
  /** The stream read for the path {@link STDIN_SPEC} (default `process.stdin`). */
  stdin?: Readable;
}

/**
 * An {@link InputError} caused by a load option (`target`, `targetIndex`, `categorical`, `ignore`,
 * `header`): `option` says which, so that a front end can name its own flag.
 */
export class DataOptionError extends InputError {
  readonly option: keyof LoadOptions;

  constructor(option: keyof LoadOptions, detail: string, location: ErrorLocation = {}) {
    super(detail, location);
    this.option = option;
  }
}
