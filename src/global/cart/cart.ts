/**
 * `cart`: pedagogical extraction of a decision tree (the distillation pattern of ANN-DT,
 * Schmitz, Aldrich & Gouws 1999): the network labels the training rows plus new rows drawn from
 * the training data's marginals, a CART tree is fitted to those labels, and the tree becomes the
 * rule set (a tree, or a simplified decision list).
 */
import { z } from 'zod';
import { treeToRuleList } from '../../rules/index.js';
import type { RuleSet } from '../../rules/schema.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import { holdOutOption } from '../common.js';
import { pedagogical } from '../pedagogical.js';
import { simplifyRuleSet } from '../simplify/simplifyRuleSet.js';
import { fitTree, mergeEqualLeaves, raiseSubtrees, rowsToTreeMatrix, treeToDecisionTree } from '../tree/index.js';
import type { ExtractContext, Extractor } from '../types.js';

/** Options of the `cart` extractor: names, types, defaults and allowed values. */
export const CartOptionsSchema = z.strictObject({
  /** Maximum tree depth (default 8). */
  maxDepth: z.number().int().min(1).max(64).default(8),
  /** Minimum model-labelled rows per leaf (default 5). */
  minSamplesLeaf: z.number().int().min(1).default(5),
  /** Maximum number of leaves, grown best-first (default 32). */
  maxLeaves: z.number().int().min(2).default(32),
  /** Split criterion; `auto` = Gini for classification, variance for regression. */
  criterion: z.enum(['auto', 'gini', 'entropy', 'variance']).default('auto'),
  /** Cost-complexity pruning α (default 0.001: drops subtrees that remove less than 0.1 % of the weighted impurity per leaf). */
  ccpAlpha: z.number().min(0).default(0.001),
  /** New rows drawn from the marginals and labelled by the model, on top of the training rows (default 10000). */
  samples: z.number().int().min(0).max(10_000_000).default(10000),
  /**
   * Share of the total sample weight the drawn rows carry together (default 0.5): the training rows
   * keep the rest, so that rows far from the data (where independent marginals put many, and the
   * network's answers mean little) cannot dominate the tree. 0 < share < 1; the rows are weighted
   * only when both kinds are present.
   */
  sampleShare: z.number().min(0.01).max(0.99).default(0.5),
  /** `tree` (default) or `list` (the tree as a decision list, then simplified). */
  output: z.enum(['tree', 'list']).default('tree'),
  /** Share of the data held out from extraction to measure fidelity (default 0.2). */
  holdOut: holdOutOption,
  /**
   * Subtree raising (C4.5): replace a split by one of its subtrees where that costs at most this
   * share of the (weighted) agreement on the labelled sample, over all raises together (default
   * 0.005; 0: only raises that cost nothing; classification only).
   */
  raiseTolerance: z.number().min(0).max(0.2).default(0.005),
  /** For `list` output: simplify the list on the labelled sample without changing its predictions (default true). */
  simplify: z.boolean().default(true),
});

/** Options of the `cart` extractor (see {@link CartOptionsSchema}). */
export type CartOptions = z.output<typeof CartOptionsSchema>;

export const CART_DEFAULTS: CartOptions = optionDefaults(CartOptionsSchema);

/**
 * Extracts a CART decision tree that mimics the model (see the module comment).
 *
 * Held-out rows (`holdOut`, seeded) are kept apart and only used for the fidelity figure. The
 * sampler is fitted to the remaining rows (`fitMarginals`); `samples` new rows are drawn
 * (`sampleMarginals`, seeded) and the model labels them and the training rows. The tree is then
 * fitted (`fitTree`), subtrees raised where that costs (almost) no agreement (`raiseSubtrees`), sibling
 * leaves with the same class merged, and the tree converted to the rule representation.
 *
 * @throws InputError for bad options, data that does not fit the model, or an empty data set
 * @example
 * const rs = await extractCart({ model, data, seed: 42 }, { maxDepth: 4, samples: 5000 });
 * rs.fidelity?.value; // e.g. 0.98
 */
export async function extractCart(ctx: ExtractContext, options: Partial<CartOptions> = {}): Promise<RuleSet> {
  const opts = parseOptions(CartOptionsSchema, options, { method: 'cart' });
  return pedagogical(ctx, 'cart', opts, async (s) => {
    const model = ctx.model;
    const rows = [...s.heldOut.train, ...(opts.samples > 0 ? s.draw(opts.samples) : [])];
    const labels = await s.label(rows, 'labelling');
    const regression = model.task === 'regression';
    const criterion = opts.criterion === 'auto' ? (regression ? 'variance' : 'gini') : opts.criterion;
    ctx.progress?.(0, 1, 'fitting');
    const X = rowsToTreeMatrix(rows, s.features);
    const nTrain = s.heldOut.train.length;
    const nDrawn = rows.length - nTrain;
    let weights: Float64Array | undefined;
    if (nTrain > 0 && nDrawn > 0) {
      // Each kind of row carries its share of the total weight; the mean weight stays 1.
      const total = rows.length;
      weights = new Float64Array(total);
      weights.fill(((1 - opts.sampleShare) * total) / nTrain, 0, nTrain);
      weights.fill((opts.sampleShare * total) / nDrawn, nTrain);
    }
    let tree = fitTree(X, labels, {
      task: regression ? 'regression' : 'classification',
      criterion,
      nClasses: model.classes?.length,
      weights,
      maxDepth: opts.maxDepth,
      minSamplesLeaf: opts.minSamplesLeaf,
      maxLeaves: opts.maxLeaves,
      ccpAlpha: opts.ccpAlpha,
    });
    tree = raiseSubtrees(tree, X, labels, { weights, tolerance: opts.raiseTolerance });
    tree = mergeEqualLeaves(tree);
    ctx.progress?.(1, 1, 'fitting');
    const surrogate = treeToDecisionTree(tree, model.classes);
    if (opts.output === 'tree') return { surrogate };
    const list = treeToRuleList(surrogate);
    if (!opts.simplify) return { surrogate: list };
    const { ruleSet, before, after } = simplifyRuleSet(s.draft(list), rows, labels);
    return { surrogate: ruleSet.surrogate, simplification: { before, after } };
  });
}

/** The `cart` extractor for the registry. */
export const cartExtractor: Extractor<CartOptions> = {
  name: 'cart',
  description: 'CART decision tree fitted to model-labelled data plus samples from the marginals (pedagogical, ANN-DT style)',
  decompositional: false,
  tasks: ['classification', 'regression'],
  options: CartOptionsSchema,
  defaults: CART_DEFAULTS,
  extract: extractCart,
};
