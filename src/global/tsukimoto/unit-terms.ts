/**
 * The Boolean function nearest to one unit, by Tsukimoto's polynomial-time algorithm (Tsukimoto
 * 2000, "Extracting rules from trained neural networks", IEEE TNN 11(2), section IV): over the
 * Boolean (or, inputs normalised to [0, 1], the continuous Boolean) domain a unit is a multilinear
 * function, and its nearest Boolean function keeps exactly the atoms where the unit is at least
 * 0.5. Instead of visiting the 2^n atoms, terms are generated from low order up to `maxOrder`: a
 * term (a conjunction of literals) belongs to the approximation when the unit's minimum over the
 * term's subdomain is on. For a sigmoid (monotone) unit of a linear net input, that minimum is the
 * net input with the term's literals fixed and every other variable at its worst value, so each
 * check is a sum. The negation is read the same way from the maximum (off everywhere on the
 * subdomain). Written by hand: no library implements it.
 */

/** One input of the unit: the values it can take, with what each adds to the unit's net input. */
export interface UnitVariable {
  /** Net-input contribution of each value (categories, {low, high} of a Boolean input). */
  contributions: number[];
  /** Whether "not this value" is a literal too (categorical columns with three or more values). */
  negations: boolean;
}

/** A literal: variable `v` takes one of `values`. */
export interface TermLiteral {
  v: number;
  values: number[];
}

/** A conjunction of literals, at most one per variable. */
export type Term = TermLiteral[];

export interface UnitTermsOptions {
  /** Highest order (number of literals) of a term. */
  maxOrder: number;
  /** Most terms kept (the first found: the strongest inputs are tried first). */
  maxTerms: number;
  /** Literals considered, the strongest first (Tsukimoto's "non-important attributes" are left out). */
  maxLiterals: number;
}

/**
 * The domain limited to the data (the training-data domain): the rows of a literal, and the rows
 * where the unit has the state sought, as bit sets over the sample rows. A term is then also in the
 * approximation when every data row of its subdomain has that state (and it has some).
 */
export interface DataDomain {
  rows(v: number, values: readonly number[]): Uint32Array;
  target: Uint32Array;
}

interface Option {
  values: number[];
  gain: number;
}

/**
 * The minimal terms on which the unit `bias + Σ contributions` is on (`on`: net input > 0
 * everywhere on the term's subdomain) or off (`on` false: net input ≤ 0 everywhere), up to
 * `maxOrder` literals over the `maxLiterals` strongest literals; with `data`, also the terms whose
 * data rows all have that state. `[[]]` (the empty term) when the unit is on (off) everywhere;
 * `[]` when no term of that order decides it.
 *
 * @example
 * // AND: 10·a + 10·b - 15 over Boolean a, b
 * const v = { contributions: [0, 10], negations: false };
 * unitTerms([v, v], -15, true, { maxOrder: 3, maxTerms: 100, maxLiterals: 24 }); // [[{ v: 0, values: [1] }, { v: 1, values: [1] }]]
 */
export function unitTerms(vars: readonly UnitVariable[], bias: number, on: boolean, opts: UnitTermsOptions, data?: DataDomain): Term[] {
  // worst value of every variable: the minimum (on) or the maximum (off) contribution
  const sign = on ? 1 : -1;
  const c = vars.map((v) => v.contributions.map((x) => sign * x));
  const worst = c.map((cs) => Math.min(...cs));
  const base = sign * bias + worst.reduce((a, b) => a + b, 0);
  // on: decided iff net > 0; off: iff net <= 0, i.e. -net >= 0
  const passes = (sum: number) => (on ? sum > 0 : sum >= 0);
  if (passes(base)) return [[]];
  const literals: (Option & { v: number })[] = [];
  c.forEach((cs, v) => {
    cs.forEach((x, k) => {
      if (x - worst[v] > 0) literals.push({ v, values: [k], gain: x - worst[v] });
    });
    if (vars[v].negations && cs.length > 2) {
      cs.forEach((_, k) => {
        const g = Math.min(...cs.filter((_, j) => j !== k)) - worst[v];
        if (g > 0) literals.push({ v, values: cs.map((_, j) => j).filter((j) => j !== k), gain: g });
      });
    }
  });
  literals.sort((a, b) => b.gain - a.gain || a.v - b.v);
  const top = literals.slice(0, opts.maxLiterals);
  const bits = data ? top.map((l) => data.rows(l.v, l.values)) : [];
  const words = data ? data.target.length : 0;
  const found: Term[] = [];
  const term: Term = [];
  const used = new Set<number>();
  /** Whether every data row of the subdomain (some) has the state sought. */
  const dataPasses = (rows: Uint32Array | null): boolean => {
    if (!data || !rows) return false;
    let any = false;
    for (let w = 0; w < words; w++) {
      if (rows[w] & ~data.target[w]) return false;
      if (rows[w]) any = true;
    }
    return any;
  };
  const visit = (i: number, sum: number, rows: Uint32Array | null): void => {
    if (found.length >= opts.maxTerms) return;
    if (term.length > 0 && (passes(sum) || dataPasses(rows))) {
      found.push(term.slice());
      return;
    }
    if (term.length >= opts.maxOrder) return;
    for (let j = i; j < top.length; j++) {
      const l = top[j];
      if (used.has(l.v)) continue;
      let next: Uint32Array | null = null;
      if (data) {
        next = new Uint32Array(words);
        let any = false;
        for (let w = 0; w < words; w++) if ((next[w] = (rows ? rows[w] : 0xffffffff) & bits[j][w])) any = true;
        // no data row left: the term says nothing about the data, and a sound term needs the hypercube
        if (!any && !passes(sum + l.gain + remaining(j, opts.maxOrder - term.length - 1))) continue;
      }
      used.add(l.v);
      term.push({ v: l.v, values: l.values });
      visit(j + 1, sum + l.gain, next);
      term.pop();
      used.delete(l.v);
    }
  };
  /** The largest gain `k` more literals after index `j` can add (an upper bound). */
  const remaining = (j: number, k: number) => {
    let s = 0;
    for (let q = j + 1; q < Math.min(top.length, j + 1 + k); q++) s += top[q].gain;
    return s;
  };
  visit(0, base, null);
  return dropSubsumed(found);
}

/** Whether term `a`'s subdomain contains term `b`'s (every literal of `a` allows all `b` allows on that variable). */
export function contains(a: Term, b: Term): boolean {
  return a.every((la) => {
    const lb = b.find((x) => x.v === la.v);
    return lb !== undefined && lb.values.every((x) => la.values.includes(x));
  });
}

/** The terms no other term contains (the first of equal ones kept). */
export function dropSubsumed(terms: Term[]): Term[] {
  const sorted = terms.map((t, i) => ({ t, i })).sort((x, y) => x.t.length - y.t.length || x.i - y.i);
  const kept: { t: Term; i: number }[] = [];
  for (const x of sorted) if (!kept.some((k) => contains(k.t, x.t))) kept.push(x);
  return kept.sort((x, y) => x.i - y.i).map((x) => x.t);
}
