/**
 * Provenance recorded in every rule set and explanation: what made it, from what, with which seed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type { ModelIdentity } from '../model/types.js';
import type { ProvenanceT } from './schema.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { name: string; version: string };

/** The toolkit's version (package.json). */
export const VERSION = pkg.version;

/** `surrogate-distill@VERSION`. */
export const TOOL = `${pkg.name}@${VERSION}`;

const fixedTime = new AsyncLocalStorage<string>();

/**
 * Runs `fn` with `createdAt` fixed to `iso` for every provenance it makes (also across its awaits):
 * the parts of one run computed in several places (worker threads, queue workers on other
 * machines) then record the run's one creation time.
 *
 * @example
 * const part = await atCreationTime(job.createdAt, () => explainBatch(model, job, shared, batch));
 */
export function atCreationTime<T>(iso: string, fn: () => Promise<T>): Promise<T> {
  return fixedTime.run(iso, fn);
}

/**
 * The time recorded as `createdAt`: the one fixed by {@link atCreationTime}, else
 * `SOURCE_DATE_EPOCH` (seconds) when set, so that runs with the same seed write byte-identical
 * files, otherwise now.
 */
export function creationTime(env: NodeJS.ProcessEnv = process.env): string {
  const fixed = fixedTime.getStore();
  if (fixed !== undefined) return fixed;
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

/**
 * Builds a provenance record.
 *
 * @example
 * makeProvenance({ method: 'cart', options: { maxDepth: 5 }, seed: 42, samples: 10000, data: 'builtin:iris', model: null });
 */
export function makeProvenance(p: {
  method: string;
  options: Record<string, unknown>;
  seed: number | null;
  samples: number | null;
  data: string | null;
  model: ModelIdentity | null;
}): ProvenanceT {
  return {
    tool: TOOL,
    method: p.method,
    options: JSON.parse(JSON.stringify(p.options)) as Record<string, unknown>,
    seed: p.seed,
    samples: p.samples,
    data: p.data,
    model: p.model ? { type: p.model.type, source: p.model.source, hash: p.model.hash } : null,
    createdAt: creationTime(),
  };
}
