/**
 * `cart`: pedagogical extraction of a decision tree (the distillation pattern of ANN-DT,
 * Schmitz, Aldrich & Gouws 1999): the network labels the training rows plus new rows drawn from
 * the training data's marginals, a CART tree is fitted to those labels, and the tree becomes the
 * rule set (a tree, or a simplified decision list).
 */
import type { Dataset } from '../../data/types.js';
import { treeToRuleList } from '../../rules/index.js';
import type { RuleSet, SurrogateT } from '../../rules/schema.js';
import { fitMarginals, sampleMarginals } from '../../sampling/index.js';
import { createRng } from '../../util/rng.js';
import { finishRuleSet, holdOutRows, labelRows, resolveOptions, type OptionSpec } from '../common.js';
import { simplifyRuleSet } from '../simplify/simplifyRuleSet.js';
import { fitTree, mergeEqualLeaves, raiseSubtrees, rowsToTreeMatrix, treeToDecisionTree } from '../tree/index.js';
import type { ExtractContext, Extractor } from '../types.js';

/** Options of the `cart` extractor. */
export interface CartOptions {
  /** Maximum tree depth (default 8). */
  maxDepth: number;
  /** Minimum model-labelled rows per leaf (default 5). */
  minSamplesLeaf: number;
  /** Maximum number of leaves, grown best-first (default 32). */
  maxLeaves: number;
  /** Split criterion; `auto` = Gini for classification, variance for regression. */
  criterion: 'auto' | 'gini' | 'entropy' | 'variance';
  /** Cost-complexity pruning α (default 0.001: drops subtrees that remove less than 0.1 % of the weighted impurity per leaf). */
  ccpAlpha: number;
  /** New rows drawn from the marginals and labelled by the model, on top of the training rows (default 10000). */
  samples: number;
  /**
   * Share of the total sample weight the drawn rows carry together (default 0.5): the training rows
   * keep the rest, so that rows far from the data (where independent marginals put many, and the
   * network's answers mean little) cannot dominate the tree. 0 < share < 1; the rows are weighted
   * only when both kinds are present.
   */
  sampleShare: number;
  /** `tree` (default) or `list` (the tree as a decision list, then simplified). */
  output: 'tree' | 'list';
  /** Share of the data held out from extraction to measure fidelity (default 0.2). */
  holdOut: number;
  /**
   * Subtree raising (C4.5): replace a split by one of its subtrees where that costs at most this
   * share of the (weighted) agreement on the labelled sample, over all raises together (default
   * 0.005; 0: only raises that cost nothing; classification only).
   */
  raiseTolerance: number;
  /** For `list` output: simplify the list on the labelled sample without changing its predictions (default true). */
  simplify: boolean;
}

export const CART_DEFAULTS: CartOptions = {
  maxDepth: 8,
  minSamplesLeaf: 5,
  maxLeaves: 32,
  criterion: 'auto',
  ccpAlpha: 0.001,
  samples: 10000,
  sampleShare: 0.5,
  output: 'tree',
  holdOut: 0.2,
  raiseTolerance: 0.005,
  simplify: true,
};

const SPECS: Record<keyof CartOptions, OptionSpec> = {
  maxDepth: { type: 'int', min: 1, max: 64 },
  minSamplesLeaf: { type: 'int', min: 1 },
  maxLeaves: { type: 'int', min: 2 },
  criterion: { type: 'enum', values: ['auto', 'gini', 'entropy', 'variance'] },
  ccpAlpha: { type: 'number', min: 0 },
  samples: { type: 'int', min: 0, max: 10_000_000 },
  sampleShare: { type: 'number', min: 0.01, max: 0.99 },
  output: { type: 'enum', values: ['tree', 'list'] },
  holdOut: { type: 'number', min: 0, max: 0.9 },
  raiseTolerance: { type: 'number', min: 0, max: 0.2 },
  simplify: { type: 'boolean' },
};

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
  const opts = resolveOptions('cart', CART_DEFAULTS, SPECS, options);
  const model = ctx.model;
  const features = model.schema.features;
  const heldOut = holdOutRows(ctx.data, features, opts.holdOut, ctx.seed);
  const rows = heldOut.train.slice();
  if (opts.samples > 0) {
    const trainData: Dataset = { source: ctx.data.source, schema: { features }, rows: heldOut.train, missing: 0 };
    const marginals = fitMarginals(trainData);
    rows.push(...sampleMarginals(marginals, opts.samples, createRng(ctx.seed + 1)));
  }
  const labels = await labelRows(model, rows, ctx.progress, 'labelling');
  const regression = model.task === 'regression';
  const criterion = opts.criterion === 'auto' ? (regression ? 'variance' : 'gini') : opts.criterion;
  ctx.progress?.(0, 1, 'fitting');
  const X = rowsToTreeMatrix(rows, features);
  const nTrain = heldOut.train.length;
  const nDrawn = rows.length - nTrain;
  let weights: Float64Array | undefined;
  if (nTrain > 0 && nDrawn > 0) {
    // Each kind of row carries its share of the total weight; the mean weight stays 1.
    const total = rows.length;
    const wTrain = ((1 - opts.sampleShare) * total) / nTrain;
    const wDrawn = (opts.sampleShare * total) / nDrawn;
    weights = new Float64Array(total);
    weights.fill(wTrain, 0, nTrain);
    weights.fill(wDrawn, nTrain);
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
  let surrogate: SurrogateT = treeToDecisionTree(tree, model.classes);
  let simplification: RuleSet['simplification'];
  if (opts.output === 'list') {
    surrogate = treeToRuleList(surrogate);
    if (opts.simplify) {
      const draft = await finishRuleSet({ ctx, method: 'cart', options: opts, surrogate, samples: rows.length, heldOut: { ...heldOut, test: [] } });
      const result = simplifyRuleSet(draft, rows, labels);
      surrogate = result.ruleSet.surrogate;
      simplification = { before: result.before, after: result.after };
    }
  }
  return finishRuleSet({ ctx, method: 'cart', options: opts, surrogate, samples: rows.length, heldOut, simplification });
}

/** The `cart` extractor for the registry. */
export const cartExtractor: Extractor<CartOptions> = {
  name: 'cart',
  description: 'CART decision tree fitted to model-labelled data plus samples from the marginals (pedagogical, ANN-DT style)',
  decompositional: false,
  defaults: CART_DEFAULTS,
  extract: extractCart,
};
