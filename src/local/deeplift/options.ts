/** DeepLIFT's options (it has none of its own): the zod schema the registry and the CLI read. */
import { z } from 'zod';

/** The options of `distill explain --method deeplift`: none beyond the run's shared flags (`--baseline` is its reference). */
export const DeepLiftOptionsSchema = z.object({}).strict();
