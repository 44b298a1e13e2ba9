/**
 * The working representation of CRED/DeepRED: conjunctions of literals on one layer with the
 * sample rows they cover (as bit sets, so that a product, a support or a precision costs
 * O(rows / 32)), and the per-class DNFs read off a tree fitted on that layer.
 *
 * A hidden layer's literals are threshold terms `h_j > t` / `h_j <= t` on its units; the input
 * layer's literals are conditions on the original columns (`x <= t`, `x > t`, `c IN {...}`,
 * `c NOT IN {...}`), because its trees are fitted on the original columns rather than on the
 * network's encoding: the same splits for numbers (standardising is monotone), thresholds in raw
 * units, and one split over a category set where the one-hot encoding needs one per category.
 */
import type { Feature } from '../../data/types.js';
import { evalCondition, featureIndex } from '../../rules/evaluate.js';
import { negateCondition } from '../../rules/negateCondition.js';
import type { ConditionT } from '../../rules/schema.js';
import { andRows, fullRowSet, rowSetWhere, type RowSet } from '../../util/bitset.js';
import { fitTree, mergeEqualLeaves, rowsToTreeMatrix, sortColumns, splitToCondition, treePaths, type TreeMatrix, type TreePathStep } from '../tree/index.js';
import { mergeConjunction, type Decomposition } from '../decompositional/index.js';

/** A threshold test on unit `unit` of a hidden layer. */
export interface Term {
  unit: number;
  greater: boolean;
  threshold: number;
}

/** A conjunction of literals on one layer, with the sample rows where every literal holds. */
export interface Conj<L> {
  lits: L[];
  rows: RowSet;
}

/** The tree settings of the search. */
export interface TreeSettings {
  maxDepth: number;
  minSamplesLeaf: number;
}

/**
 * One layer as the search sees it: the rows of its literals (cached), how literals combine, and
 * trees fitted on its values.
 */
export abstract class Layer<L> {
  private readonly cache = new Map<string, RowSet>();
  private order: (Int32Array | null)[] | null = null;
  /** The rows trees are fitted on: all of `matrix`, or the subset `fitRows`. */
  private readonly fitMatrix: TreeMatrix;
  /** Every sample row. */
  readonly everyRow: RowSet;

  constructor(
    /** The layer's values as a tree matrix (sample rows). */
    readonly matrix: TreeMatrix,
    /** Sample rows the trees are fitted on (ascending), or null for all. */
    private readonly fitRows: Int32Array | null,
  ) {
    this.everyRow = fullRowSet(matrix.n);
    this.fitMatrix = fitRows ? { n: fitRows.length, features: matrix.features, columns: matrix.columns.map((c) => Float64Array.from(fitRows, (r) => c[r])) } : matrix;
  }

  /** A literal as a cache key. */
  abstract litKey(l: L): string;
  /** Whether the literal holds on sample row `r`. */
  protected abstract holds(l: L): (r: number) => boolean;
  /** The literals of one step of a tree path. */
  protected abstract stepLiteral(s: TreePathStep): L;
  /** The tightest equivalent conjunction (literals in a canonical order); null when it can never hold. */
  abstract merge(lits: readonly L[]): L[] | null;

  /** A conjunction's literals as a key (merged literals are in canonical order). */
  key(lits: readonly L[]): string {
    return lits.map((l) => this.litKey(l)).join('&');
  }

  /** Sample rows where `l` holds. */
  rowsOf(l: L): RowSet {
    const key = this.litKey(l);
    let s = this.cache.get(key);
    if (!s) {
      s = rowSetWhere(this.matrix.n, this.holds(l));
      this.cache.set(key, s);
    }
    return s;
  }

  /** Sample rows where every literal holds. */
  rowsOfAll(lits: readonly L[]): RowSet {
    let s = this.everyRow;
    for (const l of lits) s = andRows(s, this.rowsOf(l));
    return s;
  }

  /**
   * Per class, the DNF of a tree fitted on this layer's values to `y` (one label per sample row;
   * the tree sees the rows of `fitRows`): paths ending in a leaf of that class, sibling leaves of
   * one class merged first, each conjunction with its rows among all sample rows.
   */
  treeDnf(y: ArrayLike<number>, nClasses: number, tree: TreeSettings): Conj<L>[][] {
    // the columns are sorted once per layer, for all the trees fitted on it
    this.order ??= sortColumns(this.fitMatrix);
    const rows = this.fitRows;
    const fitted = mergeEqualLeaves(
      fitTree(this.fitMatrix, rows ? Int32Array.from(rows, (r) => y[r]) : y, { criterion: 'entropy', maxDepth: tree.maxDepth, minSamplesLeaf: tree.minSamplesLeaf, nClasses, columnOrder: this.order }),
    );
    const out: Conj<L>[][] = Array.from({ length: nClasses }, () => []);
    for (const p of treePaths(fitted)) {
      const lits = this.merge(p.steps.map((s) => this.stepLiteral(s)));
      if (lits) out[p.leaf.prediction].push({ lits, rows: this.rowsOfAll(lits) });
    }
    return out;
  }
}

/** A hidden layer (`layer` ≥ 1 in `d.activations`): literals are thresholds on its units. */
export class HiddenLayer extends Layer<Term> {
  constructor(
    d: Decomposition,
    readonly layer: number,
    fitRows: Int32Array | null,
  ) {
    const acts = d.activations[layer];
    const n = d.sample.length;
    const width = acts.length / Math.max(1, n);
    const columns = Array.from({ length: width }, (_, j) => {
      const c = new Float64Array(n);
      for (let r = 0; r < n; r++) c[r] = acts[r * width + j];
      return c;
    });
    super({ n, features: columns.map((_, j) => ({ name: `${layer}:${j}`, kind: 'numeric' as const })), columns }, fitRows);
  }

  litKey(t: Term): string {
    return `${t.unit}${t.greater ? '>' : '<='}${t.threshold}`;
  }

  protected holds(t: Term): (r: number) => boolean {
    const col = this.matrix.columns[t.unit];
    return t.greater ? (r) => col[r] > t.threshold : (r) => col[r] <= t.threshold;
  }

  protected stepLiteral(s: TreePathStep): Term {
    if (s.split.kind !== 'numeric') throw new Error('deepred: unexpected categorical split on a hidden layer');
    // the tree's split is `h <= t`: it holds on the yes side
    return { unit: s.split.feature, greater: !s.holds, threshold: s.split.threshold };
  }

  /** Tightest bounds per unit (sorted by unit, lower bound first); null when they cross. */
  merge(terms: readonly Term[]): Term[] | null {
    const bounds = new Map<number, { low: number; high: number }>();
    for (const t of terms) {
      const b = bounds.get(t.unit) ?? { low: -Infinity, high: Infinity };
      if (t.greater) b.low = Math.max(b.low, t.threshold);
      else b.high = Math.min(b.high, t.threshold);
      bounds.set(t.unit, b);
    }
    const out: Term[] = [];
    for (const unit of [...bounds.keys()].sort((a, b) => a - b)) {
      const b = bounds.get(unit)!;
      if (b.low >= b.high) return null;
      if (b.low > -Infinity) out.push({ unit, greater: true, threshold: b.low });
      if (b.high < Infinity) out.push({ unit, greater: false, threshold: b.high });
    }
    return out;
  }
}

/** The input layer: literals are conditions on the original columns of the sample rows. */
export class InputLayer extends Layer<ConditionT> {
  private readonly index: ReadonlyMap<string, number>;
  private readonly features: readonly Feature[];

  constructor(
    private readonly d: Decomposition,
    fitRows: Int32Array | null,
  ) {
    super(rowsToTreeMatrix(d.sample, d.features), fitRows);
    this.features = d.features;
    this.index = featureIndex({ features: d.features });
  }

  litKey(c: ConditionT): string {
    return JSON.stringify(c);
  }

  protected holds(c: ConditionT): (r: number) => boolean {
    return (r) => evalCondition(c, this.d.sample[r], this.index);
  }

  protected stepLiteral(s: TreePathStep): ConditionT {
    const yes = splitToCondition(s.split, this.matrix);
    return s.holds ? yes : negateCondition(yes);
  }

  /**
   * Conditions merged per column (`mergeConjunction`), in the schema's column order; an interval
   * stays two literals (`x > low`, `x <= high`) so that pruning can drop either bound.
   */
  merge(conds: readonly ConditionT[]): ConditionT[] | null {
    const merged = mergeConjunction(conds, this.features);
    if (!merged) return null;
    const col = (c: ConditionT) => (c.type === 'mofn' ? -1 : this.index.get(c.feature)!);
    return merged
      .sort((a, b) => col(a) - col(b))
      .flatMap((c): ConditionT[] =>
        c.type === 'interval' && c.low !== null && c.high !== null
          ? [
              { type: 'gt', feature: c.feature, threshold: c.low },
              { type: 'le', feature: c.feature, threshold: c.high },
            ]
          : [c],
      );
  }
}
