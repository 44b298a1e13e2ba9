/**
 * The tabular data model shared by the whole pipeline.
 *
 * A {@link Dataset} holds rows of raw values in the original columns (numbers for numeric
 * features, strings for categorical ones, `null` for missing) and a {@link Schema} that says which
 * is which. Everything the toolkit reports speaks of these original columns; one-hot columns
 * exist only inside the encoder that feeds a network.
 */
import type { DataTable, TableColumn } from './table.js';

/** A numeric feature (real or integer valued). */
export interface NumericFeature {
  name: string;
  type: 'numeric';
}

/** A categorical feature with its categories in a fixed order. */
export interface CategoricalFeature {
  name: string;
  type: 'categorical';
  categories: string[];
}

export type Feature = NumericFeature | CategoricalFeature;

/** The prediction target: class labels (with their names, in a fixed order) or a number. */
export type Target =
  | { name: string; kind: 'class'; classes: string[] }
  | { name: string; kind: 'regression' };

export interface Schema {
  features: Feature[];
  /** Absent for unlabelled data. */
  target?: Target;
}

/** One cell: a number (numeric feature), a string (categorical feature) or `null` (missing). */
export type Value = number | string | null;

/** One row of feature values, in the order of `schema.features`. */
export type Row = Value[];

export interface Dataset {
  /** Where the data came from: a path, or `builtin:NAME`. */
  source: string;
  schema: Schema;
  /** Feature values, one array per row, aligned with `schema.features`. */
  rows: Row[];
  /**
   * Target values aligned with `rows`, when the schema has a target: class names for `class`
   * targets, numbers for regression; `null` where missing.
   */
  target?: (string | number | null)[];
  /** Number of missing feature cells. */
  missing: number;
  /**
   * Things the loader repaired or guessed and the user should know (e.g. a header naming fewer
   * columns than the rows have). Absent when there is nothing to say.
   */
  warnings?: string[];
  /**
   * The rows held column by column, when loaded so (`loadDataset(spec, { columns: true })`, the
   * extraction path): then `rows` and `target` are made from it on first use only.
   */
  table?: DataTable;
  /** With `table`: the target column (class index, `-1` missing; or value, `NaN` missing). */
  targetColumn?: TableColumn;
}
