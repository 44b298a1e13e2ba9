/**
 * Post-pruning of extracted rules: shorter rules and fewer of them, checked against the sample
 * the model labelled (in the spirit of C4.5rules, Quinlan 1993, ch. 5, with fidelity to the model
 * instead of accuracy as the criterion). It sits above the rule representation, beside the
 * extractors that use it, because it measures fidelity with the metrics (`accuracyScore`, `r2Score`).
 */
import { rowCount, rowReader, type RowsLike } from '../../data/table.js';
import { accuracyScore } from '../../metrics/classification.js';
import { r2Score } from '../../metrics/regression.js';
import { computeRuleStats } from '../../rules/computeRuleStats.js';
import { countRules } from '../../rules/countRules.js';
import { evalConjunction, featureIndex, predictLabels, type FeatureIndex } from '../../rules/evaluate.js';
import type { AtomicConditionT, ComplexityT, ConditionT, DecisionListT, OutputT, RuleSet, RuleSetUnorderedT, RuleT } from '../../rules/schema.js';
import { treeToRuleList } from '../../rules/treeToRuleList.js';

export interface SimplifyOptions {
  /**
   * 0 (default): a change is kept only if the predictions on the sample stay exactly the same.
   * Above 0: a change is kept while fidelity on the sample (agreement, or R² for regression)
   * stays within `tolerance` of the starting rule set's.
   */
  tolerance?: number;
}

export interface SimplifyResult {
  ruleSet: RuleSet;
  before: ComplexityT;
  after: ComplexityT;
}

/**
 * Simplifies a rule set on a model-labelled sample, in this order:
 * 1. conditions on one numeric feature within a rule merge into one interval, categorical
 *    `=`/`IN` (and `!=`/`NOT IN`) tests on one feature into one set test; rules whose merged
 *    test is empty (can never hold) are dropped (exact on all data);
 * 2. rules whose removal keeps the predictions (never fire, or subsumed) are dropped;
 * 3. conditions whose removal keeps the predictions are dropped, greedily, last first;
 * 4. rules with the same output that differ in one test on one feature merge into one rule with
 *    the union of the two tests (lists: adjacent rules only, which is exact on all data);
 * then step 2 once more. "Keeps the predictions" is decided on the sample (see `tolerance`).
 *
 * A tree is first turned into a decision list (`treeToRuleList`), so the result is a list. For
 * unordered sets, the rule statistics that drive conflict resolution are re-measured on the
 * sample first. Statistics of the result are measured on the sample; `simplification` records
 * rules and conditions (as `countRules` counts them) and sample fidelity before and after. `fidelity` (measured at
 * extraction) is left as it was: re-measure it on held-out data if it must describe the result.
 *
 * @param modelLabels the model's class index or value for each row of `rows`
 * @example
 * const { ruleSet, before, after } = simplifyRuleSet(rs, rows, await model.predictLabels(rows));
 * // before { rules: 12, conditions: 41, fidelity: 0.97 }, after { rules: 7, conditions: 15, fidelity: 0.97 }
 */
export function simplifyRuleSet(rs: RuleSet, rows: RowsLike, modelLabels: Float64Array, opts: SimplifyOptions = {}): SimplifyResult {
  if (modelLabels.length !== rowCount(rows)) throw new RangeError(`simplifyRuleSet: ${rowCount(rows)} rows but ${modelLabels.length} model labels`);
  const tolerance = opts.tolerance ?? 0;
  const before = complexityOf(rs, rows, modelLabels);

  let work: RuleSet = structuredClone(rs);
  if (work.surrogate.kind === 'tree') work = { ...work, surrogate: treeToRuleList(work.surrogate) };
  else if (work.surrogate.kind === 'set') work = computeRuleStats(work, rows, modelLabels);
  const s = work.surrogate as DecisionListT | RuleSetUnorderedT;

  const ctx = new Context(work, rows, modelLabels, tolerance);
  let rules = s.rules.map(mergeRuleConditions).filter((r): r is RuleT => r !== null);
  let covers = rules.map((r) => ctx.cover(r));
  ctx.setBaseline(rules, covers);

  const dropRules = () => {
    for (let i = rules.length - 1; i >= 0; i--) {
      const r2 = rules.filter((_, j) => j !== i);
      const c2 = covers.filter((_, j) => j !== i);
      if (ctx.accept(r2, c2, [{ before: covers[i] }])) {
        rules = r2;
        covers = c2;
      }
    }
  };
  dropRules();

  for (let i = 0; i < rules.length; i++) {
    for (let j = rules[i].conditions.length - 1; j >= 0; j--) {
      const rule = { ...rules[i], conditions: rules[i].conditions.filter((_, k) => k !== j) };
      const r2 = rules.slice();
      const c2 = covers.slice();
      r2[i] = rule;
      c2[i] = ctx.cover(rule);
      if (ctx.accept(r2, c2, [{ before: covers[i], after: c2[i] }])) {
        rules = r2;
        covers = c2;
      }
    }
  }

  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      if (s.kind === 'list' && j !== i + 1) break;
      const merged = mergeRules(rules[i], rules[j]);
      if (!merged) continue;
      const r2 = rules.slice();
      const c2 = covers.slice();
      r2[i] = merged;
      c2[i] = ctx.cover(merged);
      r2.splice(j, 1);
      c2.splice(j, 1);
      if (ctx.accept(r2, c2, [{ before: covers[i], after: c2[i] }, { before: covers[j] }])) {
        rules = r2;
        covers = c2;
        j = i; // the merged rule may merge again
      }
    }
  }
  dropRules();

  const simplified: RuleSet = computeRuleStats({ ...work, surrogate: { ...s, rules } }, rows, modelLabels);
  const after = complexityOf(simplified, rows, modelLabels);
  simplified.simplification = { before, after };
  return { ruleSet: simplified, before, after };
}

/** Rules and conditions as {@link countRules} counts them, and fidelity on the sample (agreement or R²). */
function complexityOf(rs: RuleSet, rows: RowsLike, labels: Float64Array): ComplexityT {
  const { rules, conditions } = countRules(rs);
  const f = rowCount(rows) ? sampleFidelity(rs.task, predictLabels(rs, rows), labels) : null;
  return { rules, conditions, fidelity: f !== null && Number.isFinite(f) ? f : null };
}

/**
 * Fidelity of predictions to the model's labels: agreement (a row no rule decides counts as a
 * miss), or R² on the rows the rules decide (NaN when they decide none).
 */
function sampleFidelity(task: RuleSet['task'], pred: Float64Array, labels: Float64Array): number {
  if (task === 'classification') return accuracyScore(pred, labels);
  const decided: number[] = [];
  for (let i = 0; i < pred.length; i++) if (!Number.isNaN(pred[i])) decided.push(i);
  return r2Score(pred, labels, decided);
}

/** One rule's coverage before and after a candidate change (absent: the rule does not exist then). */
type Change = { before?: Uint8Array; after?: Uint8Array };

/**
 * Evaluates candidate rule lists quickly from per-rule coverage bitmaps. A candidate differs from
 * the accepted rules in a few rules only; only rows that one of those rules covers (before or
 * after the change) can change their decision, so only those rows are decided again.
 */
class Context {
  private readonly index: FeatureIndex;
  private readonly classes: string[] | null;
  private readonly kind: 'list' | 'set';
  private readonly fallback: number;
  private readonly task: RuleSet['task'];
  private readonly counts = new WeakMap<Uint8Array, { support: number; byLabel: Map<number, number> }>();
  private baseline: Float64Array = new Float64Array(0);
  private current: Float64Array = new Float64Array(0);
  private baseFidelity = 0;

  constructor(
    rs: RuleSet,
    private readonly rows: RowsLike,
    private readonly labels: Float64Array,
    private readonly tolerance: number,
  ) {
    this.index = featureIndex(rs.schema);
    this.classes = rs.schema.target.kind === 'class' ? rs.schema.target.classes : null;
    const s = rs.surrogate as DecisionListT | RuleSetUnorderedT;
    this.kind = s.kind;
    this.fallback = this.label(s.default);
    this.task = rs.task;
  }

  label(o: OutputT | null): number {
    if (o === null) return NaN;
    return 'value' in o ? o.value : this.classes!.indexOf(o.class);
  }

  cover(r: RuleT): Uint8Array {
    const n = rowCount(this.rows);
    const c = new Uint8Array(n);
    const at = rowReader(this.rows, { scratch: true });
    for (let i = 0; i < n; i++) if (evalConjunction(r.conditions, at(i), this.index)) c[i] = 1;
    return c;
  }

  /** Precision as computeRuleStats measures it for unordered sets (rows where the conditions hold); 0 without support. */
  private precision(cover: Uint8Array, out: number): { precision: number; support: number } {
    let c = this.counts.get(cover);
    if (!c) {
      const byLabel = new Map<number, number>();
      let support = 0;
      for (let i = 0; i < cover.length; i++) {
        if (!cover[i]) continue;
        support++;
        byLabel.set(this.labels[i], (byLabel.get(this.labels[i]) ?? 0) + 1);
      }
      c = { support, byLabel };
      this.counts.set(cover, c);
    }
    if (this.classes === null || c.support === 0) return { precision: 0, support: c.support };
    return { precision: (c.byLabel.get(out) ?? 0) / c.support, support: c.support };
  }

  /** Predictions of `rules` for the rows in `idx`, written into `out`. */
  private decide(rules: readonly RuleT[], covers: readonly Uint8Array[], idx: Iterable<number>, out: Float64Array): void {
    const outs = rules.map((r) => this.label(r.output));
    if (this.kind === 'list') {
      for (const i of idx) {
        out[i] = this.fallback;
        for (let r = 0; r < rules.length; r++) {
          if (covers[r][i]) {
            out[i] = outs[r];
            break;
          }
        }
      }
      return;
    }
    const st = covers.map((c, r) => this.precision(c, outs[r]));
    for (const i of idx) {
      let best = -1;
      for (let r = 0; r < rules.length; r++) {
        if (!covers[r][i]) continue;
        if (best < 0 || st[r].precision > st[best].precision || (st[r].precision === st[best].precision && st[r].support > st[best].support)) best = r;
      }
      out[i] = best >= 0 ? outs[best] : this.fallback;
    }
  }

  setBaseline(rules: readonly RuleT[], covers: readonly Uint8Array[]): void {
    this.baseline = new Float64Array(rowCount(this.rows));
    this.decide(rules, covers, this.baseline.keys(), this.baseline);
    this.current = this.baseline.slice();
    this.baseFidelity = sampleFidelity(this.task, this.baseline, this.labels);
  }

  /**
   * Whether the candidate keeps the predictions (or the fidelity, with a tolerance); on success it
   * becomes the accepted state.
   *
   * @param changes coverage of each changed rule before and after the change (absent: no rule).
   *   In a list only rows whose coverage changed can change their decision; in a set the changed
   *   rule's precision and support change too, so every row it covers (before or after) may.
   */
  accept(rules: readonly RuleT[], covers: readonly Uint8Array[], changes: readonly Change[]): boolean {
    const idx: number[] = [];
    const n = rowCount(this.rows);
    const mark = new Uint8Array(n);
    for (const { before, after } of changes) {
      for (let i = 0; i < n; i++) {
        const b = before ? before[i] : 0;
        const a = after ? after[i] : 0;
        if (this.kind === 'list' ? a !== b : a | b) mark[i] = 1;
      }
    }
    for (let i = 0; i < n; i++) if (mark[i]) idx.push(i);
    const cand = this.current.slice();
    this.decide(rules, covers, idx, cand);
    if (this.tolerance <= 0) {
      const base = this.baseline;
      for (const i of idx) if (cand[i] !== base[i] && !(Number.isNaN(cand[i]) && Number.isNaN(base[i]))) return false;
    } else if (!(sampleFidelity(this.task, cand, this.labels) >= this.baseFidelity - this.tolerance)) return false;
    this.current = cand;
    return true;
  }
}

type Bounds = { low: number | null; high: number | null };

function boundsOf(c: AtomicConditionT): Bounds | null {
  if (c.type === 'le') return { low: null, high: c.threshold };
  if (c.type === 'gt') return { low: c.threshold, high: null };
  if (c.type === 'interval') return { low: c.low, high: c.high };
  return null;
}

function fromBounds(feature: string, b: Bounds): AtomicConditionT {
  if (b.low === null && b.high !== null) return { type: 'le', feature, threshold: b.high };
  if (b.high === null && b.low !== null) return { type: 'gt', feature, threshold: b.low };
  return { type: 'interval', feature, low: b.low, high: b.high };
}

/** Positive (`=`, `IN`) or negative (`!=`, `NOT IN`) categorical value set of a test. */
function valueSet(c: AtomicConditionT): { positive: boolean; values: string[] } | null {
  if (c.type === 'eq') return { positive: true, values: [c.value] };
  if (c.type === 'in') return { positive: true, values: [...c.values] };
  if (c.type === 'neq') return { positive: false, values: [c.value] };
  if (c.type === 'notIn') return { positive: false, values: [...c.values] };
  return null;
}

function fromValues(feature: string, positive: boolean, values: string[]): AtomicConditionT {
  if (positive) return values.length === 1 ? { type: 'eq', feature, value: values[0] } : { type: 'in', feature, values };
  return values.length === 1 ? { type: 'neq', feature, value: values[0] } : { type: 'notIn', feature, values };
}

/**
 * Merges the tests of one rule that concern the same feature (exact: the merged test holds on
 * exactly the rows where all of them hold, missing values included). Null when the merged test
 * can never hold.
 */
function mergeRuleConditions(rule: RuleT): RuleT | null {
  const groups = new Map<string, number[]>();
  rule.conditions.forEach((c, i) => {
    if (c.type === 'mofn') return;
    const key = `${boundsOf(c) ? 'num' : 'cat'}:${c.feature}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  const replace = new Map<number, ConditionT | null>();
  for (const [key, idx] of groups) {
    if (idx.length < 2) continue;
    const conds = idx.map((i) => rule.conditions[i] as AtomicConditionT);
    const feature = conds[0].feature;
    let merged: AtomicConditionT;
    if (key.startsWith('num:')) {
      let low: number | null = null;
      let high: number | null = null;
      for (const c of conds) {
        const b = boundsOf(c)!;
        if (b.low !== null) low = low === null ? b.low : Math.max(low, b.low);
        if (b.high !== null) high = high === null ? b.high : Math.min(high, b.high);
      }
      if (low !== null && high !== null && !(low < high)) return null;
      merged = fromBounds(feature, { low, high });
    } else {
      let pos: Set<string> | null = null;
      const neg = new Set<string>();
      for (const c of conds) {
        const v = valueSet(c)!;
        if (v.positive) pos = pos === null ? new Set(v.values) : new Set(v.values.filter((x) => pos!.has(x)));
        else v.values.forEach((x) => neg.add(x));
      }
      if (pos !== null) {
        const values = [...pos].filter((x) => !neg.has(x));
        if (values.length === 0) return null;
        merged = fromValues(feature, true, values);
      } else merged = fromValues(feature, false, [...neg]);
    }
    replace.set(idx[0], merged);
    for (const i of idx.slice(1)) replace.set(i, null);
  }
  if (replace.size === 0) return rule;
  const conditions: ConditionT[] = [];
  rule.conditions.forEach((c, i) => {
    const r = replace.has(i) ? replace.get(i)! : c;
    if (r) conditions.push(r);
  });
  return { ...rule, conditions };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function sameOutput(a: OutputT, b: OutputT): boolean {
  if ('class' in a && 'class' in b) return a.class === b.class;
  if ('value' in a && 'value' in b) return a.value === b.value;
  return false;
}

/**
 * The union of two rules with the same output that differ only in one test on one feature, when
 * that union is itself one test: overlapping or touching intervals, or two `=`/`IN` tests. Null
 * otherwise.
 */
function mergeRules(a: RuleT, b: RuleT): RuleT | null {
  if (!sameOutput(a.output, b.output) || a.conditions.length !== b.conditions.length) return null;
  const used = new Array<boolean>(b.conditions.length).fill(false);
  const onlyA: ConditionT[] = [];
  for (const c of a.conditions) {
    const j = b.conditions.findIndex((d, k) => !used[k] && sameJson(c, d));
    if (j >= 0) used[j] = true;
    else onlyA.push(c);
  }
  const onlyB = b.conditions.filter((_, k) => !used[k]);
  if (onlyA.length !== 1 || onlyB.length !== 1) return null;
  const [ca, cb] = [onlyA[0], onlyB[0]];
  if (ca.type === 'mofn' || cb.type === 'mofn' || ca.feature !== cb.feature) return null;
  let union: AtomicConditionT | null = null;
  const ba = boundsOf(ca);
  const bb = boundsOf(cb);
  if (ba && bb) {
    // [la, ha] ∪ [lb, hb] is one interval when they overlap or touch: max(low) <= min(high).
    const lowA = ba.low ?? -Infinity;
    const lowB = bb.low ?? -Infinity;
    const highA = ba.high ?? Infinity;
    const highB = bb.high ?? Infinity;
    if (Math.max(lowA, lowB) <= Math.min(highA, highB)) {
      union = fromBounds(ca.feature, {
        low: ba.low === null || bb.low === null ? null : Math.min(ba.low, bb.low),
        high: ba.high === null || bb.high === null ? null : Math.max(ba.high, bb.high),
      });
    }
  } else {
    const va = valueSet(ca);
    const vb = valueSet(cb);
    if (va && vb && va.positive && vb.positive) union = fromValues(ca.feature, true, [...new Set([...va.values, ...vb.values])]);
  }
  if (!union) return null;
  const conditions = a.conditions.map((c) => (c === ca ? union! : c));
  const merged: RuleT = { conditions, output: structuredClone(a.output) };
  if (a.id !== undefined) merged.id = a.id;
  return merged;
}
