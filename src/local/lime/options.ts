/**
 * LIME's options: the zod schema the registry, the CLI flags and the checks come from. Light to
 * import (no engine), so that `distill --help` can list them.
 */
import { z } from 'zod';
import type { KernelFn } from './base.js';
import { DISCRETIZERS } from './discretize.js';

/** Feature selection methods of the reference implementation. */
export const FEATURE_SELECTIONS = ['auto', 'forward_selection', 'highest_weights', 'lasso_path', 'none'] as const;
export type FeatureSelection = (typeof FEATURE_SELECTIONS)[number];

/**
 * The options of {@link explainLime} and `distill explain --method lime`, with the reference
 * `LimeTabularExplainer`'s defaults.
 */
export const LimeOptionsSchema = z
  .object({
    samples: z.number().int().min(2).default(5000).describe('neighbourhood size, the row included'),
    numFeatures: z.number().int().min(1).default(10).describe('conditions per explanation'),
    featureSelection: z.enum(FEATURE_SELECTIONS).default('auto').describe('how the conditions are chosen (auto: forward selection up to 6, else highest weights)'),
    discretizer: z.enum(DISCRETIZERS).default('quartile').describe('bins of numeric columns'),
    sampleAround: z.enum(['mean', 'instance']).default('mean').describe('centre of the Gaussian for continuous columns (no discretiser)'),
    sampling: z.enum(['gaussian', 'lhs']).default('gaussian').describe('Gaussian or Latin hypercube sampling (no discretiser)'),
    kernelWidth: z.number().positive().optional().describe('kernel width (default 0.75·sqrt(columns))'),
    topLabels: z.number().int().min(1).default(1).describe('explain the K most probable classes (with --class: that class only)'),
    alpha: z.number().min(0).default(1).describe('ridge penalty of the local model'),
    stability: z
      .number()
      .int()
      .min(0)
      .refine((v) => v !== 1)
      .meta({ expected: '0 (off) or an integer >= 2' })
      .default(0)
      .describe('repeat under R seeds and report stability (0: off, else R >= 2)'),
    fidelitySamples: z.number().int().min(0).default(500).describe('fresh samples for local fidelity (0: off)'),
    // 10,000: two explanations' neighbourhoods per call. The rows of a call live until its answer;
    // 100,000 of them (20 explanations, about 13 MB) outlived V8's young generation, so every
    // scavenge copied them and promoted them to the old one: a 400-row run spent 24 % more CPU,
    // most of it in the collector's helper threads (the core a worker thread would use).
    batchRows: z.number().int().min(1).default(10_000).describe('rows sent to the model per call at most').meta({ libraryOnly: true }),
    kernel: z.custom<KernelFn>((v) => typeof v === 'function').optional().describe('kernel from distance and width to weight (default sqrt(exp(-d²/w²)))').meta({ libraryOnly: true }),
    labels: z.array(z.union([z.string(), z.number().int().min(0)])).min(1).optional().describe('classes to explain by name or index').meta({ libraryOnly: true }),
    discretizerLabels: z.custom<ArrayLike<number>>((v) => v !== null && typeof v === 'object' && 'length' in (v as object)).optional().describe('class index per data row for the entropy discretiser').meta({ libraryOnly: true }),
  })
  .strict();

export type LimeOptions = z.input<typeof LimeOptionsSchema>;
export type LimeResolvedOptions = z.output<typeof LimeOptionsSchema>;
