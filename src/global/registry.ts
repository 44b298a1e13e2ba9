/**
 * The explicit registry of global extractors: a new extractor is a new folder plus one line here.
 */
import { InputError } from '../util/errors.js';
import type { RuleSet } from '../rules/schema.js';
import { cartExtractor } from './cart/index.js';
import { trepanExtractor } from './trepan/index.js';
import { annDtExtractor } from './ann-dt/index.js';
import { mofnExtractor } from './mofn/index.js';
import { credExtractor, deepredExtractor } from './cred/index.js';
import type { ExtractContext, Extractor } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const extractors: Record<string, Extractor<any>> = {
  cart: cartExtractor,
  trepan: trepanExtractor,
  'ann-dt': annDtExtractor,
  mofn: mofnExtractor,
  cred: credExtractor,
  deepred: deepredExtractor,
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
