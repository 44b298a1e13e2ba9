/** SmoothGrad's options: the zod schema the registry, the CLI flags and the checks come from. */
import { z } from 'zod';

/** The options of `distill explain --method smoothgrad`, with the paper's recommended defaults. */
export const SmoothGradOptionsSchema = z
  .object({
    samples: z.number().int().min(1).default(50).describe('noisy copies of the row whose gradients are averaged'),
    noise: z.number().min(0).default(0.15).describe("noise standard deviation as a share of each numeric column's range (max − min) in the background"),
    timesInput: z.boolean().default(false).describe('multiply the averaged gradient by the difference from the baseline (SmoothGrad on gradient × input)'),
    batchRows: z.number().int().min(1).default(65_536).describe('noisy rows sent to the model per call at most').meta({ libraryOnly: true }),
  })
  .strict();

export type SmoothGradOptions = z.output<typeof SmoothGradOptionsSchema>;
