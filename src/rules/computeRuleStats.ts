/**
 * Rule statistics: support, precision, coverage and the class distribution of the rows each rule
 * (or tree node) covers, counted on the model-labelled sample the rules were fitted to
 * (`computeRuleStats`, the rule's `stats`) or on real data rows (`computeDataStats`, `stats.data`).
 */
import { rowCount, rowReader, type RowsLike } from '../data/table.js';
import { evalCondition, evalConjunction, featureIndex } from './evaluate.js';
import type { DataStatsT, OutputT, RuleSet, RuleStatsT, RuleT, TreeNodeT } from './schema.js';

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
export function computeRuleStats(rs: RuleSet, rows: RowsLike, modelLabels: Float64Array): RuleSet {
  if (modelLabels.length !== rowCount(rows)) throw new RangeError(`computeRuleStats: ${rowCount(rows)} rows but ${modelLabels.length} model labels`);
  const out = structuredClone(rs);
  const classes = classesOf(rs);
  const n = rowCount(rows);
  visitCovered(out, rows, {
    rule(holder, output, idx) {
      holder.stats = { ...statsOf(output, idx, modelLabels, classes, n), ...(holder.stats?.data ? { data: holder.stats.data } : {}) };
      setDistribution(output, idx, modelLabels, classes);
    },
    split(holder, idx) {
      holder.stats = { support: idx.length, precision: null, coverage: n ? idx.length / n : 0, ...(holder.stats?.data ? { data: holder.stats.data } : {}) };
    },
    rest(output, idx) {
      if (output) setDistribution(output, idx, modelLabels, classes);
    },
  });
  return out;
}

/**
 * A copy of `rs` whose rules (or tree nodes) carry, beside their sample figures, `stats.data`:
 * support, precision and coverage counted on real rows (the rows an auditor can check: the
 * training file at extraction, the data given to `score` or `rules show --data`), with the model's
 * labels. Which rows a rule covers is as in {@link computeRuleStats}; split nodes get support and
 * coverage (precision null). The sample figures, class distributions and outputs are left as they
 * are, and `statsOn.data` names the rows (`description`). A rule or node without sample figures
 * gets `stats` with support 0 and precision null for the sample part (what it was fitted to is unknown).
 *
 * @param description which rows these are, e.g. `the 455 extraction rows of wdbc.data`
 * @example
 * const shown = computeDataStats(rs, rows, await model.predictLabels(rows), `the ${rows.length} rows of holdout.csv`);
 */
export function computeDataStats(rs: RuleSet, rows: RowsLike, modelLabels: Float64Array, description: string): RuleSet {
  const nRows = rowCount(rows);
  if (modelLabels.length !== nRows) throw new RangeError(`computeDataStats: ${nRows} rows but ${modelLabels.length} model labels`);
  const out = structuredClone(rs);
  const classes = classesOf(rs);
  const n = nRows;
  const withData = (holder: { stats?: RuleStatsT }, data: DataStatsT) => {
    holder.stats = { ...(holder.stats ?? { support: 0, precision: null, coverage: 0 }), data };
  };
  visitCovered(out, rows, {
    rule: (holder, output, idx) => withData(holder, statsOf(output, idx, modelLabels, classes, n)),
    split: (holder, idx) => withData(holder, { support: idx.length, precision: null, coverage: n ? idx.length / n : 0 }),
    rest: () => {},
  });
  out.statsOn = { sample: out.statsOn?.sample ?? SAMPLE_UNKNOWN, data: { rows: n, description } };
  return out;
}

/** What `statsOn.sample` says when a file does not tell. */
export const SAMPLE_UNKNOWN = 'the sample the rules were fitted to (provenance.samples rows, model-labelled)';

/** The rows each rule (or tree node) covers, handed to callbacks; the default's rows to `rest`. */
interface CoverVisitor {
  rule(holder: { stats?: RuleStatsT }, output: OutputT, idx: number[]): void;
  split(holder: { stats?: RuleStatsT }, idx: number[]): void;
  rest(output: OutputT | null, idx: number[]): void;
}

function visitCovered(rs: RuleSet, rows: RowsLike, v: CoverVisitor): void {
  const index = featureIndex(rs.schema);
  const n = rowCount(rows);
  const at = rowReader(rows, { scratch: true });
  const s = rs.surrogate;
  if (s.kind === 'tree') {
    // Recursive, one frame per tree level: bounded on import (`MAX_JSON_DEPTH`, about 500 levels).
    const walk = (node: TreeNodeT, idx: number[]): void => {
      if (node.type === 'leaf') {
        v.rule(node, node.output, idx);
        return;
      }
      v.split(node, idx);
      const yes: number[] = [];
      const no: number[] = [];
      for (const i of idx) (evalCondition(node.condition, at(i), index) ? yes : no).push(i);
      walk(node.yes, yes);
      walk(node.no, no);
    };
    walk(s.root, Array.from({ length: n }, (_, i) => i));
    return;
  }
  const covered: number[][] = s.rules.map(() => []);
  const rest: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = at(i);
    let fired = false;
    for (let r = 0; r < s.rules.length; r++) {
      if (!evalConjunction(s.rules[r].conditions, row, index)) continue;
      covered[r].push(i);
      fired = true;
      if (s.kind === 'list') break;
    }
    if (!fired) rest.push(i);
  }
  s.rules.forEach((rule: RuleT, r) => v.rule(rule, rule.output, covered[r]));
  v.rest(s.default, rest);
}

function classesOf(rs: RuleSet): string[] | null {
  return rs.schema.target.kind === 'class' ? rs.schema.target.classes : null;
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

/** One rule's (or leaf's) figures on real rows, for reports: which rule, what it says, its `stats.data`. */
export interface RuleFigures {
  /** The rule's `id`, else its 1-based place (`#3`) in a list or set; a leaf's path of `y`/`n` steps. */
  rule: string;
  output: OutputT;
  data: DataStatsT | null;
}

/**
 * The real-row figures of every rule (lists and sets, in order) or leaf (trees, `yes` first),
 * as {@link computeDataStats} left them.
 *
 * @example
 * ruleFigures(computeDataStats(rs, rows, labels, 'the 120 rows of test.csv'));
 * // [{ rule: 'y', output: { class: 'setosa', ... }, data: { support: 40, precision: 1, coverage: 0.33 } }, ...]
 */
export function ruleFigures(rs: RuleSet): RuleFigures[] {
  const s = rs.surrogate;
  if (s.kind !== 'tree') return s.rules.map((r, i) => ({ rule: r.id ?? `#${i + 1}`, output: r.output, data: r.stats?.data ?? null }));
  const out: RuleFigures[] = [];
  // Recursive, one frame per tree level: bounded on import (`MAX_JSON_DEPTH`, about 500 levels).
  const walk = (n: TreeNodeT, path: string): void => {
    if (n.type === 'leaf') out.push({ rule: path, output: n.output, data: n.stats?.data ?? null });
    else {
      walk(n.yes, path + 'y');
      walk(n.no, path + 'n');
    }
  };
  walk(s.root, '');
  return out;
}
