/**
 * The `cred` and `deepred` extractors: CRED (Sato & Tsukimoto 2001) and its extension to deep
 * networks, DeepRED (Zilke, Loza Mencía & Janssen 2016). One algorithm: CRED is DeepRED on a
 * network with one hidden layer.
 *
 * 1. A tree maps the last hidden layer's activations to the network's class: per class, a DNF of
 *    threshold terms `h_j > t` / `h_j <= t` on that layer.
 * 2. For every such term, a tree maps the layer below to whether the term holds: its `true`
 *    leaves are a DNF for the term, its `false` leaves one for the negation.
 * 3. Terms are substituted by their DNFs (products expanded), contradictions and conjunctions
 *    no sample row satisfies are dropped, and the step repeats down to the inputs.
 * 4. Input terms become conditions on the original columns; rules are pruned on the sample and
 *    ordered into a decision list with a default class.
 * The trees are the toolkit's CART learner (entropy criterion, as C4.5 in the papers).
 */
import { z } from 'zod';
import type { RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import type { ExtractContext, Extractor } from '../types.js';
import { decompositionHoldOut, finishDecomposition, prepareDecomposition, readDenseNetwork, searchBudget } from '../decompositional/index.js';
import { assembleList } from './assemble.js';
import { substituteLayers } from './substitute.js';

/** Options of `cred` and `deepred`: names, types, defaults and allowed values. */
export const CredOptionsSchema = z.strictObject({
  /** Depth limit of every term's tree (default 4); the top tree gets at least enough depth for every class. */
  maxDepth: z.number().int().min(1).default(4),
  /** Minimum sample rows in a tree leaf (default 2). */
  minSamplesLeaf: z.number().int().min(1).default(2),
  /** Most conjunctions kept per class after each substitution step, and partial products per conjunction (default 50). */
  maxTerms: z.number().int().min(1).default(50),
  /** Most sample rows each tree is fitted on, a seeded subset when the sample is larger (default 4000); supports and precisions count every row. */
  treeRows: z.number().int().min(2).default(4000),
  /** Most rules in the decision list, the size budget (default 40). */
  maxRules: z.number().int().min(1).default(40),
  /** Time budget in seconds (default 60): the layer-by-layer search stops expanding when it is spent, and says so. */
  maxSeconds: z.number().gt(0).default(60),
  /** Prune conditions and rules on the sample (C4.5rules-style; default true). */
  prune: z.boolean().default(true),
  /** Share of the data held out to measure fidelity (default 0.2). */
  holdOut: decompositionHoldOut,
  /** Rows drawn from the training rows' per-column marginals and added to the extraction sample (default 0). */
  samples: z.number().int().min(0).default(0),
});

/** Options of `cred` and `deepred` (see {@link CredOptionsSchema}). */
export type CredOptions = z.output<typeof CredOptionsSchema>;

export const credDefaults: CredOptions = optionDefaults(CredOptionsSchema);

/**
 * DeepRED (Zilke, Loza Mencía & Janssen 2016): rules over the original columns from a network
 * of any depth, by trees from each layer's activations to the terms of the layer above.
 *
 * @throws InputError when the black box exposes no weights, the network has no hidden layer, or
 *   options are out of range.
 * @example
 * const rs = await extractDeepRed({ model, data, seed: 42 }, { maxDepth: 3 }); // rs.surrogate.kind === 'list'
 */
export async function extractDeepRed(ctx: ExtractContext, options: Partial<CredOptions> = {}, method = 'deepred'): Promise<RuleSet> {
  const opts = parseOptions(CredOptionsSchema, options, { method });
  const net = readDenseNetwork(ctx.model, method);
  const hidden = net.layers.length - 1;
  if (hidden < 1) throw new InputError(`${method} needs a network with a hidden layer; this one has none: use cart or trepan`);
  if (method === 'cred' && hidden > 1) {
    throw new InputError(`cred handles networks with one hidden layer; this one has ${hidden}: use deepred`);
  }
  const budget = searchBudget(opts.maxSeconds);
  const d = await prepareDecomposition(ctx, method, { holdOut: opts.holdOut, samples: opts.samples });
  const { dnfs, inputs } = substituteLayers(d, { ...opts, seed: ctx.seed }, budget, ctx.progress);
  const list = assembleList(d, dnfs, inputs, opts, budget);
  return finishDecomposition(ctx, d, list, { ...opts, budgetCut: budget.note() });
}

/**
 * CRED (Sato & Tsukimoto 2001): DeepRED restricted to networks with one hidden layer.
 *
 * @throws InputError for a deeper network (use deepred), or as {@link extractDeepRed}.
 * @example
 * const rs = await extractCred({ model, data, seed: 42 });
 */
export function extractCred(ctx: ExtractContext, options: Partial<CredOptions> = {}): Promise<RuleSet> {
  return extractDeepRed(ctx, options, 'cred');
}

/** `cred` in the extractor registry. */
export const credExtractor: Extractor<CredOptions> = {
  name: 'cred',
  description: 'Decision-tree rules through the one hidden layer of a network (CRED, Sato & Tsukimoto 2001)',
  decompositional: true,
  tasks: ['classification'],
  options: CredOptionsSchema,
  defaults: credDefaults,
  extract: extractCred,
};

/** `deepred` in the extractor registry. */
export const deepredExtractor: Extractor<CredOptions> = {
  name: 'deepred',
  description: 'Decision-tree rules layer by layer through a deep network (DeepRED, Zilke et al. 2016)',
  decompositional: true,
  tasks: ['classification'],
  options: CredOptionsSchema,
  defaults: credDefaults,
  extract: (ctx, options) => extractDeepRed(ctx, options, 'deepred'),
};
