/**
 * Rule statistics measured on a model-labelled sample: support, precision, coverage and the class
 * distribution of the rows each rule (or tree node) covers.
 */
import type { Row } from '../data/types.js';
import { evalCondition, evalConjunction, featureIndex, type FeatureIndex } from './evaluate.js';
import type { OutputT, RuleSet, RuleStatsT, RuleT, TreeNodeT } from './schema.js';

/**
 * A copy of `rs` whose rules (or tree nodes) carry statistics measured on `rows` labelled by the
 * model (`modelLabels[i]`: class index into `rs.schema.target.classes`, or value).
 *
 * Which rows a rule covers depends on the kind of rule set:
 * - decision list: the rows on which the rule fires (it holds and no earlier rule does);
 * - unordered set: the rows on which its conditions hold (what its confidence in conflict
 *   resolution means), whether or not it wins;
 * - tree: the rows that reach the node.
 *
 * `support` is that number of rows, `coverage` = support / rows, `precision` the share of them
 * whose model label is the rule's class (null for regression or when support is 0). Class outputs
 * get `distribution`: the share of each class among the covered model labels (omitted when
 * support is 0); the default output gets the distribution of the rows no rule takes.
 *
 * @example
 * const withStats = computeRuleStats(rs, rows, await model.predictLabels(rows));
 */
export function computeRuleStats(rs: RuleSet, rows: readonly Row[], modelLabels: Float64Array): RuleSet {
  if (modelLabels.length !== rows.length) throw new RangeError(`computeRuleStats: ${rows.length} rows but ${modelLabels.length} model labels`);
  const out = structuredClone(rs);
  const index = featureIndex(rs.schema);
  const classes = rs.schema.target.kind === 'class' ? rs.schema.target.classes : null;
  const n = rows.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const s = out.surrogate;
  if (s.kind === 'tree') {
    fillNode(s.root, all, rows, modelLabels, index, classes, n);
    return out;
  }
  const covered: number[][] = s.rules.map(() => []);
  const rest: number[] = [];
  for (let i = 0; i < n; i++) {
    let fired = false;
    for (let r = 0; r < s.rules.length; r++) {
      if (!evalConjunction(s.rules[r].conditions, rows[i], index)) continue;
      covered[r].push(i);
      fired = true;
      if (s.kind === 'list') break;
    }
    if (!fired) rest.push(i);
  }
  s.rules.forEach((rule: RuleT, r) => {
    rule.stats = statsOf(rule.output, covered[r], modelLabels, classes, n);
    setDistribution(rule.output, covered[r], modelLabels, classes);
  });
  if (s.default) setDistribution(s.default, rest, modelLabels, classes);
  return out;
}

function fillNode(
  node: TreeNodeT,
  idx: number[],
  rows: readonly Row[],
  labels: Float64Array,
  index: FeatureIndex,
  classes: string[] | null,
  n: number,
): void {
  if (node.type === 'leaf') {
    node.stats = statsOf(node.output, idx, labels, classes, n);
    setDistribution(node.output, idx, labels, classes);
    return;
  }
  node.stats = { support: idx.length, precision: null, coverage: n ? idx.length / n : 0 };
  const yes: number[] = [];
  const no: number[] = [];
  for (const i of idx) (evalCondition(node.condition, rows[i], index) ? yes : no).push(i);
  fillNode(node.yes, yes, rows, labels, index, classes, n);
  fillNode(node.no, no, rows, labels, index, classes, n);
}

function statsOf(output: OutputT, idx: readonly number[], labels: Float64Array, classes: string[] | null, n: number): RuleStatsT {
  let precision: number | null = null;
  if (classes && 'class' in output && idx.length > 0) {
    const k = classes.indexOf(output.class);
    let agree = 0;
    for (const i of idx) if (labels[i] === k) agree++;
    precision = agree / idx.length;
  }
  return { support: idx.length, precision, coverage: n ? idx.length / n : 0 };
}

function setDistribution(output: OutputT, idx: readonly number[], labels: Float64Array, classes: string[] | null): void {
  if (!classes || !('class' in output)) return;
  if (idx.length === 0) {
    delete output.distribution;
    return;
  }
  const counts = new Array<number>(classes.length).fill(0);
  for (const i of idx) {
    const k = labels[i];
    if (k >= 0 && k < classes.length) counts[k]++;
  }
  const d: Record<string, number> = {};
  classes.forEach((c, k) => (d[c] = counts[k] / idx.length));
  output.distribution = d;
}
