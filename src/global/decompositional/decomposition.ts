/**
 * What the decompositional extractors (cred, deepred, mofn) share around their algorithm: reading
 * the weights, splitting off held-out rows, encoding the extraction sample, and at the end, rule
 * statistics, held-out fidelity and provenance in the rule format.
 */
import { z } from 'zod';
import { rowsOf, tableDataset, type DataTable } from '../../data/table.js';
import type { Feature, Row } from '../../data/types.js';
import { encodedColumns, encodeRows, type EncodedColumn, type EncoderJSON } from '../../data/index.js';
import type { DenseNetwork } from '../../model/types.js';
import { featureIndex, evalConjunction } from '../../rules/evaluate.js';
import type { DecisionListT, RuleSet, RuleT } from '../../rules/schema.js';
import { fitMarginals, sampleMarginals } from '../../sampling/index.js';
import { InputError } from '../../util/errors.js';
import { createRng, substream } from '../../util/rng.js';
import { finishRuleSet, holdOutRows, type HeldOut } from '../common.js';
import type { ExtractContext } from '../types.js';
import { forwardDense, outputClasses, readDenseNetwork } from './dense-network.js';
import { resolveEncoder } from './encoded-columns.js';

/** The `holdOut` option of the decompositional extractors: 0 < holdOut < 1 (default 0.2). */
export const decompositionHoldOut = z.number().gt(0).lt(1).default(0.2).describe('Share of the data held out from extraction to measure fidelity on (default 0.2)');

/** Options every decompositional extractor takes (checked by the extractor's options schema). */
export interface DecompositionOptions {
  /** Share of the data held out from extraction to measure fidelity on (0 < holdOut < 1). */
  holdOut: number;
  /** Extra rows drawn from the training rows' per-column marginals, added to the extraction sample. */
  samples: number;
}

/** Everything an algorithm needs: the network, the meaning of its inputs and the encoded sample. */
export interface Decomposition {
  method: string;
  net: DenseNetwork;
  encoder: EncoderJSON;
  columns: EncodedColumn[];
  features: Feature[];
  classes: string[];
  /** Raw extraction rows (training part of the split, then the generated samples). */
  sample: Row[];
  /** The sample encoded: `sample.length × inputSize`. */
  x: Float64Array;
  /** Activations of every layer on the sample (element 0: the inputs). */
  activations: Float64Array[];
  /** The network's class per sample row. */
  labels: Int32Array;
  /** The seeded split: extraction rows and rows held out for fidelity. */
  heldOut: HeldOut;
}

/**
 * Reads the network (first, so a black box without weights fails fast), resolves the encoder,
 * splits the data (the seed's own stream, as every extractor), adds `samples` rows
 * drawn from the extraction rows' empirical per-column marginals (`'sampling'` substream) and
 * computes the sample's activations. `opts` are trusted (the extractor's schema checked them).
 *
 * @throws InputError for a black box without weights, a regression model, too little data.
 */
export async function prepareDecomposition(ctx: ExtractContext, method: string, opts: DecompositionOptions): Promise<Decomposition> {
  const net = readDenseNetwork(ctx.model, method);
  const features = ctx.model.schema.features;
  const heldOut = holdOutRows(ctx.data, features, opts.holdOut, ctx.seed);
  if (heldOut.train.n < 2 || heldOut.test.n < 1) {
    throw new InputError(`${method}: needs at least 3 data rows (extraction and held-out), got ${heldOut.train.n + heldOut.test.n}`);
  }
  const encoder = await resolveEncoder(ctx.model, ctx.data, net, method);
  const columns = encodedColumns(encoder);
  // Row arrays here: the sample's encoding and every layer's activations, held beside it, are larger still.
  const sample = [...rowsOf(heldOut.train), ...empiricalMarginalRows(ctx, heldOut.train, opts.samples)];
  const x = Float64Array.from(encodeRows(encoder, sample));
  const activations = forwardDense(net, x, sample.length);
  const labels = outputClasses(net, activations[activations.length - 1], sample.length);
  const classes = ctx.model.classes ?? (ctx.model.schema.target.kind === 'class' ? ctx.model.schema.target.classes : []);
  return { method, net, encoder, columns, features, classes, sample, x, activations, labels, heldOut };
}

/**
 * `n` rows whose every column is drawn independently from that column's present values in `rows`
 * (the empirical marginals: `fitMarginals` with bandwidth 0): fresh combinations of values the
 * network has seen one by one, never values it has not (binary inputs stay binary).
 */
function empiricalMarginalRows(ctx: ExtractContext, rows: DataTable, n: number): Row[] {
  if (n === 0 || rows.n === 0) return [];
  const data = tableDataset(ctx.data.source, { features: ctx.model.schema.features }, rows, 0);
  const marginals = fitMarginals(data, { bandwidth: 0, seed: substream(ctx.seed, 'marginals') });
  return sampleMarginals(marginals, n, createRng(substream(ctx.seed, 'sampling')));
}

/**
 * Support, precision and coverage of each rule of a decision list on the sample, against the
 * network's labels. Support counts the rows a rule covers (whether or not an earlier rule fired).
 */
export function listRuleStats(rules: readonly RuleT[], d: Pick<Decomposition, 'sample' | 'labels' | 'features' | 'classes'>): RuleT[] {
  const index = featureIndex({ features: d.features });
  return rules.map((r) => {
    let support = 0;
    let correct = 0;
    const cls = 'class' in r.output ? d.classes.indexOf(r.output.class) : -1;
    for (let i = 0; i < d.sample.length; i++) {
      if (!evalConjunction(r.conditions, d.sample[i], index)) continue;
      support++;
      if (d.labels[i] === cls) correct++;
    }
    return { ...r, stats: { support, precision: support ? correct / support : null, coverage: d.sample.length ? support / d.sample.length : 0 } };
  });
}

/**
 * The finished rule set: the decision list with rule statistics on the sample and ids, provenance
 * (method, options as used, seed, sample size) and fidelity (agreement with the model's own labels)
 * on the held-out rows (the global extractors' common `finishRuleSet`).
 */
export async function finishDecomposition(
  ctx: ExtractContext,
  d: Decomposition,
  list: DecisionListT,
  options: Record<string, unknown>,
): Promise<RuleSet> {
  const surrogate: DecisionListT = { ...list, rules: listRuleStats(list.rules, d).map((r, i) => ({ id: `r${i + 1}`, ...r })) };
  return finishRuleSet({ ctx, method: d.method, options, surrogate, samples: d.sample.length, heldOut: d.heldOut });
}
