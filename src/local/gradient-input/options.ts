/** Gradient × input's options (it has none of its own): the zod schema the registry and the CLI read. */
import { z } from 'zod';

/** The options of `distill explain --method gradient-input`: none beyond the run's shared flags. */
export const GradientInputOptionsSchema = z.object({}).strict();
