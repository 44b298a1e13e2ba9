/**
 * The explanation file format: `surrogate-distill/explanation`, version 2. Local explanations of
 * one or many rows by one or several methods (LIME, Anchors, SHAP, gradients...), with provenance,
 * the feature schema and class names. Every explanation, whatever its method, has the same core:
 * the row, the class explained, the model's output, a base value, one attribution per **original
 * column** (an encoded categorical column's parts summed back into their column) and how faithful
 * it is to the model at that row. Method-specific parts sit beside the core: LIME's weighted
 * conditions and local fit, Anchors' rule (a rule set of the rule format), SHAP's exactness, the
 * completeness gap of path methods.
 *
 * Version 1 files (LIME only) are still read: {@link importExplanations} converts them.
 *
 * The zod schemas are the single source of truth: the types below are inferred from them and
 * `rules/explanation.schema.json` is generated from them ({@link explanationJsonSchema}).
 *
 * @example
 * const file = importExplanations(await readTextFile('why.json'), 'why.json');
 * file.explanations[0].attributions[0]; // { feature: 'sepal_length', value: 6.3, attribution: -0.012 }
 */
import { z } from 'zod';
import { InputError } from '../util/errors.js';
import { formatJsonPath, jsonNestingBeyond, nestingMessage, parseJsonText } from '../util/json.js';
import { Condition, FeatureSchema, Provenance, RuleSetFile, TargetSchema } from '../rules/schema.js';

export const EXPLANATION_FORMAT = 'surrogate-distill/explanation' as const;
export const EXPLANATION_VERSION = 2 as const;

const CellValue = z.union([z.number(), z.string(), z.null()]);

export const Attribution = z
  .object({
    feature: z.string().min(1).describe('original column'),
    value: CellValue.describe("the row's value in this column (null: missing)"),
    attribution: z.number().describe("this column's share of the explained output's difference from `base`, in the output's units"),
  })
  .strict();

/** One weighted interpretable feature of a LIME explanation (a condition on an original column). */
export const ConditionWeight = z
  .object({
    feature: z.string().min(1).describe('original column'),
    condition: Condition.nullable().describe(
      "the interpretable feature: the instance's bin (le/interval/gt) or category (eq); null for a continuous feature used without discretisation, whose weight is per training standard deviation",
    ),
    text: z
      .string()
      .describe(
        'the condition as text (as renderCondition writes it), e.g. "2.8 < sepal_width <= 3" or "island = Biscoe"; for a column missing in the row, "island is missing (imputed: island = Biscoe)"',
      ),
    value: CellValue.describe("the instance's value in this column (null: missing in the row)"),
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

/** LIME's local linear surrogate: how it predicts at the row and how well it fits. */
export const LocalSurrogate = z
  .object({
    intercept: z.number(),
    localPrediction: z.number().describe("local linear model's prediction at the row"),
    r2: z.number().describe('kernel-weighted R² of the local model on the neighbourhood it was fitted to'),
    fidelity: LocalFidelity.nullable(),
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

export const SensitivityN = z
  .object({
    n: z.number().int().min(1).describe('size of the random column subsets'),
    subsets: z.number().int().min(0).describe('random subsets drawn'),
    correlation: z
      .number()
      .min(-1)
      .max(1)
      .nullable()
      .describe('Pearson correlation between the sum of attributions over a subset and the output change when the subset is set to the baseline; null when either does not vary'),
  })
  .strict();

export const DeletionCurve = z
  .object({
    steps: z.number().int().min(1).describe('columns removed, one per step'),
    auc: z.number().describe('area under the explained output as columns are set to the baseline in decreasing order of |attribution|, over a 0–1 axis of the share removed (lower: the attribution found what matters)'),
    randomAuc: z.number().describe('the same area for random orders (mean over `randomOrders`)'),
    randomOrders: z.number().int().min(1),
    normalized: z
      .number()
      .nullable()
      .describe('(auc − randomAuc) / (f(x) − f(baseline)): below 0 when the attribution order removes the output faster than chance; null when f(x) = f(baseline)'),
  })
  .strict();

/** How far an explanation is faithful to the model at its row, measured from seeded samples. */
export const Faithfulness = z
  .object({
    baseline: z.string().describe('what a removed column is set to, e.g. "background mean"'),
    sensitivityN: z.array(SensitivityN).describe('Sensitivity-n (Ancona et al. 2018) for n = 1, 2 and ⌈d/4⌉'),
    deletion: DeletionCurve.nullable(),
    precision: z
      .object({
        value: z.number().min(0).max(1),
        ci95: z.tuple([z.number(), z.number()]).nullable(),
        samples: z.number().int().min(0),
      })
      .strict()
      .optional()
      .describe("rule explanations: share of rows drawn under the rule where the model keeps the row's answer"),
    coverage: z.number().min(0).max(1).optional().describe('rule explanations: share of data-like rows the rule covers'),
  })
  .strict();

/** A counterfactual: the nearest row the model answers with the wanted class, and what changed. */
export const Counterfactual = z
  .object({
    wanted: z.string().describe('the class the counterfactual is for'),
    changes: z
      .array(z.object({ feature: z.string().min(1), from: CellValue, to: CellValue }).strict())
      .describe('the columns that change, in schema order: the value in the row and in the counterfactual'),
    row: z.array(CellValue).describe('the counterfactual row, in schema order'),
    distance: z.number().min(0).describe("L1 distance from the row in units of each column's spread (a changed category counts 1)"),
    spreads: z
      .array(z.object({ feature: z.string().min(1), spread: z.number().positive().nullable() }).strict())
      .describe("each column's spread: its standard deviation in the data (1 when constant); null for categorical columns"),
    prediction: z
      .object({
        class: z.string().describe("the model's answer for the counterfactual row"),
        probability: z.number().describe("the model's output for the wanted class at the counterfactual row"),
        flips: z.boolean().describe('whether the model answers the wanted class there'),
      })
      .strict(),
    source: z.enum(['rule', 'search']).describe('where the search started: a rule region of the wanted class, or seeded random candidates'),
    rule: z.string().nullable().describe('the rule whose region the counterfactual came from, as text; null for the search'),
  })
  .strict();

export const Explanation = z
  .object({
    row: z.number().int().min(0).describe('index of the explained row in the data'),
    method: z.string().min(1).describe('the local explainer, e.g. lime, shap, anchors'),
    class: z.string().nullable().describe('class whose output is explained; null for regression'),
    classIndex: z.number().int().min(0).nullable(),
    predictedClass: z.string().nullable().describe("the model's predicted class for the row; null for regression"),
    prediction: z.number().describe('model output explained: probability of `class`, or the value'),
    base: z
      .number()
      .nullable()
      .describe('the reference output the attributions are measured from: E[f(background)] (SHAP), f(baseline) (gradient, path and occlusion methods), the local intercept (LIME); null when the method has none'),
    instance: z.array(CellValue).describe('the row, in schema order'),
    missing: z.array(z.string()).describe('columns missing in the row (imputed by the method where it needs a value)'),
    attributions: z.array(Attribution).describe('one per original column, in schema order (empty for rule explanations)'),
    faithfulness: Faithfulness.nullable(),
    conditions: z.array(ConditionWeight).optional().describe('LIME: weighted conditions of the local linear model, by decreasing absolute weight'),
    surrogate: LocalSurrogate.optional().describe('LIME: the local linear model'),
    stability: ExplanationStability.optional(),
    rule: RuleSetFile.optional().describe('Anchors: the anchor as a rule set (one rule), applicable without the model'),
    confident: z.boolean().optional().describe('Anchors: whether the rule reached the precision threshold (false: the search failed; `rule` is the best found)'),
    exact: z.boolean().optional().describe('SHAP: true when every coalition was evaluated (exact Shapley values), false when sampled'),
    completenessGap: z
      .number()
      .min(0)
      .optional()
      .describe('|Σ attributions − (prediction − base)|: how far the attributions miss summing to the output difference'),
    counterfactual: Counterfactual.nullable().optional().describe('counterfactual: the nearest row of the wanted class (`class`), verified against the model; null when none was found'),
    notes: z.array(z.string()).optional().describe('things the reader should know about this explanation'),
  })
  .strict();

export const ExplanationFile = z
  .object({
    format: z.literal(EXPLANATION_FORMAT),
    version: z.literal(EXPLANATION_VERSION),
    task: z.enum(['classification', 'regression']),
    schema: z.object({ features: z.array(FeatureSchema), target: TargetSchema }).strict(),
    provenance: Provenance.describe('method: the explainer (several joined by commas); options: per method its options as used, plus the shared choices (class, background, baseline, faithfulness)'),
    explanations: z.array(Explanation),
  })
  .strict()
  .describe('surrogate-distill local explanations of one or more rows');

export type AttributionT = z.infer<typeof Attribution>;
export type ConditionWeightT = z.infer<typeof ConditionWeight>;
export type LocalFidelityT = z.infer<typeof LocalFidelity>;
export type LocalSurrogateT = z.infer<typeof LocalSurrogate>;
export type ExplanationStabilityT = z.infer<typeof ExplanationStability>;
export type FaithfulnessT = z.infer<typeof Faithfulness>;
export type ExplanationT = z.infer<typeof Explanation>;
export type CounterfactualT = z.infer<typeof Counterfactual>;
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

/** Version 1 (LIME only), as written before version 2; read and converted, never written. */
const V1Explanation = z
  .object({
    row: z.number().int().min(0),
    instance: z.array(CellValue),
    imputed: z.array(z.string()),
    label: z.string().nullable(),
    labelIndex: z.number().int().min(0).nullable(),
    predictedClass: z.string().nullable(),
    prediction: z.number(),
    localPrediction: z.number(),
    intercept: z.number(),
    r2: z.number(),
    fidelity: LocalFidelity.nullable(),
    features: z.array(ConditionWeight),
    stability: ExplanationStability.optional(),
  })
  .strict();

const V1File = z
  .object({
    format: z.literal(EXPLANATION_FORMAT),
    version: z.literal(1),
    method: z.literal('lime'),
    task: z.enum(['classification', 'regression']),
    schema: z.object({ features: z.array(FeatureSchema), target: TargetSchema }).strict(),
    provenance: Provenance,
    explanations: z.array(V1Explanation),
  })
  .strict();

/**
 * A version 1 (LIME) file as version 2. Per-column attributions are the weights of the conditions
 * (each condition's indicator is 1 at the row); a version 1 file with a continuous feature used
 * without discretisation did not record the scaling its attribution needs, so its explanations get
 * no attributions and a note saying so.
 */
function fromV1(v1: z.infer<typeof V1File>): ExplanationFile {
  const names = v1.schema.features.map((f) => f.name);
  return {
    format: EXPLANATION_FORMAT,
    version: EXPLANATION_VERSION,
    task: v1.task,
    schema: v1.schema,
    provenance: { ...v1.provenance, options: { lime: v1.provenance.options } },
    explanations: v1.explanations.map((e) => {
      const continuous = e.features.some((f) => f.condition === null);
      const byFeature = new Map<string, number>();
      for (const f of e.features) byFeature.set(f.feature, (byFeature.get(f.feature) ?? 0) + f.weight);
      const out: ExplanationT = {
        row: e.row,
        method: 'lime',
        class: e.label,
        classIndex: e.labelIndex,
        predictedClass: e.predictedClass,
        prediction: e.prediction,
        base: e.intercept,
        instance: e.instance,
        missing: e.imputed,
        attributions: continuous ? [] : names.map((feature, j) => ({ feature, value: e.instance[j] ?? null, attribution: byFeature.get(feature) ?? 0 })),
        faithfulness: null,
        conditions: e.features,
        surrogate: { intercept: e.intercept, localPrediction: e.localPrediction, r2: e.r2, fidelity: e.fidelity },
      };
      if (e.stability) out.stability = e.stability;
      out.notes = ['read from a version 1 file: faithfulness was not measured' + (continuous ? '; per-column attributions were not recorded' : '')];
      return out;
    }),
  };
}

/**
 * Parses and validates an explanation file (version 2, or version 1, converted).
 *
 * @throws InputError naming `file` and the line and column of a JSON syntax error, or the JSON path
 *   of the first problem.
 * @example
 * const file = importExplanations(await readTextFile('why.json'), 'why.json');
 */
export function importExplanations(text: string, file: string): ExplanationFile {
  const json = parseJsonText(text, file);
  // Explanations embed rule sets and M-of-N tests: bound the nesting before the (recursive) schema.
  const deep = jsonNestingBeyond(json);
  if (deep !== null) throw new InputError(nestingMessage('explanation files'), { file, path: deep });
  const version = (json as { version?: unknown } | null)?.version;
  if (version === 1) return fromV1(parseWith(V1File, json, file));
  if (json !== null && typeof json === 'object' && version !== EXPLANATION_VERSION && (json as { format?: unknown }).format === EXPLANATION_FORMAT) {
    throw new InputError(`unsupported version ${JSON.stringify(version)} (this toolkit reads versions 1 and ${EXPLANATION_VERSION})`, { file, path: '$.version' });
  }
  return parseWith(ExplanationFile, json, file);
}

/**
 * Validates parsed JSON with a zod schema.
 *
 * @throws InputError naming `file` and the JSON path of the first problem.
 * @example
 * parseWith(ImportanceFile, parseJsonText(text, 'imp.json'), 'imp.json');
 */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, file: string): T {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InputError(issue.message, { file, path: formatJsonPath(issue.path) });
}
