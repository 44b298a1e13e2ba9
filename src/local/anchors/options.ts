/**
 * Anchors' options: the zod schema the registry, the CLI flags and the checks come from. Light to
 * import (no engine).
 */
import { z } from 'zod';

/** The options of `distill explain --method anchors`, with the reference implementation's defaults. */
export const anchorsOptions = z
  .object({
    threshold: z.number().gt(0).max(1).default(0.95).describe('precision the anchor must reach'),
    delta: z.number().gt(0).lt(1).default(0.1).describe('confidence parameter δ of the bandit'),
    tau: z.number().gt(0).lt(1).default(0.15).describe('tolerance τ of the best-arm search'),
    epsilonStop: z.number().gt(0).lt(1).default(0.05).describe('stop tolerance of the final precision check'),
    beamSize: z.number().int().min(1).default(1).describe('candidates kept per anchor size'),
    batchSize: z.number().int().min(1).default(10).describe('samples per bandit pull'),
    maxAnchorSize: z.number().int().min(1).optional().describe('largest anchor (default: every column)'),
    maxConfirmSamples: z.number().int().min(1).default(20000).describe('cap on samples drawn while confirming one candidate'),
    coverageSamples: z.number().int().min(1).default(10000).describe('data-like rows coverage is estimated on'),
    discretizer: z.enum(['quartile', 'decile']).default('quartile').describe('bins of numeric columns'),
  })
  .strict();

export type AnchorsCliOptions = z.input<typeof anchorsOptions>;
