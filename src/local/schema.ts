/**
 * The explanation file format: `surrogate-distill/explanation`, version 1. LIME explanations of
 * one or many rows, with provenance, the feature schema and class names, and per explained row and
 * label the local linear model (conditions on original columns with signed weights), how well it
 * fits, its fidelity on a fresh neighbourhood and, when measured, its stability across seeds.
 *
 * The zod schemas are the single source of truth: the types below are inferred from them and
 * `rules/explanation.schema.json` is generated from them ({@link explanationJsonSchema}).
 *
 * @example
 * const file = ExplanationFile.parse(JSON.parse(text));
 * file.explanations[0].features[0]; // { feature: 'petal_width', condition: { type: 'gt', ... }, text: 'petal_width > 1.8', value: 2.3, weight: 0.41 }
 */
import { z } from 'zod';
import { InputError } from '../util/errors.js';
import { formatJsonPath, parseJsonText } from '../util/json.js';
import { Condition, FeatureSchema, Provenance, TargetSchema } from '../rules/schema.js';

export const EXPLANATION_FORMAT = 'surrogate-distill/explanation' as const;
export const EXPLANATION_VERSION = 1 as const;

const CellValue = z.union([z.number(), z.string(), z.null()]);

export const ExplanationFeature = z
  .object({
    feature: z.string().min(1).describe('original column'),
    condition: Condition.nullable().describe(
      'the interpretable feature: the instance\'s bin (le/interval/gt) or category (eq); null for a continuous feature used without discretisation, whose weight is per training standard deviation',
    ),
    text: z.string().describe('the condition as text (as renderCondition writes it), e.g. "2.8 < sepal_width <= 3" or "island = Biscoe"'),
    value: CellValue.describe("the instance's value in this column"),
    weight: z.number().describe('signed weight in the local linear model'),
  })
  .strict();

export const LocalFidelity = z
  .object({
    samples: z.number().int().min(1).describe('size of the fresh neighbourhood sample, drawn independently of the one the local model was fitted to'),
    r2: z.number().nullable().describe('kernel-weighted R² of the local prediction against the model output on the fresh sample'),
    agreement: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('classification: kernel-weighted share of fresh samples where local prediction > 0.5 agrees with model probability > 0.5; null for regression'),
  })
  .strict();

export const ExplanationStability = z
  .object({
    runs: z.number().int().min(2).describe('seeds the explanation was repeated under (the reported run included)'),
    jaccard: z.number().min(0).max(1).describe('mean pairwise Jaccard index of the selected feature sets'),
    features: z
      .array(
        z
          .object({
            feature: z.string(),
            selected: z.number().min(0).max(1).describe('share of runs that selected this feature'),
            signAgreement: z.number().min(0).max(1).describe('share of runs that selected it with the same sign as the reported weight'),
          })
          .strict(),
      )
      .describe('one entry per reported feature, in the same order'),
  })
  .strict();

export const Explanation = z
  .object({
    row: z.number().int().min(0).describe('index of the explained row in the data'),
    instance: z.array(CellValue).describe('the row, in schema order'),
    imputed: z.array(z.string()).describe('columns missing in the row, replaced by the training mean or most frequent category for sampling'),
    label: z.string().nullable().describe('class whose probability is explained; null for regression'),
    labelIndex: z.number().int().min(0).nullable(),
    predictedClass: z.string().nullable().describe("the model's predicted class for the row; null for regression"),
    prediction: z.number().describe('model output explained: probability of label, or the value'),
    localPrediction: z.number().describe("local linear model's prediction at the row"),
    intercept: z.number(),
    r2: z.number().describe('kernel-weighted R² of the local model on the neighbourhood it was fitted to'),
    fidelity: LocalFidelity.nullable(),
    features: z.array(ExplanationFeature).describe('by decreasing absolute weight'),
    stability: ExplanationStability.optional(),
  })
  .strict();

export const ExplanationFile = z
  .object({
    format: z.literal(EXPLANATION_FORMAT),
    version: z.literal(EXPLANATION_VERSION),
    method: z.literal('lime'),
    task: z.enum(['classification', 'regression']),
    schema: z.object({ features: z.array(FeatureSchema), target: TargetSchema }).strict(),
    provenance: Provenance,
    explanations: z.array(Explanation),
  })
  .strict()
  .describe('surrogate-distill local explanations (LIME) of one or more rows');

export type ExplanationFeatureT = z.infer<typeof ExplanationFeature>;
export type LocalFidelityT = z.infer<typeof LocalFidelity>;
export type ExplanationStabilityT = z.infer<typeof ExplanationStability>;
export type ExplanationT = z.infer<typeof Explanation>;
export type ExplanationFile = z.infer<typeof ExplanationFile>;

/** Where the generated JSON Schema is committed, relative to the package root. */
export const EXPLANATION_SCHEMA_PATH = 'rules/explanation.schema.json';

/**
 * JSON Schema (draft 2020-12) of an explanation file, as deterministic text (2-space indent, final
 * newline), generated from {@link ExplanationFile} with zod's `z.toJSONSchema`.
 *
 * @example
 * const schema = JSON.parse(explanationJsonSchema());
 */
export function explanationJsonSchema(): string {
  const schema = z.toJSONSchema(ExplanationFile, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return JSON.stringify({ $schema: schema.$schema, title: 'surrogate-distill explanation', ...schema }, null, 2) + '\n';
}

/**
 * Serialises an explanation file deterministically (2-space indent, final newline).
 *
 * @example
 * await writeFileAtomic('why.json', exportExplanations(file));
 */
export function exportExplanations(file: ExplanationFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

/**
 * Parses and validates an explanation file.
 *
 * @throws InputError naming `file` and the line and column of a JSON syntax error, or the JSON path
 *   of the first problem.
 * @example
 * const file = importExplanations(await readTextFile('why.json'), 'why.json');
 */
export function importExplanations(text: string, file: string): ExplanationFile {
  const r = ExplanationFile.safeParse(parseJsonText(text, file));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(issue.message, { file, path: formatJsonPath(issue.path) });
  }
  return r.data;
}
