/**
 * The plain data a report is built from. {@link renderReport} turns a {@link ReportInput} into one
 * self-contained HTML page; {@link buildReport} gathers it from live objects (a model, a dataset,
 * rule sets, explanations). Everything here is JSON-serialisable, so a report can be rebuilt from
 * saved files and tested with hand-made inputs.
 */
import type { ModelIdentity } from '../model/types.js';
import type { CounterfactualT } from '../local/schema.js';
import type { RuleSet } from '../rules/schema.js';

/** The black box being explained. */
export interface ReportModel {
  identity: ModelIdentity;
  /** Compute backend or engine (`wasm`, `onnxruntime`, ...). */
  backend: string;
  task: 'classification' | 'regression';
  /** Class names in output order (classification). */
  classes?: string[];
  /** Extra facts shown as a key/value list, e.g. `{ 'test accuracy': '0.967' }`. */
  facts?: Record<string, string | number>;
}

/** Summary of one column of the data. */
export type ReportFeature =
  | { name: string; type: 'numeric'; min: number | null; max: number | null; mean: number | null; missing: number }
  | { name: string; type: 'categorical'; categories: string[]; missing: number };

/** Summary of the dataset the model and surrogates were evaluated on. */
export interface ReportData {
  source: string;
  /** What these rows are, e.g. "held-out 20% of builtin:iris". */
  description?: string;
  rows: number;
  features: ReportFeature[];
  /** Target column; `counts` gives rows per class (classification). */
  target?: { name: string; kind: 'class' | 'regression'; counts?: Record<string, number> };
}

/** How well a rule set matches the model, as measured on some rows. */
export interface ReportScore {
  /** Which rows, e.g. "held-out 20% of builtin:iris". */
  data: string;
  rows: number;
  /** Agreement with the model's labels (classification) or R² against its outputs (regression). */
  fidelity: { metric: 'agreement' | 'r2'; value: number; ci95: [number, number] | null };
  /** Share of rows some rule covers (the default rule excluded); null when not measured. */
  completeness: number | null;
  /** The surrogate's accuracy against the true labels, when the data has them. */
  accuracy?: number | null;
  /** The surrogate's macro-averaged F1 against the true labels. */
  macroF1?: number | null;
  /** Share of rows covered by more than one rule (unordered sets). */
  overlap?: number | null;
  complexity: { rules: number; conditions: number; meanConditions?: number; maxConditions?: number; features?: number };
  /**
   * Classification: the rule set against the network, `matrix[m][s]` rows the network puts in
   * class m and the rule set in class s; `noPrediction[m]` rows of network class m no rule decides.
   */
  confusion?: { classes: string[]; matrix: number[][]; noPrediction: number[] };
}

/** A node of a tree diagram: its text lines and, for leaves, the class (for the colour). */
export interface TreeDiagramNode {
  lines: string[];
  leaf: boolean;
  /** Class name of a leaf (classification); colours the leaf. */
  cls?: string;
  /** Edge from the parent: the parent's condition holds (`yes`) or not (`no`). */
  edge?: 'yes' | 'no';
  children?: [TreeDiagramNode, TreeDiagramNode];
}

/** A global surrogate with its score and its readable text. */
export interface ReportRuleSet {
  /** Heading, e.g. "cart" or a file name. */
  name: string;
  ruleSet: RuleSet;
  /** Null when not measured (the rule set's own `fidelity` field is shown instead if present). */
  score: ReportScore | null;
  /** The rules as plain text (renderRuleSet); shown verbatim. */
  text: string;
  /** For decision trees: the tree with readable node labels (see treeDiagram), drawn as a diagram. */
  diagram?: TreeDiagramNode;
}

/** One weighted interpretable feature of a LIME explanation. */
export interface ReportCondition {
  /** Readable condition, e.g. "petal_width > 1.75" or "island = Biscoe". */
  condition: string;
  weight: number;
}

/** One column's attribution. */
export interface ReportAttribution {
  feature: string;
  value: string | number | null;
  attribution: number;
}

/** Faithfulness of an explanation to the model at its row (see the explanation format). */
export interface ReportFaithfulness {
  /** Sensitivity-n correlations, per subset size n. */
  sensitivityN: { n: number; correlation: number | null }[];
  /** Deletion-curve area, beside the same for random orders (lower than random: the ranking found what matters). */
  deletion: { auc: number; randomAuc: number } | null;
  /** Rule explanations: precision with its interval and coverage. */
  precision?: { value: number; ci95: [number, number] | null; samples: number };
  coverage?: number;
}

/**
 * A local explanation of one row by one method (the per-row part of the explanation file). What
 * it shows depends on what it holds: weighted conditions (LIME), a rule (Anchors), or per-column
 * attributions (SHAP, gradients...).
 */
export interface ReportExplanation {
  /** Index of the explained row in the data. */
  row: number;
  method: string;
  /** Class whose output is explained (classification). */
  class?: string;
  /** The model's predicted class, when it differs from `class`. */
  predictedClass?: string;
  /** The model's output explained (probability of `class`, or the value). */
  prediction: number | null;
  /** The reference output the attributions start from. */
  base: number | null;
  /** Per column, strongest first (empty for rules). */
  attributions: ReportAttribution[];
  /** LIME: its weighted conditions and local fit. */
  conditions?: ReportCondition[];
  surrogate?: { intercept: number; localPrediction: number; r2: number; fidelity: { r2: number | null; agreement: number | null; samples: number } | null };
  /** Rules: the rule set, its conditions as text, and whether it reached its precision threshold. */
  rule?: { ruleSet: RuleSet; conditions: string[]; confident: boolean };
  exact?: boolean;
  completenessGap?: number;
  faithfulness: ReportFaithfulness | null;
  /** Counterfactuals: the nearest row of the wanted class and what changed (null: none found). */
  counterfactual?: CounterfactualT | null;
  notes?: string[];
}

/**
 * A global view from the local explanations of one attribution method over several rows: mean
 * |attribution| per column with its bootstrap interval, and every row's attribution beside the
 * row's value (a strip plot).
 */
export interface ReportImportance {
  method: string;
  /** Explanations summarised. */
  rows: number;
  /** What they explain, e.g. "class virginica" or "each row's explained class". */
  explains: string;
  /** Strongest first. */
  features: { feature: string; meanAbs: number; ci95: [number, number] | null }[];
  /** One per explained row and column: the attribution and the row's value of the column. */
  points: { feature: string; row: number; attribution: number; value: string | number | null }[];
}

/** Stability of a method's output across seeds or resamples, where measured. */
export interface ReportStability {
  method: string;
  /** What was measured, e.g. "mean Jaccard of top-5 features across 5 seeds". */
  measure: string;
  value: number;
  detail?: string;
}

/** What the report says of an explained row besides its values. */
export interface ReportRowInfo {
  /** How the row is named for the reader: its id, or its row number in its file. */
  id: string;
  /** The true label or value, when the data has one (null: missing). */
  truth?: string | number | null;
  /** Why the row was chosen, e.g. "most confident yes (0.981)". */
  reason?: string;
}

/** A step of the run that failed: what it was and the error. */
export interface ReportFailure {
  step: string;
  message: string;
}

/** Everything a report shows. */
export interface ReportInput {
  /** Page title; default "Surrogate report". */
  title?: string;
  /** Tool and version, e.g. surrogate-distill@0.1.0. */
  tool: string;
  /** ISO time of creation (SOURCE_DATE_EPOCH when set, for reproducible files). */
  createdAt: string;
  seed: number | null;
  model: ReportModel;
  data: ReportData;
  ruleSets: ReportRuleSet[];
  /** Local explanations, row by row. */
  explanations: ReportExplanation[];
  /** Per attribution method with several explained rows: its summary over them. */
  importance?: ReportImportance[];
  stability: ReportStability[];
  /** The feature values of explained rows, by row index, shown beside each explanation. */
  rows?: Record<number, { feature: string; value: string | number | null }[]>;
  /** Per explained row: its id, true label and why it was chosen. */
  rowInfo?: Record<number, ReportRowInfo>;
  /** Methods that failed while the report was made (the rest of it was made without them). */
  failures?: ReportFailure[];
  /** Methods left out because they do not apply to this model, with the reason. */
  skipped?: { step: string; reason: string }[];
}
