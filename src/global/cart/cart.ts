/**
 * `cart`: pedagogical extraction of a decision tree (the distillation pattern of ANN-DT,
 * Schmitz, Aldrich & Gouws 1999): the network labels the training rows plus new rows drawn around
 * them and from their marginals, a CART tree is grown on those labels and pruned back on fresh
 * labelled rows, and the tree becomes the rule set (a tree, or a simplified decision list).
 */
import { sampleCorrelation } from 'simple-statistics';
import { z } from 'zod';
import { appendRows, isTable, rowCount, type RowsLike } from '../../data/table.js';
import type { Feature, Row } from '../../data/types.js';
import { treeToRuleList } from '../../rules/index.js';
import type { RuleSet } from '../../rules/schema.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import { holdOutOption } from '../common.js';
import { pedagogical } from '../pedagogical.js';
import { simplifyRuleSet } from '../simplify/simplifyRuleSet.js';
import { fitTree, mergeEqualLeaves, pruneOnValidation, raiseSubtrees, rowsToTreeMatrix, treeToDecisionTree } from '../tree/index.js';
import type { ExtractContext, Extractor } from '../types.js';

/** Options of the `cart` extractor: names, types, defaults and allowed values. */
export const CartOptionsSchema = z.strictObject({
  /** Maximum tree depth (default 8). */
  maxDepth: z.number().int().min(1).max(64).default(8),
  /** Minimum model-labelled rows per leaf (default 5). */
  minSamplesLeaf: z.number().int().min(1).default(5),
  /**
   * Maximum number of leaves of the tree returned (default 32). With `validation` rows the tree is
   * grown to twice this (at least 64) and pruned back on them; without, grown best-first to this.
   */
  maxLeaves: z.number().int().min(2).default(32),
  /** Split criterion; `auto` = entropy (information gain) for classification, variance for regression. */
  criterion: z.enum(['auto', 'gini', 'entropy', 'variance']).default('auto'),
  /** Cost-complexity pruning α applied to the grown tree before the validation pruning (default 0: none). */
  ccpAlpha: z.number().min(0).default(0),
  /** New rows drawn and labelled by the model, on top of the training rows (default 30000). */
  samples: z.number().int().min(0).max(10_000_000).default(30000),
  /**
   * Where the new rows come from: `nearby` (around the training rows, within the distance to a
   * nearest training neighbour: ANN-DT's interpolation, which keeps the columns' dependence),
   * `marginals` (each column independently from its training distribution: TREPAN's sampler),
   * `mixed` (`nearbyShare` of the rows nearby, the rest from the marginals), or `auto` (default:
   * `mixed` when two numeric columns of the training rows correlate with |r| >= 0.5, otherwise
   * `marginals`).
   */
  sampler: z.enum(['auto', 'nearby', 'marginals', 'mixed']).default('auto'),
  /** For `mixed`: share of the drawn rows that come from the nearby sampler (default 0.75). */
  nearbyShare: z.number().min(0).max(1).default(0.75),
  /**
   * Share of the total sample weight the drawn rows carry together (default 0.5): the training rows
   * keep the rest. 0 < share < 1; the rows are weighted only when both kinds are present.
   */
  sampleShare: z.number().min(0.01).max(0.99).default(0.5),
  /**
   * Fresh rows drawn from the same sampler and labelled by the model, on which the pruning level
   * is chosen (default 10000): of the cost-complexity pruning sequence of the grown tree (with the
   * error cost), the smallest tree whose agreement with the model on these rows is within
   * `pruneTolerance` of the best. 0: no validation pruning (`maxLeaves` and `ccpAlpha` alone).
   */
  validation: z.number().int().min(0).max(1_000_000).default(10000),
  /** Agreement on the validation rows the pruned tree may lose against the best pruning level (default 0.015; regression: a share of the best squared error). */
  pruneTolerance: z.number().min(0).max(0.2).default(0.015),
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

/** The sampler `auto` picks for these rows: `mixed` when two numeric columns correlate with |r| >= 0.5. */
export function autoSampler(rows: RowsLike, features: readonly Feature[]): 'mixed' | 'marginals' {
  return maxAbsCorrelation(rows, features) >= 0.5 ? 'mixed' : 'marginals';
}

/**
 * Extracts a CART decision tree that mimics the model (see the module comment).
 *
 * Held-out rows (`holdOut`, seeded) are kept apart and only used for the fidelity figure. `samples`
 * new rows are drawn (`sampler`) and the model labels them and the training rows. The tree is
 * grown (`fitTree`, best-first), pruned at the cost-complexity level chosen on `validation` fresh
 * rows (`pruneOnValidation`), subtrees raised where that costs (almost) no agreement
 * (`raiseSubtrees`), sibling leaves with the same class merged, and the tree converted to the rule
 * representation.
 *
 * @throws InputError for bad options, data that does not fit the model, or an empty data set
 * @example
 * const rs = await extractCart({ model, data, seed: 42 }, { maxDepth: 4, samples: 5000 });
 * rs.fidelity?.value; // e.g. 0.98
 */
export async function extractCart(ctx: ExtractContext, options: Partial<CartOptions> = {}): Promise<RuleSet> {
  const opts = parseOptions(CartOptionsSchema, options, { method: 'cart' });
  const model = ctx.model;
  const regression = model.task === 'regression';
  const nClasses = model.classes?.length ?? 0;
  if (!regression && opts.maxLeaves < nClasses) {
    ctx.warn?.(`cart: maxLeaves ${opts.maxLeaves} is below the number of classes (${nClasses}); the tree cannot predict every class`);
  }
  return pedagogical(ctx, 'cart', opts, async (s) => {
    const sampler = opts.sampler === 'auto' ? autoSampler(s.heldOut.train, s.features) : opts.sampler;
    const draw = (n: number): Row[] => {
      if (n <= 0) return [];
      const near = sampler === 'nearby' ? n : sampler === 'mixed' ? Math.round(n * opts.nearbyShare) : 0;
      return [...(near > 0 ? s.drawNear(near) : []), ...(n - near > 0 ? s.draw(n - near) : [])];
    };
    const nTrain = s.heldOut.train.n;
    const drawn = draw(opts.samples);
    const labels = await s.labelWithTrain(drawn, 'labelling');
    const criterion = opts.criterion === 'auto' ? (regression ? 'variance' : 'entropy') : opts.criterion;
    ctx.progress?.(0, 1, 'fitting');
    // The sample as one table only while it is turned into the learner's matrix (and again to simplify a list).
    const sampleRows = () => appendRows(s.heldOut.train, drawn);
    const X = rowsToTreeMatrix(sampleRows(), s.features);
    const nDrawn = drawn.length;
    let weights: Float64Array | undefined;
    if (nTrain > 0 && nDrawn > 0) {
      // Each kind of row carries its share of the total weight; the mean weight stays 1.
      const total = X.n;
      weights = new Float64Array(total);
      weights.fill(((1 - opts.sampleShare) * total) / nTrain, 0, nTrain);
      weights.fill((opts.sampleShare * total) / nDrawn, nTrain);
    }
    const validate = opts.validation > 0;
    let tree = fitTree(X, labels, {
      task: regression ? 'regression' : 'classification',
      criterion,
      nClasses: model.classes?.length,
      weights,
      maxDepth: opts.maxDepth,
      minSamplesLeaf: opts.minSamplesLeaf,
      maxLeaves: validate ? Math.max(64, 2 * opts.maxLeaves) : opts.maxLeaves,
      ccpAlpha: opts.ccpAlpha,
    });
    if (validate) {
      const vrows = draw(opts.validation);
      const vlabels = await s.label(vrows, 'validation');
      tree = pruneOnValidation(tree, rowsToTreeMatrix(vrows, s.features), vlabels, {
        tolerance: opts.pruneTolerance,
        cost: 'error',
        maxLeaves: opts.maxLeaves,
      }).tree;
    }
    tree = raiseSubtrees(tree, X, labels, { weights, tolerance: opts.raiseTolerance });
    tree = mergeEqualLeaves(tree);
    ctx.progress?.(1, 1, 'fitting');
    const from = sampler === 'mixed' ? `${Math.round(opts.nearbyShare * 100)}% drawn around the data rows, the rest from their marginals` : sampler === 'nearby' ? 'drawn around the data rows' : 'drawn from their marginals';
    const sample = `the ${X.n} model-labelled rows the tree was fitted to (${nTrain} data rows + ${nDrawn} ${from}; the data rows carry ${Math.round((1 - opts.sampleShare) * 100)}% of the weight)`;
    const surrogate = treeToDecisionTree(tree, model.classes);
    if (opts.output === 'tree') return { surrogate, sample };
    const list = treeToRuleList(surrogate);
    if (!opts.simplify) return { surrogate: list, sample };
    const { ruleSet, before, after } = simplifyRuleSet(s.draft(list), sampleRows(), labels);
    return { surrogate: ruleSet.surrogate, simplification: { before, after }, sample: `the ${X.n} model-labelled rows the tree was fitted to (unweighted)` };
  });
}

/** Largest |Pearson correlation| between two numeric columns of `rows` (rows with a missing value in either column skipped); 0 with fewer than two numeric columns. */
function maxAbsCorrelation(rows: RowsLike, features: readonly Feature[]): number {
  const cols = features.map((f, j) => (f.type === 'numeric' ? j : -1)).filter((j) => j >= 0);
  const n = rowCount(rows);
  // Numeric columns as numbers (NaN missing), read once.
  const values = new Map(cols.map((j) => [j, isTable(rows) ? rows.columns[j] : Float64Array.from(rows, (r) => (typeof r[j] === 'number' ? (r[j] as number) : NaN))]));
  let best = 0;
  for (let a = 0; a < cols.length; a++) {
    for (let b = a + 1; b < cols.length; b++) {
      const xs: number[] = [];
      const ys: number[] = [];
      const xa = values.get(cols[a])!;
      const yb = values.get(cols[b])!;
      for (let i = 0; i < n; i++) {
        const x = xa[i];
        const y = yb[i];
        if (!Number.isNaN(x) && !Number.isNaN(y)) {
          xs.push(x);
          ys.push(y);
        }
      }
      if (xs.length < 3) continue;
      const r = sampleCorrelation(xs, ys);
      if (Number.isFinite(r) && Math.abs(r) > best) best = Math.abs(r);
    }
  }
  return best;
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
