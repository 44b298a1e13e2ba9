/**
 * Counterfactual options: the zod schema the registry, the CLI flags and the checks come from.
 * Light to import (no engine).
 */
import { z } from 'zod';
import type { RuleSet } from '../../rules/schema.js';

export const CounterfactualOptionsSchema = z
  .object({
  fixed: z.string().default('').describe('comma-separated columns the counterfactual must not change (e.g. age,sex)'),
  searchSamples: z.number().int().min(0).max(1_000_000).default(2000).describe('seeded random candidates drawn when no rule region of the wanted class holds a verified counterfactual'),
  refineSteps: z.number().int().min(1).max(40).default(14).describe('bisection steps per changed column when moving it back towards the row'),
  ruleSet: z
    .custom<RuleSet>((v) => typeof v === 'object' && v !== null && 'surrogate' in (v as object))
    .optional()
    .meta({ libraryOnly: true })
    .describe('a rule set (of the same columns) whose regions of the wanted class are tried first'),
  })
  .strict();

export type CounterfactualOptions = z.output<typeof CounterfactualOptionsSchema>;
