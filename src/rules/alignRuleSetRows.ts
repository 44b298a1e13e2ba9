/**
 * Lining raw data up with a rule set: only the columns the rules test are needed.
 */
import { alignRows } from '../data/align.js';
import type { Dataset, Row } from '../data/types.js';
import { checkRuleSetAgainst } from './io.js';
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
  checkRuleSetAgainst(rs, ds.schema.features, file);
  const used = new Set(ruleSetFeatures(rs));
  const features = rs.schema.features.filter((f) => used.has(f.name));
  return { ruleSet: { ...rs, schema: { ...rs.schema, features } }, rows: alignRows(ds, features) };
}
