/** LRP's options: the zod schema the registry, the CLI flags and the checks come from. */
import { z } from 'zod';

/** The options of `distill explain --method lrp`. */
export const LrpOptionsSchema = z
  .object({
    epsilon: z.number().min(0).default(0.01).describe("the ε-rule's stabiliser, in units of the pre-activations (0: no stabiliser, the same as deeplift)"),
  })
  .strict();

export type LrpOptions = z.output<typeof LrpOptionsSchema>;
