/**
 * The one path of the pedagogical extractors (CART, TREPAN; ANN-DT and the like): hold out rows
 * for fidelity → fit the sampler to the rest → draw and label rows → fit the surrogate → finish
 * the rule set (provenance, held-out fidelity). An extractor supplies only its fit step. Every
 * random choice comes from the one seed: the held-out split from the seed's own stream (as in every
 * extractor, so all methods hold out the same rows for a seed), everything else from a named
 * substream (`'marginals'`, `'sampling'`, and `'bootstrap'` for the fidelity interval), so adding
 * a stream or a step never shifts another.
 */
import { integerColumns } from '../data/index.js';
import { appendRows, rowCount, tableDataset, type RowsLike } from '../data/table.js';
import type { Feature, Row } from '../data/types.js';
import { evalConjunction, featureIndex } from '../rules/evaluate.js';
import { snapIntegerThresholds } from '../rules/integerThresholds.js';
import type { ConditionT, RuleSet, SurrogateT } from '../rules/schema.js';
import { fitMarginals, fitNearby, sampleMarginals, sampleNearby, trainingTable, type Marginals, type Nearby, type SampleNearbyOptions } from '../sampling/index.js';
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
  /**
   * `n` new rows from the marginals, restricted to `region` when given (`sampleMarginals`);
   * integer-valued columns (every extraction row an integer there) are rounded, as a real row's
   * would be (a row the rounding would move out of `region` keeps its drawn value).
   */
  draw(n: number, region?: ConditionT[]): Row[];
  /**
   * The nearby sampler of the extraction rows (ANN-DT's interpolation) (`fitNearby`, fitted on first use with
   * the `'neighbourhood'` substream; missing cells filled by hot-deck from the same substream).
   */
  nearby(k?: number): Nearby;
  /**
   * `n` new rows drawn around the extraction rows (`sampleNearby` from the `'sampling'` stream),
   * each towards one of its `k` nearest extraction rows (default 1).
   */
  drawNear(n: number, opts?: SampleNearbyOptions & { k?: number }): Row[];
  /** The model's labels of the extraction rows `heldOut.train` (labelled once, counted once in `provenance.samples`). */
  trainLabels(): Promise<Float64Array>;
  /**
   * The model's labels of the extraction rows followed by `drawn`, in one labelling when the
   * extraction rows have not been labelled yet (so a large sample reaches the model's worker
   * threads as one), their part kept for {@link trainLabels}.
   */
  labelWithTrain(drawn: Row[], progress?: string): Promise<Float64Array>;
  /** Numeric features whose extraction values are all integers (their thresholds are written as integers). */
  integerFeatures: ReadonlySet<string>;
  /**
   * The model's labels (class index or value) for `rows`; every row labelled here counts in the
   * rule set's `provenance.samples`. With `progress`, the labelling is reported under that label.
   */
  label(rows: RowsLike, progress?: string): Promise<Float64Array>;
  /** The rule set of a surrogate without fidelity (what `simplifyRuleSet` takes). */
  draft(surrogate: SurrogateT): RuleSet;
}

/** The fit step's result: the surrogate and, when it was simplified, before/after sizes. */
export interface PedagogicalFit {
  surrogate: SurrogateT;
  simplification?: RuleSet['simplification'];
  /** What the surrogate's `stats` were counted on, for `statsOn.sample` (default: the labelled sample). */
  sample?: string;
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
 *   const rows = appendRows(s.heldOut.train, s.draw(opts.samples));
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
  const trainData = tableDataset(ctx.data.source, { features }, heldOut.train, 0);
  const marginals = fitMarginals(trainData, { seed: substream(ctx.seed, 'marginals') });
  const rng = createRng(substream(ctx.seed, 'sampling'));
  const integerFeatures = integerColumns(features, heldOut.train);
  const integerAt = features.map((f) => integerFeatures.has(f.name));
  const index = featureIndex({ features });
  let labelled = 0;
  const near = new Map<number, Nearby>();
  let trainLabels: Promise<Float64Array> | null = null;
  const label = (rows: RowsLike, progress?: string) => {
    labelled += rowCount(rows);
    return labelRows(ctx.model, rows, progress === undefined ? undefined : ctx.progress, progress);
  };
  const s: PedagogicalSample = {
    ctx,
    features,
    heldOut,
    marginals,
    rng,
    integerFeatures,
    draw(n, region) {
      const rows = sampleMarginals(marginals, n, rng, region);
      if (integerFeatures.size === 0) return rows;
      return rows.map((r) => {
        const rounded = r.map((v, j) => (integerAt[j] && typeof v === 'number' ? Math.round(v) : v));
        return !region?.length || evalConjunction(region, rounded, index) ? rounded : r;
      });
    },
    nearby(k = 1) {
      let nb = near.get(k);
      if (!nb) {
        const nbRng = createRng(substream(ctx.seed, 'neighbourhood'));
        nb = fitNearby(trainingTable(heldOut.train, nbRng), features, nbRng, { k });
        near.set(k, nb);
      }
      return nb;
    },
    drawNear: (n, opts = {}) => sampleNearby(s.nearby(opts.k), n, rng, opts),
    trainLabels: () => (trainLabels ??= label(heldOut.train)),
    async labelWithTrain(drawn, progress) {
      if (trainLabels) {
        const [a, b] = [await trainLabels, await label(drawn, progress)];
        const out = new Float64Array(a.length + b.length);
        out.set(a);
        out.set(b, a.length);
        return out;
      }
      const all = await label(appendRows(heldOut.train, drawn), progress);
      trainLabels = Promise.resolve(all.slice(0, heldOut.train.n));
      return all;
    },
    label,
    draft: (surrogate) => assembleRuleSet({ ctx, method, options, surrogate, samples: labelled }),
  };
  const fitted = await fit(s);
  const surrogate = snapIntegerThresholds(fitted.surrogate, integerFeatures);
  const dataLabels = trainLabels ? await trainLabels : undefined;
  return finishRuleSet({
    ctx,
    method,
    options,
    surrogate,
    samples: labelled,
    heldOut,
    simplification: fitted.simplification,
    sample: fitted.sample,
    trainLabels: dataLabels,
  });
}
