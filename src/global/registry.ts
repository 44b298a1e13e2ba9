/**
 * The explicit registry of global extractors: a new extractor is a new folder plus one line here.
 */
import { InputError, isInputError } from '../util/errors.js';
import type { TabularModel } from '../model/types.js';
import type { RuleSet } from '../rules/schema.js';
import { readDenseNetwork } from './decompositional/index.js';
import { cartExtractor } from './cart/index.js';
import { trepanExtractor } from './trepan/index.js';
import { annDtExtractor } from './ann-dt/index.js';
import { mofnExtractor } from './mofn/index.js';
import { credExtractor, deepredExtractor } from './cred/index.js';
import { tsukimotoExtractor } from './tsukimoto/index.js';
import type { ExtractContext, Extractor } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const extractors: Record<string, Extractor<any>> = {
  cart: cartExtractor,
  trepan: trepanExtractor,
  'ann-dt': annDtExtractor,
  mofn: mofnExtractor,
  cred: credExtractor,
  deepred: deepredExtractor,
  tsukimoto: tsukimotoExtractor,
};

/** Names of the registered extractors, in registry order. */
export function extractorNames(): string[] {
  return Object.keys(extractors);
}

/**
 * Runs the extractor named `method` on the model and data of `ctx`.
 *
 * @throws InputError for an unknown method (listing the known ones), for a decompositional method
 *   on a model whose weights cannot be read, and whatever the extractor throws for bad options
 * @example
 * const rs = await extractRules('cart', { model, data, seed: 42 }, { maxDepth: 4 });
 */
export async function extractRules(method: string, ctx: ExtractContext, options: Record<string, unknown> = {}): Promise<RuleSet> {
  const ex = Object.hasOwn(extractors, method) ? extractors[method] : undefined;
  if (!ex) throw new InputError(`unknown extraction method "${method}"; methods: ${extractorNames().join(', ')}`);
  if (ex.decompositional && !ctx.model.blackBox.denseNetwork) {
    throw new InputError(
      `method "${method}" reads the network's weights, which this model (${ctx.model.identity.type}) does not expose; use a pedagogical method (${Object.values(extractors)
        .filter((e) => !e.decompositional)
        .map((e) => e.name)
        .join(', ')})`,
    );
  }
  return ex.extract(ctx, options);
}

/** Whether a method can run on a model, and if not, why. */
export type Applicability = { applies: true } | { applies: false; reason: string };

/**
 * Whether extractor `method` can run on `model`, with the reason when it cannot: a task it does not
 * handle, or, for a decompositional method, weights the model does not expose or a network it cannot
 * read (the check the method itself makes). Options and data are not looked at.
 *
 * @throws InputError for an unknown method.
 * @example
 * extractorApplies('cred', httpModel); // { applies: false, reason: "cred needs the network's weights; http models do not expose them: ..." }
 */
export function extractorApplies(method: string, model: TabularModel): Applicability {
  const ex = Object.hasOwn(extractors, method) ? extractors[method] : undefined;
  if (!ex) throw new InputError(`unknown extraction method "${method}"; methods: ${extractorNames().join(', ')}`);
  const tasks = ex.tasks ?? ['classification', 'regression'];
  if (!tasks.includes(model.task)) return { applies: false, reason: `${method} extracts ${tasks.join(' and ')} rules; this is a ${model.task} model` };
  if (ex.decompositional) {
    try {
      readDenseNetwork(model, method);
    } catch (e) {
      if (!isInputError(e)) throw e;
      return { applies: false, reason: (e as InputError).detail };
    }
  }
  return { applies: true };
}
