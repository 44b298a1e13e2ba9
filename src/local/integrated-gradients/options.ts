/** Integrated gradients' options: the zod schema the registry, the CLI flags and the checks come from. */
import { z } from 'zod';

/** The options of `distill explain --method integrated-gradients`. */
export const IntegratedGradientsOptionsSchema = z
  .object({
    steps: z.number().int().min(1).default(64).describe('intervals of the trapezoid rule along the path from the baseline (steps + 1 gradient evaluations)'),
    tolerance: z.number().min(0).default(0.01).describe('double the steps of a row while its completeness gap exceeds this share of |f(x) − f(baseline)| (0: fixed steps)'),
    maxSteps: z.number().int().min(1).default(1024).describe('most steps a row is refined to'),
    batchRows: z.number().int().min(1).default(65_536).describe('path points sent to the model per call at most').meta({ libraryOnly: true }),
  })
  .strict();

export type IntegratedGradientsOptions = z.output<typeof IntegratedGradientsOptionsSchema>;
