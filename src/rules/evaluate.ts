/**
 * Applying rule sets to raw rows: the one evaluator every consumer (apply, score, metrics,
 * simplification, extractors) uses, so that a rule set means the same thing everywhere.
 */
import { rowCount, rowReader, type RowsLike } from '../data/table.js';
import type { Row, Schema } from '../data/types.js';
import type { ConditionT, OutputT, RuleSet, RuleT, SurrogateT, TreeNodeT } from './schema.js';

/** Maps feature names to their index in the rows. */
export type FeatureIndex = ReadonlyMap<string, number>;

/** Builds the name → column index map for a feature schema. */
export function featureIndex(schema: Pick<Schema, 'features'>): FeatureIndex {
  return new Map(schema.features.map((f, i) => [f.name, i]));
}

/**
 * Whether `row` satisfies condition `c` (semantics in `schema.ts`: a missing value satisfies no
 * atomic test). Assumes the rule set has been validated against the schema (features exist).
 * M-of-N members are evaluated recursively, one frame per level: safe because a rule set's nesting
 * is bounded on import (`MAX_JSON_DEPTH`, 512 JSON levels: at most about 250 nested M-of-N tests).
 *
 * @example
 * evalCondition({ type: 'gt', feature: 'x', threshold: 1 }, [2], new Map([['x', 0]])); // true
 */
export function evalCondition(c: ConditionT, row: Row, index: FeatureIndex): boolean {
  if (c.type === 'mofn') {
    let k = 0;
    for (const m of c.conditions) if (evalCondition(m, row, index) && ++k >= c.m) return true;
    return false;
  }
  const v = row[index.get(c.feature)!];
  if (v === null || v === undefined) return false;
  switch (c.type) {
    case 'le':
      return (v as number) <= c.threshold;
    case 'gt':
      return (v as number) > c.threshold;
    case 'interval':
      return (c.low === null || (v as number) > c.low) && (c.high === null || (v as number) <= c.high);
    case 'eq':
      return String(v) === c.value;
    case 'neq':
      return String(v) !== c.value;
    case 'in':
      return c.values.includes(String(v));
    case 'notIn':
      return !c.values.includes(String(v));
  }
}

/** Whether every condition of a conjunction holds (an empty conjunction always holds). */
export function evalConjunction(conds: readonly ConditionT[], row: Row, index: FeatureIndex): boolean {
  for (const c of conds) if (!evalCondition(c, row, index)) return false;
  return true;
}

/** What a rule set says for one row: its output (null when nothing fires and there is no default) and which rule fired. */
export interface Decision {
  output: OutputT | null;
  /**
   * Which rule decided: the rule's index for lists and sets, the leaf's path for trees (a string
   * of `y`/`n` steps from the root, `""` for the root), or null when the default decided.
   */
  rule: number | string | null;
}

/** The decision of surrogate `s` for one row. */
export function decide(s: SurrogateT, row: Row, index: FeatureIndex): Decision {
  switch (s.kind) {
    case 'list':
      for (let i = 0; i < s.rules.length; i++) {
        if (evalConjunction(s.rules[i].conditions, row, index)) return { output: s.rules[i].output, rule: i };
      }
      return { output: s.default, rule: null };
    case 'set': {
      let best = -1;
      for (let i = 0; i < s.rules.length; i++) {
        if (!evalConjunction(s.rules[i].conditions, row, index)) continue;
        if (best < 0 || beats(s.rules[i], s.rules[best])) best = i;
      }
      return best < 0 ? { output: s.default, rule: null } : { output: s.rules[best].output, rule: best };
    }
    case 'tree': {
      let node: TreeNodeT = s.root;
      let path = '';
      while (node.type === 'split') {
        if (evalCondition(node.condition, row, index)) {
          node = node.yes;
          path += 'y';
        } else {
          node = node.no;
          path += 'n';
        }
      }
      return { output: node.output, rule: path };
    }
  }
}

/** Conflict resolution of unordered sets: higher precision wins, then higher support, then earlier. */
function beats(a: RuleT, b: RuleT): boolean {
  const pa = a.stats?.precision ?? 0;
  const pb = b.stats?.precision ?? 0;
  if (pa !== pb) return pa > pb;
  return (a.stats?.support ?? 0) > (b.stats?.support ?? 0);
}

/** Decisions of a rule set for many rows. */
export function applyRuleSet(rs: RuleSet, rows: readonly Row[]): Decision[] {
  const index = featureIndex(rs.schema);
  return rows.map((r) => decide(rs.surrogate, r, index));
}

/**
 * Predicted class index (into `rs.schema.target.classes`) or value per row; `NaN` where the rule
 * set makes no prediction.
 */
export function predictLabels(rs: RuleSet, rows: RowsLike): Float64Array {
  const index = featureIndex(rs.schema);
  const classes = rs.schema.target.kind === 'class' ? rs.schema.target.classes : [];
  const out = new Float64Array(rowCount(rows));
  const at = rowReader(rows, { scratch: true });
  for (let i = 0; i < out.length; i++) {
    const o = decide(rs.surrogate, at(i), index).output;
    out[i] = o === null ? NaN : 'value' in o ? o.value : classes.indexOf(o.class);
  }
  return out;
}
