/**
 * The rule representation: the one versioned JSON format every surrogate in the toolkit produces
 * and every exporter, evaluator and metric consumes.
 *
 * These zod schemas are the single source of truth: the TypeScript types below are inferred from
 * them, and the published JSON Schema (`rules/ruleset.schema.json`) is generated from them
 * (`npm run schema`).
 *
 * Semantics, shared by every evaluator:
 * - `le`: `x <= threshold`; `gt`: `x > threshold`; `interval`: `low < x <= high` (either bound may be
 *   `null` for unbounded).
 * - `eq` / `neq`: the categorical value equals / differs from `value`; `in` / `notIn`: it is / is not
 *   one of `values`.
 * - `mofn`: at least `m` of `conditions` hold (Towell & Shavlik's M-of-N test).
 * - Any condition on a missing value (`null`) is false, except `neq` and `notIn`, which are false as
 *   well: a missing value never satisfies a test. An M-of-N test counts its members that hold.
 *
 * @example
 * const rule: Rule = {
 *   conditions: [{ type: 'gt', feature: 'petal_width', threshold: 1.75 }],
 *   output: { class: 'virginica' },
 * };
 */
import { z } from 'zod';
import { RULES_FORMAT, RULES_VERSION } from './format.js';

export { RULES_FORMAT, RULES_VERSION };

const featureName = z.string().min(1).describe('Name of an original column of the data');

export const LeCondition = z
  .object({ type: z.literal('le'), feature: featureName, threshold: z.number() })
  .strict()
  .describe('feature <= threshold (numeric)');
export const GtCondition = z
  .object({ type: z.literal('gt'), feature: featureName, threshold: z.number() })
  .strict()
  .describe('feature > threshold (numeric)');
export const IntervalCondition = z
  .object({
    type: z.literal('interval'),
    feature: featureName,
    low: z.number().nullable().describe('exclusive lower bound; null for none'),
    high: z.number().nullable().describe('inclusive upper bound; null for none'),
  })
  .strict()
  .describe('low < feature <= high (numeric)');
export const EqCondition = z
  .object({ type: z.literal('eq'), feature: featureName, value: z.string() })
  .strict()
  .describe('feature = value (categorical)');
export const NeqCondition = z
  .object({ type: z.literal('neq'), feature: featureName, value: z.string() })
  .strict()
  .describe('feature != value (categorical)');
export const InCondition = z
  .object({ type: z.literal('in'), feature: featureName, values: z.array(z.string()).min(1) })
  .strict()
  .describe('feature is one of values (categorical)');
export const NotInCondition = z
  .object({ type: z.literal('notIn'), feature: featureName, values: z.array(z.string()).min(1) })
  .strict()
  .describe('feature is none of values (categorical)');

/** A single test on one feature (every condition type but M-of-N). */
export const AtomicCondition = z.discriminatedUnion('type', [
  LeCondition,
  GtCondition,
  IntervalCondition,
  EqCondition,
  NeqCondition,
  InCondition,
  NotInCondition,
]);

export const MofNCondition = z
  .object({
    type: z.literal('mofn'),
    m: z.number().int().min(1),
    get conditions() {
      return z.array(Condition).min(1);
    },
  })
  .strict()
  .describe('at least m of the member conditions hold');

/**
 * Any condition. One discriminated union over `type` (atomic tests and M-of-N alike), so that a
 * validation error points into the member the `type` names rather than at the whole union.
 */
export const Condition: z.ZodType<ConditionT> = z
  .discriminatedUnion('type', [
    LeCondition,
    GtCondition,
    IntervalCondition,
    EqCondition,
    NeqCondition,
    InCondition,
    NotInCondition,
    MofNCondition,
  ])
  .meta({ id: 'Condition' });

export type AtomicConditionT = z.infer<typeof AtomicCondition>;
/** Written out by hand only because TypeScript cannot infer a recursive type; kept equal to the schema. */
export type MofNConditionT = { type: 'mofn'; m: number; conditions: ConditionT[] };
export type ConditionT = AtomicConditionT | MofNConditionT;

export const Output = z.union([
  z
    .object({
      class: z.string().describe('predicted class name'),
      distribution: z
        .record(z.string(), z.number().min(0).max(1))
        .optional()
        .describe('share of each class among the sample rows the rule or leaf covers (model labels)'),
    })
    .strict(),
  z.object({ value: z.number().describe('predicted value (regression)') }).strict(),
]);

/** Support, precision and coverage of a rule (or tree node) counted on real data rows. */
export const DataStats = z
  .object({
    support: z.number().int().min(0).describe('real data rows the rule covers (trees: the rows that reach the node)'),
    precision: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe("share of those rows the model puts in the rule's class (null when support is 0, for split nodes and for regression)"),
    coverage: z.number().min(0).max(1).describe('support divided by the number of data rows'),
  })
  .strict();

export const RuleStats = z
  .object({
    support: z.number().int().min(0).describe('rows of the extraction sample the rule covers'),
    precision: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('share of covered rows where the model agrees with the rule (null when support is 0 or for regression)'),
    coverage: z.number().min(0).max(1).describe('support divided by the sample size'),
    data: DataStats.optional().describe(
      'the same figures counted on real data rows (those `statsOn.data` names), beside the sample figures above; absent in older files',
    ),
  })
  .strict();

/** What the figures of `stats` and `stats.data` were counted on. */
export const StatsOn = z
  .object({
    sample: z.string().describe('what support, precision and coverage of `stats` count, e.g. "the 10455 model-labelled rows the tree was fitted to (455 data rows + 10000 drawn)"'),
    data: z
      .object({
        rows: z.number().int().min(0).describe('number of real rows'),
        description: z.string().describe('which rows, e.g. "the 455 extraction rows of wdbc.data"'),
      })
      .strict()
      .nullable()
      .describe('the real rows `stats.data` counts; null when no rule carries such figures'),
  })
  .strict();

export const Rule = z
  .object({
    id: z.string().optional(),
    conditions: z.array(Condition).describe('conjunction; empty means always true'),
    output: Output,
    stats: RuleStats.optional(),
  })
  .strict();

export const LeafNode = z
  .object({ type: z.literal('leaf'), output: Output, stats: RuleStats.optional() })
  .strict();

export const SplitNode = z
  .object({
    type: z.literal('split'),
    condition: Condition,
    get yes() {
      return TreeNode;
    },
    get no() {
      return TreeNode;
    },
    stats: RuleStats.optional(),
  })
  .strict()
  .describe('rows where condition holds go to yes, the others (missing included) to no');

export const TreeNode: z.ZodType<TreeNodeT> = z.discriminatedUnion('type', [LeafNode, SplitNode]).meta({ id: 'TreeNode' });

export type OutputT = z.infer<typeof Output>;
export type RuleStatsT = z.infer<typeof RuleStats>;
export type DataStatsT = z.infer<typeof DataStats>;
export type StatsOnT = z.infer<typeof StatsOn>;
export type LeafNodeT = z.infer<typeof LeafNode>;
/** Written out by hand only because TypeScript cannot infer a recursive type; kept equal to the schema. */
export type SplitNodeT = {
  type: 'split';
  condition: ConditionT;
  yes: TreeNodeT;
  no: TreeNodeT;
  stats?: RuleStatsT;
};
export type TreeNodeT = LeafNodeT | SplitNodeT;

export const DecisionList = z
  .object({
    kind: z.literal('list'),
    rules: z.array(Rule),
    default: Output.nullable().describe('output when no rule fires; null: no prediction'),
  })
  .strict()
  .describe('ordered: the first rule that fires decides');

export const RuleSetUnordered = z
  .object({
    kind: z.literal('set'),
    rules: z.array(Rule),
    default: Output.nullable(),
    resolution: z
      .literal('confidence')
      .describe('among the rules that fire, the highest precision wins; ties by support, then by order'),
  })
  .strict();

export const DecisionTree = z.object({ kind: z.literal('tree'), root: TreeNode }).strict();

export const Surrogate = z.discriminatedUnion('kind', [DecisionList, RuleSetUnordered, DecisionTree]);

export const FeatureSchema = z.discriminatedUnion('type', [
  z.object({ name: featureName, type: z.literal('numeric') }).strict(),
  z.object({ name: featureName, type: z.literal('categorical'), categories: z.array(z.string()) }).strict(),
]);

export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string(), kind: z.literal('class'), classes: z.array(z.string()).min(1) }).strict(),
  z.object({ name: z.string(), kind: z.literal('regression') }).strict(),
]);

export const ModelIdentitySchema = z
  .object({ type: z.string(), source: z.string(), hash: z.string() })
  .strict();

export const Provenance = z
  .object({
    tool: z.string().describe('toolkit name and version, e.g. surrogate-distill@0.1.0'),
    method: z.string().describe('extractor or explainer, e.g. cart, trepan, lime, anchors'),
    options: z.record(z.string(), z.unknown()).describe("the method's options as used"),
    seed: z.number().int().nullable(),
    samples: z.number().int().min(0).nullable().describe('size of the model-labelled sample the rules were fit to'),
    data: z.string().nullable().describe('data source, e.g. a path or builtin:iris'),
    model: ModelIdentitySchema.nullable(),
    createdAt: z.string().describe('ISO 8601 time of extraction (SOURCE_DATE_EPOCH when set)'),
  })
  .strict();

export const FidelitySummary = z
  .object({
    data: z.string().describe('which rows it was measured on, e.g. "held-out 20% of builtin:iris"'),
    rows: z.number().int().min(0),
    metric: z.enum(['agreement', 'r2']),
    value: z.number(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    completeness: z.number().min(0).max(1).nullable(),
  })
  .strict();

export const Complexity = z
  .object({ rules: z.number().int().min(0), conditions: z.number().int().min(0), fidelity: z.number().nullable() })
  .strict();

export const RuleSetFile = z
  .object({
    format: z.literal(RULES_FORMAT),
    version: z.literal(RULES_VERSION),
    task: z.enum(['classification', 'regression']),
    schema: z.object({ features: z.array(FeatureSchema), target: TargetSchema }).strict(),
    surrogate: Surrogate,
    provenance: Provenance,
    fidelity: FidelitySummary.nullable(),
    simplification: z
      .object({
        before: Complexity,
        after: Complexity,
        note: z
          .string()
          .optional()
          .describe('what a size bound or simplification cost in fidelity, and why, in words (e.g. "the bound ... costs agreement with the network: 0.981 instead of 1.000")'),
      })
      .strict()
      .optional()
      .describe('size and sample fidelity before and after simplification or bounding'),
    statsOn: StatsOn.optional().describe('what the rules\' figures were counted on (absent in older files: `stats` then counts the extraction sample)'),
  })
  .strict()
  .describe('A surrogate-distill rule set: rules that apply to raw rows without the model');

export type DecisionListT = z.infer<typeof DecisionList>;
export type RuleSetUnorderedT = z.infer<typeof RuleSetUnordered>;
export type DecisionTreeT = z.infer<typeof DecisionTree>;
export type SurrogateT = z.infer<typeof Surrogate>;
export type ProvenanceT = z.infer<typeof Provenance>;
export type FidelitySummaryT = z.infer<typeof FidelitySummary>;
export type RuleSet = z.infer<typeof RuleSetFile>;
export type RuleT = z.infer<typeof Rule>;
/** Size and fidelity of a rule set before or after simplification. */
export type ComplexityT = z.infer<typeof Complexity>;
/** Same as {@link ComplexityT} (the contract's name for it). */
export type Complexity = ComplexityT;
