/**
 * `ann-dt`: ANN-DT (Schmitz, Aldrich & Gouws, "ANN-DT: an algorithm for extraction of decision
 * trees from artificial neural networks", IEEE Transactions on Neural Networks 10(6), 1999). A
 * pedagogical binary tree fitted to the network's answers on rows *interpolated from the training
 * data* (drawn around the training rows, not from independent marginals), with the split attribute
 * chosen either by gain (ANN-DT(e)) or by a significance analysis of the network's output
 * (ANN-DT(s)). docs/methods/ann-dt.md gives the paper's steps and how `cart` differs.
 */
import { appendRows } from '../../data/table.js';
import { z } from 'zod';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import { holdOutOption } from '../common.js';
import { pedagogical } from '../pedagogical.js';
import { mergeEqualLeaves, pruneOnValidation, rowsToTreeMatrix, treeToDecisionTree } from '../tree/index.js';
import type { ExtractContext, Extractor } from '../types.js';
import { growAnnDt } from './grow.js';

/** Options of the `ann-dt` extractor: names, types, defaults and allowed values. */
export const AnnDtOptionsSchema = z.strictObject({
  /**
   * How a node's split attribute is chosen: `gain` (ANN-DT(e), default: the attribute and split
   * point with the best impurity decrease) or `sensitivity` (ANN-DT(s): the input the network's
   * output varies most with in the node, then the best split point on it).
   */
  selection: z.enum(['gain', 'sensitivity']).default('gain'),
  /** Rows drawn around the training rows and labelled by the network, on top of the training rows (default 10000). */
  samples: z.number().int().min(0).max(10_000_000).default(10000),
  /** Nearest training neighbours a drawn row may move towards (default 5; 1 is the paper's nearest neighbour, too narrow for categorical columns, whose values only ever come from that neighbour). */
  neighbours: z.number().int().min(1).max(50).default(5),
  /** Rows a node must have before its split is chosen; the shortfall is drawn around the node's training rows, inside its region (default 500). */
  minSamples: z.number().int().min(0).max(1_000_000).default(500),
  /** A node with fewer training rows than this is not split: no data supports a finer answer there (default 2). */
  minDataRows: z.number().int().min(0).default(2),
  /** Maximum tree depth (default 8). */
  maxDepth: z.number().int().min(1).max(64).default(8),
  /** Maximum number of leaves (default 32): grown best-first by reach × error, then pruned. */
  maxLeaves: z.number().int().min(2).default(32),
  /** Minimum rows per leaf (default 5). */
  minSamplesLeaf: z.number().int().min(1).default(5),
  /** Split criterion; `auto` = entropy (information gain) for classes, variance (the paper's weighted variance) for continuous outputs. */
  criterion: z.enum(['auto', 'gini', 'entropy', 'variance']).default('auto'),
  /**
   * A split must decrease the node's impurity by at least this share of the root's impurity
   * (default 0: any decrease; the validation pruning decides what stays. A positive floor stops
   * at XOR-like structure, such as MONK-1's head_shape = body_shape, whose first split gains nothing).
   */
  minGain: z.number().min(0).max(1).default(0),
  /** ANN-DT(s): rows of a node the sensitivity analysis starts from (default 50). */
  sensitivityRows: z.number().int().min(1).max(10_000).default(50),
  /** ANN-DT(s): steps across a numeric input's range in the node (default 8). */
  sensitivitySteps: z.number().int().min(1).max(100).default(8),
  /** Fresh rows drawn around the training rows on which the pruning level is chosen (default 5000; 0: no pruning). */
  validation: z.number().int().min(0).max(1_000_000).default(5000),
  /** Agreement on the validation rows the pruned tree may lose against the best pruning level (default 0.01). */
  pruneTolerance: z.number().min(0).max(0.2).default(0.01),
  /** Share of the data held out from extraction to measure fidelity (default 0.2). */
  holdOut: holdOutOption,
});

/** Options of the `ann-dt` extractor (see {@link AnnDtOptionsSchema}). */
export type AnnDtOptions = z.output<typeof AnnDtOptionsSchema>;

export const ANN_DT_DEFAULTS: AnnDtOptions = optionDefaults(AnnDtOptionsSchema);

/**
 * Extracts an ANN-DT tree (see the module comment and docs/methods/ann-dt.md).
 *
 * Held-out rows (`holdOut`) are kept for the fidelity figure. The network labels the training
 * rows and `samples` rows drawn around them (`sampleNearby`: each a training row moved within the
 * distance to one of its `neighbours` nearest training rows). The tree grows best-first
 * (`growAnnDt`); nodes with fewer than `minSamples` rows are topped up around their own training
 * rows first. It is then pruned by cost complexity at the level chosen on `validation` fresh rows
 * (`pruneOnValidation`), and sibling leaves with the same class are merged.
 *
 * @throws InputError for bad options, data that does not fit the model, or an empty data set
 * @example
 * const rs = await extractAnnDt({ model, data, seed: 42 }, { selection: 'sensitivity' });
 */
export async function extractAnnDt(ctx: ExtractContext, options: Partial<AnnDtOptions> = {}): Promise<RuleSet> {
  const opts = parseOptions(AnnDtOptionsSchema, options, { method: 'ann-dt' });
  const model = ctx.model;
  const regression = model.task === 'regression';
  const criterion = opts.criterion === 'auto' ? (regression ? 'variance' : 'entropy') : opts.criterion;
  if ((criterion === 'variance') !== regression) {
    throw new InputError(`ann-dt: option criterion "${criterion}" does not fit a ${model.task} model (gini/entropy classify, variance regresses)`);
  }
  const nClasses = model.classes?.length ?? 0;
  if (!regression && opts.maxLeaves < nClasses) {
    ctx.warn?.(`ann-dt: maxLeaves ${opts.maxLeaves} is below the number of classes (${nClasses}); the tree cannot predict every class`);
  }
  return pedagogical(ctx, 'ann-dt', opts, async (s) => {
    const nReal = s.heldOut.train.n;
    const near = (n: number) => (n > 0 ? s.drawNear(n, { k: opts.neighbours }) : []);
    const drawn = near(opts.samples);
    const rows = appendRows(s.heldOut.train, drawn);
    const labels = await s.labelWithTrain(drawn, 'labelling');
    ctx.progress?.(0, 1, 'growing');
    let tree = await growAnnDt(s, model, rows, labels, nReal, {
      selection: opts.selection,
      criterion,
      maxDepth: opts.maxDepth,
      maxLeaves: opts.maxLeaves,
      minSamplesLeaf: opts.minSamplesLeaf,
      minSamples: opts.minSamples,
      minDataRows: opts.minDataRows,
      minGain: opts.minGain,
      neighbours: opts.neighbours,
      probes: opts.sensitivityRows,
      steps: opts.sensitivitySteps,
    });
    if (opts.validation > 0) {
      const vrows = near(opts.validation);
      const vlabels = await s.label(vrows, 'validation');
      tree = pruneOnValidation(tree, rowsToTreeMatrix(vrows, s.features), vlabels, { tolerance: opts.pruneTolerance, cost: 'error' }).tree;
    }
    tree = mergeEqualLeaves(tree);
    ctx.progress?.(1, 1, 'growing');
    return {
      surrogate: treeToDecisionTree(tree, model.classes, { coverage: 'weight' }),
      sample: `per node, the model-labelled rows its split was chosen on (the ${rows.n} rows of the initial sample, ${nReal} of them data rows, that reach it, topped up to ${opts.minSamples} with rows drawn around its data rows)`,
    };
  });
}

/** The `ann-dt` extractor for the registry. */
export const annDtExtractor: Extractor<AnnDtOptions> = {
  name: 'ann-dt',
  description: 'ANN-DT: tree fitted to the network on rows interpolated from the training data, split attribute by gain or by the network\'s sensitivity (Schmitz, Aldrich & Gouws 1999)',
  decompositional: false,
  options: AnnDtOptionsSchema,
  defaults: ANN_DT_DEFAULTS,
  extract: extractAnnDt,
};
