/**
 * Boolean expressions built from M-of-N tests, as MofN composes them: a unit is "at least m of
 * these literals", a layer's literals are the units below, and substituting down to the inputs
 * gives nested M-of-N tests over conditions on the original columns. AND is n-of-n, OR is 1-of-n,
 * and negation pushes down exactly: NOT (at least m of n) = at least n-m+1 of the negations.
 * Written by hand: the rule format's M-of-N algebra is specific to this toolkit.
 */
import type { Feature } from '../../data/types.js';
import type { AtomicConditionT, ConditionT } from '../../rules/schema.js';
import { mergeConjunction } from '../decompositional/merge-conjunction.js';
import { negateCondition } from '../../rules/negateCondition.js';

/** A constant, a unit of the layer below (`i`, possibly negated), a raw-column test, or an M-of-N. */
export type MofNExpr =
  | { k: 'const'; value: boolean }
  | { k: 'var'; i: number; pos: boolean }
  | { k: 'lit'; c: AtomicConditionT }
  | { k: 'mofn'; m: number; items: MofNExpr[] };

export const TRUE: MofNExpr = { k: 'const', value: true };
export const FALSE: MofNExpr = { k: 'const', value: false };

/** `at least m of items` (not simplified). */
export function atLeast(m: number, items: MofNExpr[]): MofNExpr {
  return { k: 'mofn', m, items };
}

/** Negation of an atomic condition, for the tests MofN produces (rows without missing values). */
export function negateAtomic(c: AtomicConditionT): AtomicConditionT {
  if (c.type === 'interval') throw new Error('negateAtomic: intervals do not occur in M-of-N expressions');
  return negateCondition(c) as AtomicConditionT;
}

/**
 * Exact negation: constants flip, literals negate, and NOT (at least m of n items) becomes at
 * least n-m+1 of the negated items.
 *
 * @example
 * negateExpr(atLeast(2, [a, b, c])); // at least 2 of (NOT a, NOT b, NOT c)
 */
export function negateExpr(e: MofNExpr): MofNExpr {
  if (e.k !== 'mofn') return negateNode(e);
  let n = negated.get(e);
  if (!n) {
    negated.set(e, (n = negateNode(e)));
    negated.set(n, e);
  }
  return n;
}

/** Each M-of-N object's negation (a unit used negated in many places is negated once). */
const negated = new WeakMap<MofNExpr, MofNExpr>();

function negateNode(e: MofNExpr): MofNExpr {
  switch (e.k) {
    case 'const':
      return { k: 'const', value: !e.value };
    case 'var':
      return { k: 'var', i: e.i, pos: !e.pos };
    case 'lit':
      return { k: 'lit', c: negateAtomic(e.c) };
    case 'mofn':
      return { k: 'mofn', m: e.items.length - e.m + 1, items: e.items.map(negateExpr) };
  }
}

/** Replaces every `var` leaf by `units[i]` (or its negation). */
export function substituteExpr(e: MofNExpr, units: readonly MofNExpr[]): MofNExpr {
  switch (e.k) {
    case 'const':
    case 'lit':
      return e;
    case 'var':
      return e.pos ? units[e.i] : negateExpr(units[e.i]);
    case 'mofn':
      return { k: 'mofn', m: e.m, items: e.items.map((x) => substituteExpr(x, units)) };
  }
}

/**
 * Structural identity of expressions, for finding repeated members: equal expressions get the
 * same short key (`M2[17,18]`), built from the ids of their members, so comparing large composed
 * expressions costs their number of members, not their size. Ids are never reused; the table of
 * known keys is dropped when it grows large (equal expressions met after that get new ids, which
 * only means fewer repeats found).
 */
const idOf = new WeakMap<MofNExpr, number>();
let knownKeys = new Map<string, number>();
let nextId = 0;
function key(e: MofNExpr): string {
  switch (e.k) {
    case 'const':
      return e.value ? 'T' : 'F';
    case 'var':
      return `${e.pos ? 'v' : '~v'}${e.i}`;
    case 'lit':
      return JSON.stringify(e.c);
    case 'mofn':
      return `M${e.m}[${e.items.map(id).join(',')}]`;
  }
}
function id(e: MofNExpr): number {
  let v = idOf.get(e);
  if (v !== undefined) return v;
  const k = key(e);
  v = knownKeys.get(k);
  if (v === undefined) {
    if (knownKeys.size > 1_000_000) knownKeys = new Map();
    knownKeys.set(k, (v = nextId++));
  }
  idOf.set(e, v);
  return v;
}
const isAnd = (e: MofNExpr) => e.k === 'mofn' && e.m === e.items.length;
const isOr = (e: MofNExpr) => e.k === 'mofn' && e.m === 1;

/** Literals of one cluster of equal weights, for {@link readUnit}. */
export interface ThresholdCluster {
  weight: number;
  literals: { i: number; pos: boolean }[];
}

/** The unit as OR over minimal count vectors of AND over clusters of "at least v_k of cluster k". */
export function readUnit(clusters: readonly ThresholdCluster[], threshold: number): MofNExpr {
  if (threshold < 0) return TRUE;
  const total = clusters.reduce((s, c) => s + c.weight * c.literals.length, 0);
  if (total <= threshold) return FALSE;
  const single = singleMofN(clusters, threshold);
  if (single !== null) return atLeast(single, clusters.flatMap((c) => c.literals.map((l): MofNExpr => ({ k: 'var', i: l.i, pos: l.pos }))));
  const terms: MofNExpr[] = [];
  const v = new Array<number>(clusters.length).fill(0);
  const visit = (k: number, sum: number) => {
    if (k === clusters.length) {
      if (sum <= threshold) return;
      for (let j = 0; j < clusters.length; j++) if (v[j] > 0 && sum - clusters[j].weight > threshold) return; // not minimal
      const conj = clusters.flatMap((c, j) =>
        v[j] > 0 ? [atLeast(v[j], c.literals.map((l): MofNExpr => ({ k: 'var', i: l.i, pos: l.pos })))] : [],
      );
      terms.push(conj.length === 1 ? conj[0] : atLeast(conj.length, conj));
      return;
    }
    for (let c = 0; c <= clusters[k].literals.length; c++) {
      v[k] = c;
      visit(k + 1, sum + c * clusters[k].weight);
    }
    v[k] = 0;
  };
  visit(0, 0);
  return terms.length === 1 ? terms[0] : atLeast(1, terms);
}

/**
 * `m` when the unit, over every count vector, is on exactly when at least `m` of all its literals
 * hold (whatever cluster they are in): then several clusters still read as one M-of-N test.
 */
function singleMofN(clusters: readonly ThresholdCluster[], threshold: number): number | null {
  if (clusters.length < 2) return null;
  let m: number | null = null;
  const onAt: boolean[][] = []; // per total count: the states seen
  const v = new Array<number>(clusters.length).fill(0);
  const visit = (k: number, sum: number, count: number) => {
    if (k === clusters.length) {
      (onAt[count] ??= []).push(sum > threshold);
      return;
    }
    for (let c = 0; c <= clusters[k].literals.length; c++) {
      v[k] = c;
      visit(k + 1, sum + c * clusters[k].weight, count + c);
    }
  };
  visit(0, 0, 0);
  for (let count = 0; count < onAt.length; count++) {
    const states = onAt[count];
    if (states.some((s) => s !== states[0])) return null; // the count alone does not decide
    if (states[0] && m === null) m = count;
    if (!states[0] && m !== null) return null; // not monotone in the count
  }
  return m === null || m === 0 ? null : m;
}

/**
 * An equivalent, smaller expression (on rows without missing values), cleaned literal by literal:
 * - constants folded; a test no value of its column can fail (or pass) given the schema's
 *   categories is true (false): `veil_type != p` where `p` is the only category;
 * - nested ANDs and ORs flattened, repeated members of an AND or OR dropped, the atomic members of
 *   an AND merged per column (contradictions become false);
 * - the tests of one column inside an M-of-N rewritten as nested value sets, "the column counts
 *   t times where its value is in S_t": tests that cannot hold together join into one `IN`
 *   (`a = 2`, `a = 3` -> `a != 1`), `cap_shape IN {b, c}` and `cap_shape NOT IN {f, k, s, x}` are
 *   one test counted twice, `x OR NOT x` is true; numeric tests likewise when their count is
 *   monotone in the value;
 * - members repeated in an M-of-N counted by weight: all repeated k times gives at least
 *   ceil(m/k) of the distinct members, unequal repeats the exact threshold expression when that
 *   is not larger (else the repeats stay: they are what the count means);
 * - a test on a two-category column said of its first category (`smiling = 2` -> `smiling != 1`),
 *   any other categorical test in its shortest form (`=`, `!=`, `IN`, `NOT IN`).
 *
 * @param features the schema's features (categories for merging)
 * @example
 * simplifyExpr(atLeast(2, [eq('a', '2'), eq('a', '3'), eq('b', '1'), eq('c', '1')]), feats);
 * // at least 2 of (a != 1, b = 1, c = 1)
 */
export function simplifyExpr(e: MofNExpr, features: readonly Feature[]): MofNExpr {
  if (e.k === 'lit') return canonicalLiteral(e, features);
  if (e.k !== 'mofn') return e;
  // composed expressions share their units' subexpressions: simplify each object once
  let memo = simplified.get(features);
  if (!memo) simplified.set(features, (memo = new WeakMap()));
  const known = memo.get(e);
  if (known) return known;
  const out = simplifyNode(
    e.m,
    e.items.map((x) => simplifyExpr(x, features)),
    features,
    3,
  );
  memo.set(e, out);
  memo.set(out, out);
  return out;
}

/** Per schema, each expression object's simplified form (and each result's own). */
const simplified = new WeakMap<readonly Feature[], WeakMap<MofNExpr, MofNExpr>>();

/** `at least m of items` over simplified items; `passes` bounds the re-simplification after a rewrite. */
function simplifyNode(m0: number, items0: MofNExpr[], features: readonly Feature[], passes: number): MofNExpr {
  let items = items0;
  let m = m0 - items.filter((x) => x.k === 'const' && x.value).length;
  items = items.filter((x) => x.k !== 'const');
  if (m <= 0) return TRUE;
  if (m > items.length) return FALSE;
  if (items.length === 1) return items[0];
  const and = m === items.length;
  const or = m === 1;
  if (and || or) {
    items = items.flatMap((x) => (x.k === 'mofn' && (and ? isAnd(x) : isOr(x)) ? x.items : [x]));
    const seen = new Set<string>();
    items = items.filter((x) => {
      const k = String(id(x));
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (and) m = items.length;
  }
  if (and) {
    const lits = items.filter((x): x is Extract<MofNExpr, { k: 'lit' }> => x.k === 'lit').map((x) => x.c);
    const merged = mergeConjunction(lits, features);
    if (merged === null) return FALSE;
    const rest = items.filter((x) => x.k !== 'lit');
    items = [...(merged as AtomicConditionT[]).map((c) => canonicalLiteral({ k: 'lit', c }, features)), ...rest];
    items = items.filter((x) => !(x.k === 'const' && x.value));
    if (items.some((x) => x.k === 'const')) return FALSE;
    if (items.length === 0) return TRUE;
    if (items.length === 1) return items[0];
    return { k: 'mofn', m: items.length, items };
  }
  const levels = columnLevels(items, m, features);
  items = levels.items;
  m = levels.m;
  if (m <= 0) return TRUE;
  if (m > items.length) return FALSE;
  if (items.length === 1) return items[0];
  // repeated members count by weight
  const distinct = new Map<string, { item: MofNExpr; count: number }>();
  for (const x of items) {
    const k = String(id(x));
    const g = distinct.get(k);
    if (g) g.count++;
    else distinct.set(k, { item: x, count: 1 });
  }
  const groups = [...distinct.values()];
  if (groups.length < items.length) {
    const counts = new Set(groups.map((g) => g.count));
    if (counts.size === 1) {
      const k = groups[0].count;
      return passes > 0 ? simplifyNode(Math.ceil(m / k), groups.map((g) => g.item), features, passes - 1) : { k: 'mofn', m: Math.ceil(m / k), items: groups.map((g) => g.item) };
    }
    const byCount = new Map<number, number[]>();
    groups.forEach((g, i) => byCount.set(g.count, [...(byCount.get(g.count) ?? []), i]));
    const clusters = [...byCount.entries()].map(([weight, is]) => ({ weight, literals: is.map((i) => ({ i, pos: true })) }));
    const expr = substituteExpr(readUnit(clusters, m - 0.5), groups.map((g) => g.item));
    const read = passes > 0 ? simplifyExpr(expr, features) : expr;
    // the threshold read out repeats members across its terms: keep it only when not larger
    if (exprSize(read) <= items.reduce((a, x) => a + exprSize(x), 0)) return read;
  }
  if ((m === items.length || m === 1) && passes > 0 && (m !== m0 || items.length !== items0.length)) return simplifyNode(m, items, features, passes - 1);
  return { k: 'mofn', m, items };
}

/** Allowed categories of a categorical test on a column with categories `cats`. */
function allowedOf(c: AtomicConditionT, cats: readonly string[]): string[] | null {
  switch (c.type) {
    case 'eq':
      return cats.filter((v) => v === c.value);
    case 'neq':
      return cats.filter((v) => v !== c.value);
    case 'in':
      return cats.filter((v) => c.values.includes(v));
    case 'notIn':
      return cats.filter((v) => !c.values.includes(v));
    default:
      return null;
  }
}

/** The shortest categorical test allowing exactly `allowed` (a two-category column: said of its first category). */
function categoricalTest(feature: string, cats: readonly string[], allowed: readonly string[]): MofNExpr {
  if (allowed.length === 0) return FALSE;
  if (allowed.length === cats.length) return TRUE;
  const excluded = cats.filter((v) => !allowed.includes(v));
  if (cats.length === 2) {
    return { k: 'lit', c: allowed[0] === cats[0] ? { type: 'eq', feature, value: cats[0] } : { type: 'neq', feature, value: cats[0] } };
  }
  if (allowed.length === 1) return { k: 'lit', c: { type: 'eq', feature, value: allowed[0] } };
  if (excluded.length === 1) return { k: 'lit', c: { type: 'neq', feature, value: excluded[0] } };
  return { k: 'lit', c: allowed.length <= excluded.length ? { type: 'in', feature, values: [...allowed] } : { type: 'notIn', feature, values: excluded } };
}

/** A categorical test in its shortest form, or a constant when the schema's categories decide it. */
function canonicalLiteral(e: Extract<MofNExpr, { k: 'lit' }>, features: readonly Feature[]): MofNExpr {
  const c = e.c;
  const f = features.find((g) => g.name === c.feature);
  if (!f || f.type !== 'categorical') return e;
  const allowed = allowedOf(c, f.categories);
  return allowed === null ? e : categoricalTest(c.feature, f.categories, allowed);
}

/**
 * The atomic members of an M-of-N that test one column, as nested value sets: with `c(v)` the
 * number of them value `v` passes, level `t` is the test "value in {v : c(v) >= t}", and the
 * levels count exactly as the members did. A level every value passes is true (m drops by one);
 * with m = 1 only the first level matters. Numeric members are rewritten only when `c` is monotone
 * in the value (then every level is one `>` or `<=` test).
 */
function columnLevels(items: MofNExpr[], m: number, features: readonly Feature[]): { items: MofNExpr[]; m: number } {
  const byColumn = new Map<string, AtomicConditionT[]>();
  for (const x of items) if (x.k === 'lit') byColumn.set(x.c.feature, [...(byColumn.get(x.c.feature) ?? []), x.c]);
  const replaced = new Map<string, MofNExpr[]>();
  for (const [feature, conds] of byColumn) {
    if (conds.length < 2) continue;
    const f = features.find((g) => g.name === feature);
    let levels: MofNExpr[] | null = null;
    if (f && f.type === 'categorical') {
      const sets = conds.map((c) => allowedOf(c, f.categories));
      if (sets.some((s) => s === null)) continue;
      const count = f.categories.map((v) => sets.filter((s) => s!.includes(v)).length);
      const top = Math.max(...count);
      levels = [];
      for (let t = 1; t <= top; t++) levels.push(categoricalTest(feature, f.categories, f.categories.filter((_, i) => count[i] >= t)));
    } else if (conds.every((c) => c.type === 'gt' || c.type === 'le')) levels = numericLevels(feature, conds as Extract<AtomicConditionT, { type: 'gt' | 'le' }>[]);
    if (levels) replaced.set(feature, m === 1 ? levels.slice(0, 1) : levels);
  }
  if (replaced.size === 0) return { items, m };
  const out: MofNExpr[] = [];
  const done = new Set<string>();
  for (const x of items) {
    if (x.k !== 'lit' || !replaced.has(x.c.feature)) {
      out.push(x);
      continue;
    }
    if (done.has(x.c.feature)) continue;
    done.add(x.c.feature);
    out.push(...replaced.get(x.c.feature)!);
  }
  const always = out.filter((x) => x.k === 'const' && x.value).length;
  return { items: out.filter((x) => x.k !== 'const'), m: m - always };
}

/** Levels of `>` / `<=` tests on one numeric column when their count is monotone in the value, else null. */
function numericLevels(feature: string, conds: Extract<AtomicConditionT, { type: 'gt' | 'le' }>[]): MofNExpr[] | null {
  const cuts = [...new Set(conds.map((c) => c.threshold))].sort((a, b) => a - b);
  // count per cell: cell 0 is x <= cuts[0], cell i is cuts[i-1] < x <= cuts[i], the last x > last cut
  const count = Array.from({ length: cuts.length + 1 }, (_, cell) =>
    conds.filter((c) => {
      const above = cell > cuts.indexOf(c.threshold); // x > threshold in this cell
      return c.type === 'gt' ? above : !above;
    }).length,
  );
  const up = count.every((v, i) => i === 0 || v >= count[i - 1]);
  const down = count.every((v, i) => i === 0 || v <= count[i - 1]);
  if (!up && !down) return null;
  const top = Math.max(...count);
  const levels: MofNExpr[] = [];
  for (let t = 1; t <= top; t++) {
    const cells = count.map((v) => v >= t);
    if (cells.every(Boolean)) levels.push(TRUE);
    else if (up) levels.push({ k: 'lit', c: { type: 'gt', feature, threshold: cuts[cells.indexOf(true) - 1] } });
    else levels.push({ k: 'lit', c: { type: 'le', feature, threshold: cuts[cells.lastIndexOf(true)] } });
  }
  return levels;
}

/** The rule-format condition for an expression over raw-column tests. */
export function exprToCondition(e: MofNExpr): ConditionT {
  switch (e.k) {
    case 'lit':
      return e.c;
    case 'mofn':
      return { type: 'mofn', m: e.m, conditions: e.items.map(exprToCondition) };
    default:
      throw new Error(`exprToCondition: unexpected ${e.k} leaf`);
  }
}

/**
 * The expression as a disjunction of conjunctions of conditions (the rules of one class): an OR
 * gives one conjunction per member, an AND one conjunction of its members, anything else one
 * single-condition conjunction. True gives one empty conjunction, false none.
 */
export function exprToConjunctions(e: MofNExpr, features: readonly Feature[]): ConditionT[][] {
  const s = simplifyExpr(e, features);
  if (s.k === 'const') return s.value ? [[]] : [];
  const disjuncts = isOr(s) && s.k === 'mofn' ? s.items : [s];
  const out: ConditionT[][] = [];
  for (const d of disjuncts) {
    const conj = (isAnd(d) && d.k === 'mofn' ? d.items : [d]).map(exprToCondition);
    const merged = mergeConjunction(conj, features);
    if (merged !== null) out.push(merged);
  }
  return out;
}

/** Number of atomic tests in an expression (its size). */
const sizeOf = new WeakMap<MofNExpr, number>();
export function exprSize(e: MofNExpr): number {
  if (e.k !== 'mofn') return e.k === 'const' ? 0 : 1;
  let s = sizeOf.get(e);
  if (s === undefined) sizeOf.set(e, (s = e.items.reduce((a, x) => a + exprSize(x), 0)));
  return s;
}
