/**
 * Occlusion's options: the zod schema the registry, the CLI flags and the checks come from. Light
 * to import (no engine).
 */
import { z } from 'zod';
import { maskedBatchRowsOption } from '../options.js';

/** The options of `distill explain --method occlusion`. */
export const OcclusionOptionsSchema = z
  .object({
    replaceWith: z
      .enum(['baseline', 'background'])
      .default('baseline')
      .describe("what an occluded column takes: the baseline's value, or each background row's value in turn (the mean change)"),
    batchRows: maskedBatchRowsOption,
  })
  .strict();

export type OcclusionOptions = z.input<typeof OcclusionOptionsSchema>;
export type OcclusionResolvedOptions = z.output<typeof OcclusionOptionsSchema>;
