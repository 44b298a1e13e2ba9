/**
 * Anchors' options: the zod schema the registry, the CLI flags and the checks come from. Light to
 * import (no engine). The search's own options live beside the search ({@link AnchorSearchOptionsSchema});
 * these add what the tabular front end needs.
 */
import { z } from 'zod';
import { AnchorSearchOptionsSchema } from './beam.js';

/** How rows under an anchor are drawn: from the data rows that satisfy it, or by redrawing the anchored columns independently. */
export const ANCHOR_SAMPLERS = ['data', 'independent'] as const;

/** The options of `distill explain --method anchors` (search defaults as in the reference implementation, beam 2). */
export const AnchorsOptionsSchema = AnchorSearchOptionsSchema.extend({
  sampler: z
    .enum(ANCHOR_SAMPLERS)
    .default('data')
    .describe("rows under an anchor: 'data' draws data rows that satisfy it (columns keep their dependence), 'independent' redraws the anchored columns alone"),
  coverageSamples: z.number().int().min(1).default(10000).describe('data rows coverage is counted on (a seeded subset when the data has more)'),
  discretizer: z.enum(['quartile', 'decile']).default('quartile').describe('bins of numeric columns'),
});

export type AnchorsCliOptions = z.input<typeof AnchorsOptionsSchema>;
