/**
 * Anchors' options: the zod schema the registry, the CLI flags and the checks come from. Light to
 * import (no engine). The search's own options live beside the search ({@link AnchorSearchOptionsSchema});
 * these add what the tabular front end needs.
 */
import { z } from 'zod';
import { AnchorSearchOptionsSchema } from './beam.js';

/** The options of `distill explain --method anchors`, with the reference implementation's defaults. */
export const AnchorsOptionsSchema = AnchorSearchOptionsSchema.extend({
  coverageSamples: z.number().int().min(1).default(10000).describe('data-like rows coverage is estimated on'),
  discretizer: z.enum(['quartile', 'decile']).default('quartile').describe('bins of numeric columns'),
});

export type AnchorsCliOptions = z.input<typeof AnchorsOptionsSchema>;
