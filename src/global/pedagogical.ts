/**
 * The one path of the pedagogical extractors (CART, TREPAN; ANN-DT and the like): hold out rows
 * for fidelity → fit the sampler to the rest → draw and label rows → fit the surrogate → finish
 * the rule set (provenance, held-out fidelity). An extractor supplies only its fit step. Every
 * random choice comes from the one seed: the held-out split from the seed's own stream (as in every
 * extractor, so all methods hold out the same rows for a seed), everything else from a named
 * substream (`'marginals'`, `'sampling'`, and `'bootstrap'` for the fidelity interval), so adding
 * a stream or a step never shifts another.
 */
import type { Dataset, Feature, Row } from '../data/types.js';
import type { ConditionT, RuleSet, SurrogateT } from '../rules/schema.js';
import { fitMarginals, sampleMarginals, type Marginals } from '../sampling/index.js';
import { createRng, substream, type Rng } from '../util/rng.js';
import { assembleRuleSet, finishRuleSet, holdOutRows, labelRows, type HeldOut } from './common.js';
import type { ExtractContext } from './types.js';

/** What the fit step of a pedagogical extractor works with. */
export interface PedagogicalSample {
  ctx: ExtractContext;
  /** The model's features, in the order of every row below. */
  features: Feature[];
  /** The seeded split: `train` rows for extraction, `test` rows kept for the fidelity figure. */
  heldOut: HeldOut;
  /** Per-feature marginals of the extraction rows (`fitMarginals`, kernel centres from the `'marginals'` substream). */
  marginals: Marginals;
  /** The `'sampling'` substream: every new row is drawn from it, in order. */
  rng: Rng;
  /** `n` new rows from the marginals, restricted to `region` when given (`sampleMarginals`). */
  draw(n: number, region?: ConditionT[]): Row[];
  /**
   * The model's labels (class index or value) for `rows`; every row labelled here counts in the
   * rule set's `provenance.samples`. With `progress`, the labelling is reported under that label.
   */
  label(rows: Row[], progress?: string): Promise<Float64Array>;
  /** The rule set of a surrogate without fidelity (what `simplifyRuleSet` takes). */
  draft(surrogate: SurrogateT): RuleSet;
}

/** The fit step's result: the surrogate and, when it was simplified, before/after sizes. */
export interface PedagogicalFit {
  surrogate: SurrogateT;
  simplification?: RuleSet['simplification'];
}

/**
 * Runs a pedagogical extraction: `holdOutRows` (the seed's own stream), `fitMarginals` on the
 * extraction rows, then `fit` with the sampler and the labeller, then `finishRuleSet` (provenance
 * with the options as given, `samples` = rows labelled by `fit`, fidelity on the held-out rows).
 *
 * @param method the extractor's name (recorded in provenance)
 * @param options the parsed options (defaults filled in); `holdOut` is the held-out share
 * @throws InputError when the data does not fit the model or has no rows, and whatever `fit` throws
 * @example
 * return pedagogical(ctx, 'mytree', opts, async (s) => {
 *   const rows = [...s.heldOut.train, ...s.draw(opts.samples)];
 *   const labels = await s.label(rows, 'labelling');
 *   return { surrogate: fitMyTree(rows, labels) };
 * });
 */
export async function pedagogical<O extends { holdOut: number }>(
  ctx: ExtractContext,
  method: string,
  options: O,
  fit: (s: PedagogicalSample) => Promise<PedagogicalFit>,
): Promise<RuleSet> {
  const features = ctx.model.schema.features;
  const heldOut = holdOutRows(ctx.data, features, options.holdOut, ctx.seed);
  const trainData: Dataset = { source: ctx.data.source, schema: { features }, rows: heldOut.train, missing: 0 };
  const marginals = fitMarginals(trainData, { seed: substream(ctx.seed, 'marginals') });
  const rng = createRng(substream(ctx.seed, 'sampling'));
  let labelled = 0;
  const s: PedagogicalSample = {
    ctx,
    features,
    heldOut,
    marginals,
    rng,
    draw: (n, region) => sampleMarginals(marginals, n, rng, region),
    async label(rows, progress) {
      labelled += rows.length;
      return labelRows(ctx.model, rows, progress === undefined ? undefined : ctx.progress, progress);
    },
    draft: (surrogate) => assembleRuleSet({ ctx, method, options, surrogate, samples: labelled }),
  };
  const { surrogate, simplification } = await fit(s);
  return finishRuleSet({ ctx, method, options, surrogate, samples: labelled, heldOut, simplification });
}
