/**
 * Plain-data types of the CART tree learner (src/global/tree): its numeric input matrix and the
 * fitted tree it returns. Convert a fitted tree to the rule representation with
 * `treeToDecisionTree`, or walk its root-to-leaf paths with `treePaths`.
 */

/** One input column of a {@link TreeMatrix}. */
export interface TreeFeature {
  /** Column name, used when the tree is turned into rule conditions. */
  name: string;
  /** `numeric`: values are numbers; `categorical`: values are category codes `0..categories.length-1`. */
  kind: 'numeric' | 'categorical';
  /** Category names for `categorical` columns (code `i` is `categories[i]`). */
  categories?: string[];
}

/**
 * The learner's input: `n` rows stored column by column. Missing values are `NaN`; a missing value
 * never satisfies a split condition, so it always goes to the `no` (right) branch, as in the rule
 * representation.
 */
export interface TreeMatrix {
  n: number;
  features: TreeFeature[];
  /** One `Float64Array` of length `n` per feature. */
  columns: Float64Array[];
}

/** A split test: `x <= threshold` for numeric columns, `x ∈ categories` (codes) for categorical ones. */
export type TreeSplit =
  | { feature: number; kind: 'numeric'; threshold: number }
  | { feature: number; kind: 'categorical'; categories: number[] };

/** A node of a fitted tree. Internal nodes have `split`, `yes` (test holds) and `no` (the rest, missing included). */
export interface TreeNodeData {
  /** Creation order (0 = root); stable for a given input. */
  id: number;
  depth: number;
  /** Training rows reaching the node. */
  n: number;
  /** Their total sample weight. */
  weight: number;
  /** Node impurity under the tree's criterion (Gini, entropy in bits, or variance). */
  impurity: number;
  /** Classification: weighted class shares (sum 1). Regression: `[mean]`. */
  value: number[];
  /** Predicted class index (argmax of `value`, lowest index on ties) or the mean. */
  prediction: number;
  split?: TreeSplit;
  yes?: TreeNodeData;
  no?: TreeNodeData;
  /** Weighted impurity decrease of the split, as a share of the root's total weight. */
  gain?: number;
}

/** A tree fitted by `fitTree`. */
export interface FittedTree {
  task: 'classification' | 'regression';
  criterion: 'gini' | 'entropy' | 'variance';
  features: TreeFeature[];
  /** Number of classes (classification), 0 for regression. */
  nClasses: number;
  root: TreeNodeData;
}
