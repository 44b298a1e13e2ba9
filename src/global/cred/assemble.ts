/**
 * The decision list of CRED/DeepRED from per-class DNFs over the original columns, on the
 * extraction sample against the network's class:
 *
 * 1. with `prune`, each rule loses conditions while its precision does not fall (C4.5rules);
 * 2. rules are ranked by precision (then support);
 * 3. rules are chosen greedily, each time the one that adds most correctly decided rows when
 *    inserted at its rank, until none adds any or `maxRules` are chosen (the size budget; when it
 *    stops a list that could still improve, the cut is recorded with the sample fidelity lost);
 * 4. with `prune`, rules are then dropped, last first, while the list's sample accuracy does not
 *    fall. The default is the majority class among the rows no rule covers.
 *
 * Every count is a bit-set operation over the sample (util/bitset.ts).
 */
import type { ConditionT, DecisionListT, RuleT } from '../../rules/schema.js';
import { addRows, andRows, countAnd, countRows, fullRowSet, removeRows, rowSetOf, rowSetWhere, type RowSet } from '../../util/bitset.js';
import { mergeConjunction, type Decomposition, type SearchBudget } from '../decompositional/index.js';
import type { Conj, Layer } from './terms.js';

/** Settings of the assembly (from the extractor's options). */
export interface AssembleSettings {
  prune: boolean;
  maxRules: number;
}

interface Candidate {
  conditions: ConditionT[];
  cls: number;
  rows: RowSet;
  support: number;
  precision: number;
}

/**
 * The decision list from `dnfs[c]` (conjunctions of column conditions for class `c`, with their
 * rows on the input layer `inputs`).
 *
 * @example
 * const list = assembleList(d, dnfs, inputs, { prune: true, maxRules: 40 }, budget); // { kind: 'list', rules, default }
 */
export function assembleList(d: Decomposition, dnfs: Conj<ConditionT>[][], inputs: Layer<ConditionT>, s: AssembleSettings, budget: SearchBudget): DecisionListT {
  const n = d.sample.length;
  const k = d.classes.length;
  const classRows = Array.from({ length: k }, (_, c) => rowSetWhere(n, (r) => d.labels[r] === c));
  const rowsOf = (conds: readonly ConditionT[]) => inputs.rowsOfAll(conds);

  // 1. candidates, conditions pruned
  const seen = new Set<string>();
  let cands: Candidate[] = [];
  dnfs.forEach((dnf, cls) => {
    for (const conj of dnf) {
      let conditions = conj.lits;
      let rows = conj.rows;
      if (s.prune) ({ conditions, rows } = pruneConditions(conditions, rows, classRows[cls], rowsOf));
      const key = `${cls}:${inputs.key(conditions)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const support = countRows(rows);
      if (support === 0) continue;
      cands.push({ conditions, cls, rows, support, precision: countAnd(rows, classRows[cls]) / support });
    }
  });
  // 2. ranked by precision, then support (stable: the search's order breaks ties)
  cands = cands.map((c, i) => ({ c, i })).sort((a, b) => b.c.precision - a.c.precision || b.c.support - a.c.support || a.i - b.i).map((x) => x.c);

  // 3. greedy choice under the size budget
  const list = new ListState(cands, classRows, n);
  const chosen = list.grow(s.maxRules);
  if (list.canImprove()) {
    const at = list.accuracy();
    // how much the budget costs: go on without it (a bounded number of steps)
    const more = new ListState(cands, classRows, n);
    more.grow(Math.max(4 * s.maxRules, s.maxRules + 20), () => budget.spent());
    budget.cut(
      `size: the list stops at ${plural(s.maxRules, 'rule')} (maxRules) with sample fidelity ${at.toFixed(3)}; ${plural(more.size(), 'rule')} would reach ${more.accuracy().toFixed(3)}`,
    );
  }
  // 4. rules whose removal does not lower the sample accuracy
  let rules = chosen;
  if (s.prune) rules = dropRules(rules, classRows, n);
  const dflt = defaultOf(rules, classRows, n);
  return {
    kind: 'list',
    // bounds on one column read as one interval
    rules: rules.map((c): RuleT => ({ conditions: mergeConjunction(c.conditions, d.features) ?? c.conditions, output: { class: d.classes[c.cls] } })),
    default: { class: d.classes[dflt] },
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Greedy C4.5rules-style pruning: drop a rule's conditions while its sample precision does not fall. */
function pruneConditions(conds: ConditionT[], rows: RowSet, pos: RowSet, rowsOf: (c: readonly ConditionT[]) => RowSet): { conditions: ConditionT[]; rows: RowSet } {
  const precision = (r: RowSet) => {
    const s = countRows(r);
    return s ? countAnd(r, pos) / s : 0;
  };
  let best = precision(rows);
  for (let changed = true; changed && conds.length > 0; ) {
    changed = false;
    for (let i = 0; i < conds.length; i++) {
      const without = conds.filter((_, j) => j !== i);
      const r = rowsOf(without);
      const p = precision(r);
      if (p >= best) {
        conds = without;
        rows = r;
        best = p;
        changed = true;
        break;
      }
    }
  }
  return { conditions: conds, rows };
}

/** Majority class among the rows no rule covers (all rows when every row is covered); lowest index on ties. */
function defaultOf(rules: readonly Candidate[], classRows: RowSet[], n: number): number {
  const free = fullRowSet(n);
  for (const r of rules) removeRows(free, r.rows);
  const anyFree = countRows(free) > 0;
  let best = 0;
  let bestCount = -1;
  classRows.forEach((pos, c) => {
    const m = anyFree ? countAnd(free, pos) : countRows(pos);
    if (m > bestCount) {
      best = c;
      bestCount = m;
    }
  });
  return best;
}

/** Rows a decision list (with its majority default) decides as the network does. */
function listCorrect(rules: readonly Candidate[], classRows: RowSet[], n: number): number {
  const free = fullRowSet(n);
  let ok = 0;
  for (const r of rules) {
    ok += countAnd(r.rows, free, classRows[r.cls]);
    removeRows(free, r.rows);
  }
  return ok + countAnd(free, classRows[defaultOf(rules, classRows, n)]);
}

/** Drops rules, last first, while the list's sample accuracy does not fall. */
function dropRules(rules: Candidate[], classRows: RowSet[], n: number): Candidate[] {
  let ok = listCorrect(rules, classRows, n);
  for (let i = rules.length - 1; i >= 0; i--) {
    const without = rules.filter((_, j) => j !== i);
    const o = listCorrect(without, classRows, n);
    if (o >= ok) {
      rules = without;
      ok = o;
    }
  }
  return rules;
}

/**
 * A decision list grown greedily from ranked candidates: each step inserts, at its rank, the
 * candidate that adds most correctly decided rows.
 */
class ListState {
  private readonly chosen: boolean[];
  private list: number[] = [];
  private bestGain = 0;

  constructor(
    private readonly cands: readonly Candidate[],
    private readonly classRows: RowSet[],
    private readonly n: number,
  ) {
    this.chosen = cands.map(() => false);
  }

  /** Adds rules while one adds a correctly decided row, up to `max` rules or until `stop()`. */
  grow(max: number, stop: () => boolean = () => false): Candidate[] {
    for (;;) {
      const { pick, gain } = this.best();
      this.bestGain = gain;
      if (pick < 0 || this.list.length >= max || stop()) break;
      this.chosen[pick] = true;
      this.list = this.cands.map((_, i) => i).filter((i) => this.chosen[i]);
    }
    return this.list.map((i) => this.cands[i]);
  }

  /** Whether another rule would add a correctly decided row. */
  canImprove(): boolean {
    return this.bestGain > 0;
  }

  size(): number {
    return this.list.length;
  }

  accuracy(): number {
    return listCorrect(
      this.list.map((i) => this.cands[i]),
      this.classRows,
      this.n,
    ) / Math.max(1, this.n);
  }

  /** The candidate whose insertion adds most correct rows (and the rows it adds), or -1. */
  private best(): { pick: number; gain: number } {
    const rules = this.list.map((i) => this.cands[i]);
    // free[p]: rows no rule before position p covers; correct: rows the list decides right now
    const free: RowSet[] = [fullRowSet(this.n)];
    const correct = rowSetOf(this.n);
    for (const r of rules) {
      const f = free[free.length - 1];
      addRows(correct, andRows(andRows(r.rows, f), this.classRows[r.cls]));
      const next = f.slice();
      removeRows(next, r.rows);
      free.push(next);
    }
    addRows(correct, andRows(free[free.length - 1], this.classRows[defaultOf(rules, this.classRows, this.n)]));
    let pick = -1;
    let gain = 0;
    let p = 0;
    for (let i = 0; i < this.cands.length; i++) {
      if (this.chosen[i]) {
        p++;
        continue;
      }
      const c = this.cands[i];
      const taken = andRows(c.rows, free[p]);
      const g = countAnd(taken, this.classRows[c.cls]) - countAnd(taken, correct);
      if (g > gain) {
        gain = g;
        pick = i;
      }
    }
    return { pick, gain };
  }
}
