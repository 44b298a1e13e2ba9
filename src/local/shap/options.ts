/**
 * KernelSHAP's options: the zod schema the registry, the CLI flags and the checks come from. Light
 * to import (no engine).
 */
import { z } from 'zod';
import { maskedBatchRowsOption } from '../options.js';

/** The reference's default budget: 2d + 2048 coalitions for d columns. */
export function defaultShapSamples(columns: number): number {
  return 2 * columns + 2048;
}

/**
 * The smallest budget that can determine d attributions: 2d coalitions (d complementary pairs),
 * or every coalition (2^d − 2) when that is fewer.
 *
 * @example
 * minimumShapSamples(10); // 20
 * minimumShapSamples(2);  // 2
 */
export function minimumShapSamples(columns: number): number {
  return columns >= 31 ? 2 * columns : Math.min(2 * columns, 2 ** columns - 2);
}

/** The options of `distill explain --method shap`, with the reference KernelExplainer's defaults. */
export const ShapOptionsSchema = z
  .object({
    samples: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('coalitions evaluated per row (default 2·columns + 2048); every coalition, hence exact Shapley values, when 2^columns − 2 fit'),
    batchRows: maskedBatchRowsOption,
  })
  .strict();

export type ShapOptions = z.input<typeof ShapOptionsSchema>;
export type ShapResolvedOptions = z.output<typeof ShapOptionsSchema>;
