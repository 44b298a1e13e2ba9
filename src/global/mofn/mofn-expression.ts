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

const key = (e: MofNExpr) => JSON.stringify(e);
const isAnd = (e: MofNExpr) => e.k === 'mofn' && e.m === e.items.length;
const isOr = (e: MofNExpr) => e.k === 'mofn' && e.m === 1;

/**
 * An equivalent, smaller expression (on rows without missing values): constants folded, nested
 * ANDs and ORs flattened, repeated members of an AND or OR dropped, the atomic members of an AND
 * merged per column (contradictions become false), `x OR NOT x` true, and the `eq` members of an
 * M-of-N that test one categorical column (at most one of them can hold) joined into one `in`
 * (`neq` when it leaves out one category, true when it leaves out none); a test on a two-category
 * column is said of its first category.
 *
 * @param features the schema's features (categories for merging)
 */
export function simplifyExpr(e: MofNExpr, features: readonly Feature[]): MofNExpr {
  if (e.k === 'lit') return canonicalLiteral(e, features);
  if (e.k !== 'mofn') return e;
  let items = e.items.map((x) => simplifyExpr(x, features));
  let m = e.m - items.filter((x) => x.k === 'const' && x.value).length;
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
      const k = key(x);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  if (and) {
    const lits = items.filter((x): x is Extract<MofNExpr, { k: 'lit' }> => x.k === 'lit').map((x) => x.c);
    const merged = mergeConjunction(lits, features);
    if (merged === null) return FALSE;
    const rest = items.filter((x) => x.k !== 'lit');
    items = [...(merged as AtomicConditionT[]).map((c): MofNExpr => ({ k: 'lit', c })), ...rest];
    if (items.length === 0) return TRUE;
    if (items.length === 1) return items[0];
    return { k: 'mofn', m: items.length, items };
  }
  if (or) {
    const keys = new Set(items.map(key));
    for (const x of items) if (x.k === 'lit' && keys.has(key(negateExpr(x)))) return TRUE;
  }
  items = joinExclusiveEq(items, features);
  const always = items.filter((x) => x.k === 'const' && x.value).length;
  m -= always;
  items = items.filter((x) => x.k !== 'const');
  if (m <= 0) return TRUE;
  if (m > items.length) return FALSE;
  if (items.length === 1) return items[0];
  return { k: 'mofn', m, items };
}

/** A test on a two-category column, said of its first category (`smiling = 2` -> `smiling != 1`). */
function canonicalLiteral(e: Extract<MofNExpr, { k: 'lit' }>, features: readonly Feature[]): MofNExpr {
  const c = e.c;
  if (c.type !== 'eq' && c.type !== 'neq') return e;
  const f = features.find((g) => g.name === c.feature);
  if (!f || f.type !== 'categorical' || f.categories.length !== 2 || c.value !== f.categories[1]) return e;
  return { k: 'lit', c: { type: c.type === 'eq' ? 'neq' : 'eq', feature: c.feature, value: f.categories[0] } };
}

/** Joins `eq`/`in` members on the same categorical column (mutually exclusive) into one `in`. */
function joinExclusiveEq(items: MofNExpr[], features: readonly Feature[]): MofNExpr[] {
  const groups = new Map<string, string[]>();
  for (const x of items) {
    if (x.k !== 'lit' || (x.c.type !== 'eq' && x.c.type !== 'in')) continue;
    const vals = x.c.type === 'eq' ? [x.c.value] : x.c.values;
    groups.set(x.c.feature, [...(groups.get(x.c.feature) ?? []), ...vals]);
  }
  const out: MofNExpr[] = [];
  const done = new Set<string>();
  for (const x of items) {
    if (x.k !== 'lit' || (x.c.type !== 'eq' && x.c.type !== 'in')) {
      out.push(x);
      continue;
    }
    const f = x.c.feature;
    const vals = groups.get(f)!;
    if (new Set(vals).size !== vals.length || vals.length === 1) {
      out.push(x); // overlapping values: members are not exclusive; leave them
      continue;
    }
    if (done.has(f)) continue;
    done.add(f);
    const feat = features.find((g) => g.name === f);
    const cats = feat && feat.type === 'categorical' ? feat.categories : null;
    const ordered = cats ? cats.filter((c) => vals.includes(c)) : [...vals].sort();
    const missing = cats ? cats.filter((c) => !vals.includes(c)) : [];
    if (cats && missing.length === 0) out.push(TRUE); // one of them always holds
    else if (missing.length === 1) out.push({ k: 'lit', c: { type: 'neq', feature: f, value: missing[0] } });
    else out.push({ k: 'lit', c: { type: 'in', feature: f, values: ordered } });
  }
  return out;
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
export function exprSize(e: MofNExpr): number {
  return e.k === 'mofn' ? e.items.reduce((s, x) => s + exprSize(x), 0) : e.k === 'const' ? 0 : 1;
}
