/**
 * The rule set a counterfactual search starts from on the command line: the `--rules` file, or
 * else a readable CART tree extracted from the data (seeded), so that the first candidates are
 * regions a reader can check.
 */
import type { Dataset } from '../data/types.js';
import { alignRuleSetRows } from '../rules/alignRuleSetRows.js';
import { extractRules } from '../global/registry.js';
import type { TabularModel } from '../model/types.js';
import { READABLE_EXTRACT_OPTIONS } from '../report/audit.js';
import { parseRuleSet } from '../rules/read.js';
import type { RuleSet } from '../rules/schema.js';
import { readTextFile } from '../util/io.js';
import { note } from './context.js';

/**
 * The `--rules` rule set (checked against the data's columns), or a CART tree of readable size
 * extracted from `data` with `seed`.
 *
 * @throws InputError naming the file for a bad rule set, or one whose columns the data lacks.
 * @example
 * options.counterfactual.ruleSet = await counterfactualRules({ rules: 'cart.json', quiet: true, seed: 42 }, model, data);
 */
export async function counterfactualRules(argv: { rules?: string; quiet?: boolean; seed: number }, model: TabularModel, data: Dataset): Promise<RuleSet> {
  if (argv.rules !== undefined) {
    const file = String(argv.rules);
    return alignRuleSetRows(await parseRuleSet(await readTextFile(file), file), data, file).ruleSet;
  }
  note({ quiet: argv.quiet === true }, 'counterfactual: no --rules given; extracting a CART tree to start from');
  return extractRules('cart', { model, data, seed: argv.seed }, { ...READABLE_EXTRACT_OPTIONS.cart, samples: 2000 });
}
