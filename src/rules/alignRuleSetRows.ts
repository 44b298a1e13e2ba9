/**
 * Lining raw data up with a rule set: only the columns the rules test are needed.
 */
import { rowAligner } from '../data/align.js';
import type { Dataset, Row, Schema } from '../data/types.js';
import { checkRuleSetAgainst } from './read.js';
import type { RuleSet } from './schema.js';
import { ruleSetFeatures } from './walk.js';

/**
 * The rows of `ds` arranged for `rs`, and a view of `rs` whose schema lists only the features
 * the rules test (so data without the unused columns still applies). Apply the returned rule set
 * to the returned rows.
 *
 * @param file the rules file, named in errors
 * @throws InputError with the JSON path of the first condition on a feature the data lacks, or
 *   from `alignRows` for a column of the wrong type.
 * @example
 * const { ruleSet, rows } = alignRuleSetRows(rs, ds, 'rules.json');
 * const labels = predictLabels(ruleSet, rows);
 */
export function alignRuleSetRows(rs: RuleSet, ds: Dataset, file: string): { ruleSet: RuleSet; rows: Row[] } {
  const { ruleSet, align } = ruleSetAligner(rs, ds.schema, ds.source, file);
  return { ruleSet, rows: align(ds.rows, 0) };
}

/**
 * What {@link alignRuleSetRows} does, for data read in batches: the view of `rs` on the features its
 * rules test, and a function aligning each batch of rows of data with schema `schema`.
 *
 * @param dataFile the data's source, named in errors about its columns.
 * @param file the rules file, named in errors
 * @throws InputError as {@link alignRuleSetRows}.
 * @example
 * const { ruleSet, align } = ruleSetAligner(rs, scan.plan.schema, 'new.csv', 'rules.json');
 * for await (const b of scan.batches()) applyRuleSet(ruleSet, align(b.rows, b.start));
 */
export function ruleSetAligner(
  rs: RuleSet,
  schema: Pick<Schema, 'features'>,
  dataFile: string,
  file: string,
): { ruleSet: RuleSet; align: (rows: readonly Row[], offset: number) => Row[] } {
  checkRuleSetAgainst(rs, schema.features, file);
  const used = new Set(ruleSetFeatures(rs));
  const features = rs.schema.features.filter((f) => used.has(f.name));
  return { ruleSet: { ...rs, schema: { ...rs.schema, features } }, align: rowAligner(schema, features, dataFile) };
}
