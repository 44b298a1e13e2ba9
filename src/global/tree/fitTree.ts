/**
 * CART (Breiman, Friedman, Olshen & Stone, 1984) over a column-major numeric matrix.
 *
 * Written by hand because ml-cart, the installed CART, re-splits the whole node for every
 * candidate threshold (quadratic or worse: 15 minutes for 20k rows × 20 features, see
 * bench/tree.ts) and lacks weights, entropy, categorical splits, best-first growth and pruning.
 *
 * Split search is exact and sort based: every numeric column is sorted once (an LSD radix sort of
 * the IEEE-754 bits), and each node keeps its rows as a contiguous, still sorted segment of every
 * column's order, with each row's value rank and label stored alongside so that the scan reads
 * memory sequentially; the segments are partitioned stably when the node is split. A node costs
 * O(rows × features); a tree O(rows × features × depth).
 */
import { InputError } from '../../util/errors.js';
import { pruneTree } from './pruneTree.js';
import type { FittedTree, TreeMatrix, TreeNodeData, TreeSplit } from './types.js';

/** Options of {@link fitTree}. */
export interface FitTreeOptions {
  /** Default `classification` (labels are class indices `0..nClasses-1`); `regression` fits values. */
  task?: 'classification' | 'regression';
  /** `gini` (default) or `entropy` for classification; `variance` for regression. */
  criterion?: 'gini' | 'entropy' | 'variance';
  /** Number of classes; default `max(label) + 1`. */
  nClasses?: number;
  /** Non-negative sample weights (default all 1). */
  weights?: ArrayLike<number>;
  /** Maximum depth (root = 0); default unlimited. */
  maxDepth?: number;
  /** Minimum rows in each leaf (default 1). */
  minSamplesLeaf?: number;
  /** Minimum rows a node needs to be split (default 2). */
  minSamplesSplit?: number;
  /** Maximum number of leaves; the tree then grows best-first (largest impurity decrease first). Default unlimited. */
  maxLeaves?: number;
  /** A split must decrease the weighted impurity by at least this share of the total weight (default 0). */
  minImpurityDecrease?: number;
  /** Cost-complexity pruning parameter α applied after growth (default 0: no pruning). */
  ccpAlpha?: number;
  /**
   * The rows of each numeric column of `X` in ascending order of value (missing last), as
   * {@link sortColumns} returns them: saves the sort when many trees are fitted to one matrix.
   */
  columnOrder?: readonly (Int32Array | null)[];
}

interface Candidate {
  node: TreeNodeData;
  start: number;
  end: number;
  split: TreeSplit;
  improvement: number;
}

const TOL = 1e-10;

/**
 * Fits a CART decision tree.
 *
 * Growth is best-first: the splittable node whose best split decreases the weighted impurity most
 * is split next (ties: the older node). Without `maxLeaves` every splittable node is split, so the
 * tree equals the depth-first one. Numeric splits are `x <= t` with `t` the midpoint between two
 * consecutive distinct values; categorical splits are `x ∈ S`, searched exactly for two classes and
 * for regression (categories ordered by class-1 share or by mean; Breiman's theorem) and, for more
 * classes, over the orderings by each class's share. Ties between equally good splits go to the
 * lower feature index, then the lower threshold. Missing values (`NaN`) always go to the `no` side.
 * A node is a leaf when it is pure, at `maxDepth`, smaller than `minSamplesSplit`, when no split
 * leaves `minSamplesLeaf` rows on each side, or when `maxLeaves` is reached.
 *
 * @param X the input matrix (see {@link TreeMatrix}; build it from rows with `rowsToTreeMatrix`)
 * @param y class indices or values, one per row
 * @param options see {@link FitTreeOptions}
 * @returns the fitted tree (plain data; see `predictTree`, `treeToDecisionTree`, `treePaths`)
 * @throws InputError on mismatched lengths, labels that are not class indices, negative weights or bad options
 *
 * @example
 * const X = { n: 4, features: [{ name: 'x', kind: 'numeric' }], columns: [Float64Array.of(1, 2, 3, 4)] };
 * const tree = fitTree(X, [0, 0, 1, 1]);
 * tree.root.split; // { feature: 0, kind: 'numeric', threshold: 2.5 }
 */
export function fitTree(X: TreeMatrix, y: ArrayLike<number>, options: FitTreeOptions = {}): FittedTree {
  const n = X.n;
  const d = X.features.length;
  const task = options.task ?? (options.criterion === 'variance' ? 'regression' : 'classification');
  const criterion = options.criterion ?? (task === 'regression' ? 'variance' : 'gini');
  if ((task === 'regression') !== (criterion === 'variance')) {
    throw new InputError(`criterion "${criterion}" does not fit task "${task}" (gini/entropy classify, variance regresses)`);
  }
  if (n < 1) throw new InputError('cannot fit a tree to 0 rows');
  if (y.length !== n) throw new InputError(`expected ${n} labels, got ${y.length}`);
  if (X.columns.length !== d) throw new InputError(`expected ${d} columns, got ${X.columns.length}`);
  for (let f = 0; f < d; f++) {
    if (X.columns[f].length !== n) throw new InputError(`column "${X.features[f].name}" has ${X.columns[f].length} values, expected ${n}`);
  }
  const maxDepth = positiveOr(options.maxDepth, Infinity, 'maxDepth', 0);
  const minLeaf = positiveOr(options.minSamplesLeaf, 1, 'minSamplesLeaf', 1);
  const minSplit = Math.max(positiveOr(options.minSamplesSplit, 2, 'minSamplesSplit', 2), 2 * minLeaf);
  const maxLeaves = positiveOr(options.maxLeaves, Infinity, 'maxLeaves', 1);
  const minDecrease = positiveOr(options.minImpurityDecrease, 0, 'minImpurityDecrease', 0);
  const ccpAlpha = positiveOr(options.ccpAlpha, 0, 'ccpAlpha', 0);

  // Weights and labels.
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const wi = options.weights ? options.weights[i] : 1;
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new InputError(`weight ${i} must be a finite number >= 0, got ${wi}`);
    w[i] = wi;
  }
  let K = 0;
  const lab = new Int32Array(n);
  const yv = new Float64Array(n);
  if (task === 'classification') {
    let maxLabel = -1;
    for (let i = 0; i < n; i++) {
      const c = y[i];
      if (!Number.isInteger(c) || c < 0) throw new InputError(`label ${i} must be a class index (integer >= 0), got ${c}`);
      lab[i] = c;
      if (c > maxLabel) maxLabel = c;
    }
    K = options.nClasses ?? maxLabel + 1;
    if (maxLabel >= K) throw new InputError(`label ${maxLabel} is out of range for ${K} classes`);
  } else {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) throw new InputError(`value ${i} must be a finite number, got ${y[i]}`);
      yv[i] = y[i];
    }
  }
  const S = task === 'classification' ? K : 3; // size of a node's statistics vector

  // Per numeric column: its distinct values in ascending order, and the rows sorted by value
  // (missing last) with their rank, label and weight stored alongside in sorted position, so that
  // the split scan reads memory sequentially.
  const unitWeights = !options.weights;
  const uniq: (Float64Array | null)[] = [];
  const order: (Int32Array | null)[] = [];
  const srank: (Int32Array | null)[] = [];
  const slab: (Int32Array | null)[] = [];
  const sy: (Float64Array | null)[] = [];
  const sw: (Float64Array | null)[] = [];
  const codes: (Int32Array | null)[] = [];
  const radix = new RadixSorter(n);
  for (let f = 0; f < d; f++) {
    const col = X.columns[f];
    const feat = X.features[f];
    if (feat.kind === 'categorical') {
      const C = feat.categories?.length ?? 0;
      const cd = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (Number.isNaN(v)) cd[i] = -1;
        else if (!Number.isInteger(v) || v < 0 || v >= C) {
          throw new InputError(`column "${feat.name}" row ${i}: category code ${v} is not in 0..${C - 1}`);
        } else cd[i] = v;
      }
      codes.push(cd);
      for (const arr of [uniq, order, srank, slab, sy, sw] as unknown[][]) arr.push(null);
      continue;
    }
    codes.push(null);
    const ord = options.columnOrder?.[f]?.slice() ?? radix.argsort(col); // a copy: splits partition it in place
    const rk = new Int32Array(n);
    const un: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = col[ord[i]];
      if (Number.isNaN(v)) {
        rk.fill(-1, i);
        break;
      }
      if (un.length === 0 || v !== un[un.length - 1]) un.push(v);
      rk[i] = un.length - 1;
    }
    uniq.push(Float64Array.from(un));
    order.push(ord);
    srank.push(rk);
    if (task === 'classification') {
      const l = new Int32Array(n);
      for (let i = 0; i < n; i++) l[i] = lab[ord[i]];
      slab.push(l);
      sy.push(null);
    } else {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = yv[ord[i]];
      sy.push(v);
      slab.push(null);
    }
    if (unitWeights) sw.push(null);
    else {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = w[ord[i]];
      sw.push(v);
    }
  }
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;

  // Scratch buffers.
  const L = new Float64Array(S);
  const R = new Float64Array(S);
  const goLeft = new Uint8Array(n);
  const tmp = new Int32Array(n);
  const scratch: Scratch = {
    id: new Int32Array(n),
    rk: new Int32Array(n),
    lab: new Int32Array(task === 'classification' ? n : 0),
    y: new Float64Array(task === 'regression' ? n : 0),
    w: new Float64Array(unitWeights ? 0 : n),
  };
  const xlog = (x: number) => (x > 0 ? x * Math.log2(x) : 0);
  // With unit weights, class counts are integers: x·log2(x) comes from a table (entropy only).
  let xlTable: Float64Array | null = null;
  if (unitWeights && criterion === 'entropy') {
    xlTable = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) xlTable[i] = i * Math.log2(i);
  }

  /** W × impurity of a statistics vector. */
  const impuritySum = (st: Float64Array): number => {
    if (task === 'regression') return st[0] > 0 ? st[2] - (st[1] * st[1]) / st[0] : 0;
    let W = 0;
    for (let c = 0; c < K; c++) W += st[c];
    if (W <= 0) return 0;
    let s = 0;
    if (criterion === 'gini') {
      for (let c = 0; c < K; c++) s += st[c] * st[c];
      return W - s / W;
    }
    for (let c = 0; c < K; c++) s += xlog(st[c]);
    return xlog(W) - s;
  };
  const weightOf = (st: Float64Array): number => {
    if (task === 'regression') return st[0];
    let W = 0;
    for (let c = 0; c < K; c++) W += st[c];
    return W;
  };
  const statsOf = (from: number, to: number): Float64Array => {
    const st = new Float64Array(S);
    for (let i = from; i < to; i++) {
      const s = idx[i];
      if (task === 'regression') {
        st[0] += w[s];
        st[1] += w[s] * yv[s];
        st[2] += w[s] * yv[s] * yv[s];
      } else st[lab[s]] += w[s];
    }
    return st;
  };

  let nextId = 0;
  let totalWeight = 0;
  const makeNode = (st: Float64Array, count: number, depth: number): TreeNodeData => {
    const W = weightOf(st);
    let value: number[];
    let prediction: number;
    if (task === 'regression') {
      prediction = W > 0 ? st[1] / W : 0;
      value = [prediction];
    } else {
      value = Array.from(st, (c) => (W > 0 ? c / W : 0));
      prediction = 0;
      for (let c = 1; c < K; c++) if (st[c] > st[prediction]) prediction = c;
    }
    return { id: nextId++, depth, n: count, weight: W, impurity: W > 0 ? impuritySum(st) / W : 0, value, prediction };
  };

  /** Best split of the node over rows [start, end), or null. */
  const findSplit = (start: number, end: number, st: Float64Array): { split: TreeSplit; improvement: number } | null => {
    const count = end - start;
    const parent = impuritySum(st);
    const Wtot = weightOf(st);
    const tol = TOL * Math.max(1, Wtot);
    let best = -Infinity;
    let bestSplit: TreeSplit | null = null;
    for (let f = 0; f < d; f++) {
      const ord = order[f];
      if (ord) {
        const rk = srank[f]!;
        const un = uniq[f]!;
        const wf = sw[f];
        L.fill(0);
        R.set(st);
        if (task === 'classification') {
          let WL = 0;
          let WR = Wtot;
          let aL = 0; // gini: sum of squares; entropy: sum of c log c
          let aR = 0;
          const gini = criterion === 'gini';
          for (let c = 0; c < K; c++) aR += gini ? st[c] * st[c] : xlog(st[c]);
          const lf = slab[f]!;
          for (let i = start; i < end; i++) {
            const r = rk[i];
            if (r < 0) break;
            const c = lf[i];
            const ws = wf ? wf[i] : 1;
            if (ws !== 0) {
              const lc = L[c];
              const rc = R[c];
              if (gini) {
                aL += (2 * lc + ws) * ws;
                aR += (ws - 2 * rc) * ws;
              } else if (xlTable) {
                aL += xlTable[lc + 1] - xlTable[lc];
                aR += xlTable[rc - 1] - xlTable[rc];
              } else {
                aL += xlog(lc + ws) - xlog(lc);
                aR += xlog(rc - ws) - xlog(rc);
              }
              L[c] = lc + ws;
              R[c] = rc - ws;
              WL += ws;
              WR -= ws;
            }
            const nl = i - start + 1;
            const r2 = i + 1 < end ? rk[i + 1] : -1;
            if (r2 === r) continue;
            if (nl < minLeaf) continue;
            if (count - nl < minLeaf) break;
            if (WL <= 0 || WR <= 0) continue;
            const child = gini
              ? WL - aL / WL + (WR - aR / WR)
              : xlTable
                ? xlTable[WL] - aL + (xlTable[WR] - aR)
                : xlog(WL) - aL + (xlog(WR) - aR);
            const imp = parent - child;
            if (imp > best + tol) {
              best = imp;
              bestSplit = { feature: f, kind: 'numeric', threshold: r2 >= 0 ? midpoint(un[r], un[r2]) : un[r] };
            }
          }
        } else {
          let WL = 0;
          let sL = 0;
          let qL = 0;
          let WR = st[0];
          let sR = st[1];
          let qR = st[2];
          const yf = sy[f]!;
          for (let i = start; i < end; i++) {
            const r = rk[i];
            if (r < 0) break;
            const ws = wf ? wf[i] : 1;
            const wy = ws * yf[i];
            const wyy = wy * yf[i];
            WL += ws;
            sL += wy;
            qL += wyy;
            WR -= ws;
            sR -= wy;
            qR -= wyy;
            const nl = i - start + 1;
            const r2 = i + 1 < end ? rk[i + 1] : -1;
            if (r2 === r) continue;
            if (nl < minLeaf) continue;
            if (count - nl < minLeaf) break;
            if (WL <= 0 || WR <= 0) continue;
            const child = qL - (sL * sL) / WL + (qR - (sR * sR) / WR);
            const imp = parent - child;
            if (imp > best + tol) {
              best = imp;
              bestSplit = { feature: f, kind: 'numeric', threshold: r2 >= 0 ? midpoint(un[r], un[r2]) : un[r] };
            }
          }
        }
        continue;
      }
      // Categorical column.
      const cd = codes[f]!;
      const C = X.features[f].categories?.length ?? 0;
      const cst = new Float64Array(C * S);
      const cn = new Int32Array(C);
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const k = cd[s];
        if (k < 0) continue;
        cn[k]++;
        if (task === 'regression') {
          cst[k * S] += w[s];
          cst[k * S + 1] += w[s] * yv[s];
          cst[k * S + 2] += w[s] * yv[s] * yv[s];
        } else cst[k * S + lab[s]] += w[s];
      }
      const present: number[] = [];
      for (let k = 0; k < C; k++) if (cn[k] > 0) present.push(k);
      if (present.length === 0) continue;
      const orderings: number[][] = [];
      const keyed = (key: (k: number) => number) =>
        present.slice().sort((a, b) => key(a) - key(b) || a - b);
      if (task === 'regression') {
        orderings.push(keyed((k) => (cst[k * S] > 0 ? cst[k * S + 1] / cst[k * S] : 0)));
      } else {
        const share = (k: number, c: number) => {
          let W = 0;
          for (let j = 0; j < K; j++) W += cst[k * S + j];
          return W > 0 ? cst[k * S + c] / W : 0;
        };
        if (K <= 2) orderings.push(keyed((k) => share(k, K - 1)));
        else for (let c = 0; c < K; c++) orderings.push(keyed((k) => -share(k, c)));
      }
      for (const ordk of orderings) {
        L.fill(0);
        let nl = 0;
        for (let j = 0; j < ordk.length; j++) {
          const k = ordk[j];
          for (let t = 0; t < S; t++) L[t] += cst[k * S + t];
          nl += cn[k];
          if (nl < minLeaf) continue;
          if (count - nl < minLeaf) break;
          for (let t = 0; t < S; t++) R[t] = st[t] - L[t];
          if (task === 'regression') {
            R[0] = Math.max(0, R[0]);
          } else for (let t = 0; t < S; t++) if (R[t] < 0) R[t] = 0;
          if (weightOf(L) <= 0 || weightOf(R) <= 0) continue;
          const imp = parent - impuritySum(L) - impuritySum(R);
          if (imp > best + tol) {
            best = imp;
            bestSplit = { feature: f, kind: 'categorical', categories: ordk.slice(0, j + 1).sort((a, b) => a - b) };
          }
        }
      }
    }
    if (!bestSplit) return null;
    return { split: bestSplit, improvement: Math.max(0, best) };
  };

  /** Stable partition of [start, end) of every order by goLeft; returns the left size. */
  const partition = (start: number, end: number, split: TreeSplit): number => {
    const col = X.columns[split.feature];
    let nl = 0;
    if (split.kind === 'numeric') {
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const g = col[s] <= split.threshold ? 1 : 0;
        goLeft[s] = g;
        nl += g;
      }
    } else {
      const inSet = new Uint8Array(X.features[split.feature].categories?.length ?? 0);
      for (const k of split.categories) inSet[k] = 1;
      const cd = codes[split.feature]!;
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const g = cd[s] >= 0 && inSet[cd[s]] ? 1 : 0;
        goLeft[s] = g;
        nl += g;
      }
    }
    stablePartition(idx, start, end, goLeft, tmp);
    for (let f = 0; f < d; f++) {
      const ord = order[f];
      if (!ord) continue;
      partitionSorted(ord, srank[f]!, slab[f], sy[f], sw[f], start, end, goLeft, scratch);
    }
    return nl;
  };

  const rootStats = statsOf(0, n);
  const root = makeNode(rootStats, n, 0);
  totalWeight = root.weight;
  if (totalWeight <= 0) throw new InputError('the sample weights sum to 0');

  const heap: Candidate[] = [];
  const consider = (node: TreeNodeData, start: number, end: number, st: Float64Array) => {
    if (node.depth >= maxDepth || node.n < minSplit || node.impurity <= 1e-12) return;
    const found = findSplit(start, end, st);
    if (!found) return;
    if (found.improvement + TOL * totalWeight < minDecrease * totalWeight) return;
    heapPush(heap, { node, start, end, split: found.split, improvement: found.improvement });
  };
  consider(root, 0, n, rootStats);
  let leaves = 1;
  while (heap.length > 0 && leaves < maxLeaves) {
    const cand = heapPop(heap);
    const { node, start, end, split } = cand;
    const nl = partition(start, end, split);
    const stL = statsOf(start, start + nl);
    const stR = statsOf(start + nl, end);
    node.split = split;
    node.gain = cand.improvement / totalWeight;
    node.yes = makeNode(stL, nl, node.depth + 1);
    node.no = makeNode(stR, end - start - nl, node.depth + 1);
    leaves++;
    consider(node.yes, start, start + nl, stL);
    consider(node.no, start + nl, end, stR);
  }

  const tree: FittedTree = { task, criterion, features: X.features.map((f) => ({ ...f })), nClasses: K, root };
  return ccpAlpha > 0 ? pruneTree(tree, ccpAlpha) : tree;
}

/** Stable partition of the row ids `a[start, end)` by `goLeft`: left rows first, order kept. */
function stablePartition(a: Int32Array, start: number, end: number, goLeft: Uint8Array, tmp: Int32Array): void {
  let l = start;
  let r = 0;
  for (let i = start; i < end; i++) {
    const s = a[i];
    if (goLeft[s]) a[l++] = s;
    else tmp[r++] = s;
  }
  a.set(tmp.subarray(0, r), l);
}

/** Scratch space for {@link partitionSorted}: the right side of a segment, one buffer per array. */
interface Scratch {
  id: Int32Array;
  rk: Int32Array;
  lab: Int32Array;
  y: Float64Array;
  w: Float64Array;
}

/** Stable partition of one sorted column's ids with their companions (rank, label or value, weight) in one pass. */
function partitionSorted(
  ord: Int32Array,
  rk: Int32Array,
  lab: Int32Array | null,
  yv: Float64Array | null,
  wv: Float64Array | null,
  start: number,
  end: number,
  goLeft: Uint8Array,
  t: Scratch,
): void {
  let l = start;
  let r = 0;
  for (let i = start; i < end; i++) {
    const s = ord[i];
    if (goLeft[s]) {
      ord[l] = s;
      rk[l] = rk[i];
      if (lab) lab[l] = lab[i];
      if (yv) yv[l] = yv[i];
      if (wv) wv[l] = wv[i];
      l++;
    } else {
      t.id[r] = s;
      t.rk[r] = rk[i];
      if (lab) t.lab[r] = lab[i];
      if (yv) t.y[r] = yv[i];
      if (wv) t.w[r] = wv[i];
      r++;
    }
  }
  ord.set(t.id.subarray(0, r), l);
  rk.set(t.rk.subarray(0, r), l);
  if (lab) lab.set(t.lab.subarray(0, r), l);
  if (yv) yv.set(t.y.subarray(0, r), l);
  if (wv) wv.set(t.w.subarray(0, r), l);
}

/**
 * The rows of every numeric column of `X` sorted by value (missing last; null for categorical
 * columns), for {@link FitTreeOptions.columnOrder}. The matrix must not change afterwards.
 *
 * @example
 * const columnOrder = sortColumns(X);
 * const trees = labelSets.map((y) => fitTree(X, y, { maxDepth: 4, columnOrder }));
 */
export function sortColumns(X: TreeMatrix): (Int32Array | null)[] {
  const radix = new RadixSorter(X.n);
  return X.columns.map((col, f) => (X.features[f].kind === 'numeric' ? radix.argsort(col) : null));
}

/**
 * Stable argsort of Float64 columns by an LSD radix sort over the IEEE-754 bits (eight 8-bit
 * passes), NaN last: O(n) per column where a comparison sort with a JS comparator is ~10 times slower.
 */
class RadixSorter {
  private readonly keys: Uint32Array[];
  private readonly ids: Int32Array[];
  private readonly count = new Int32Array(8 * 256);
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  constructor(private readonly n: number) {
    this.keys = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)]; // lo, hi (twice: source, target)
    this.ids = [new Int32Array(n), new Int32Array(n)];
  }

  argsort(col: Float64Array): Int32Array {
    const { n, f64, u32, count } = this;
    let [lo, hi, lo2, hi2] = this.keys;
    let [id, id2] = this.ids;
    const nans: number[] = [];
    count.fill(0);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (Number.isNaN(v)) {
        nans.push(i);
        continue;
      }
      f64[0] = v === 0 ? 0 : v; // -0 sorts with +0
      let h = u32[1];
      let l = u32[0];
      if (h & 0x80000000) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      } else h = (h | 0x80000000) >>> 0;
      hi[m] = h;
      lo[m] = l;
      id[m] = i;
      m++;
      count[l & 0xff]++;
      count[256 + ((l >>> 8) & 0xff)]++;
      count[512 + ((l >>> 16) & 0xff)]++;
      count[768 + (l >>> 24)]++;
      count[1024 + (h & 0xff)]++;
      count[1280 + ((h >>> 8) & 0xff)]++;
      count[1536 + ((h >>> 16) & 0xff)]++;
      count[1792 + (h >>> 24)]++;
    }
    for (let pass = 0; pass < 8; pass++) {
      const base = pass * 256;
      // Skip a pass in which every key has the same byte (common: integer-valued data, narrow ranges).
      let skip = false;
      for (let k = 0; k < 256; k++) if (count[base + k] === m) skip = true;
      if (skip) continue;
      let sum = 0;
      for (let k = 0; k < 256; k++) {
        const c = count[base + k];
        count[base + k] = sum;
        sum += c;
      }
      const shift = (pass % 4) * 8;
      const key = pass < 4 ? lo : hi;
      for (let i = 0; i < m; i++) {
        const p = count[base + ((key[i] >>> shift) & 0xff)]++;
        id2[p] = id[i];
        lo2[p] = lo[i];
        hi2[p] = hi[i];
      }
      [id, id2] = [id2, id];
      [lo, lo2] = [lo2, lo];
      [hi, hi2] = [hi2, hi];
    }
    const out = new Int32Array(n);
    out.set(id.subarray(0, m));
    for (let j = 0; j < nans.length; j++) out[m + j] = nans[j];
    return out;
  }
}

/** Midpoint of two consecutive distinct values, kept strictly below `b` (sklearn's rule for adjacent floats). */
function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2;
  return m >= b || m < a ? a : m;
}

function positiveOr(v: number | undefined, dflt: number, name: string, min: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min) throw new InputError(`${name} must be a number >= ${min}, got ${v}`);
  return v;
}

function better(a: Candidate, b: Candidate): boolean {
  return a.improvement > b.improvement || (a.improvement === b.improvement && a.node.id < b.node.id);
}

function heapPush(h: Candidate[], c: Candidate): void {
  h.push(c);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!better(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function heapPop(h: Candidate[]): Candidate {
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && better(h[l], h[m])) m = l;
      if (r < h.length && better(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
  return top;
}
