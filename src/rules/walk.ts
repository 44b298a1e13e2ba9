/**
 * Visiting the parts of a rule set with their JSON paths: every condition (M-of-N members
 * included) and every output. Shared by validation, feature checks and complexity counts.
 */
import type { AtomicConditionT, ConditionT, OutputT, RuleSet, SurrogateT, TreeNodeT } from './schema.js';

/**
 * Calls `visit` for every atomic condition of `c` (descending into M-of-N members), with its path.
 */
export function forEachAtomic(c: ConditionT, path: string, visit: (c: AtomicConditionT, path: string) => void): void {
  if (c.type === 'mofn') c.conditions.forEach((m, i) => forEachAtomic(m, `${path}.conditions[${i}]`, visit));
  else visit(c, path);
}

/**
 * Calls `visit` for every top-level condition of a surrogate (rule conditions and tree splits)
 * with its JSON path, in document order.
 */
export function forEachCondition(s: SurrogateT, visit: (c: ConditionT, path: string) => void): void {
  if (s.kind === 'tree') {
    const walk = (n: TreeNodeT, path: string): void => {
      if (n.type === 'leaf') return;
      visit(n.condition, `${path}.condition`);
      walk(n.yes, `${path}.yes`);
      walk(n.no, `${path}.no`);
    };
    walk(s.root, '$.surrogate.root');
    return;
  }
  s.rules.forEach((r, i) => r.conditions.forEach((c, j) => visit(c, `$.surrogate.rules[${i}].conditions[${j}]`)));
}

/** Calls `visit` for every output of a surrogate (rules, default, leaves) with its JSON path. */
export function forEachOutput(s: SurrogateT, visit: (o: OutputT, path: string) => void): void {
  if (s.kind === 'tree') {
    const walk = (n: TreeNodeT, path: string): void => {
      if (n.type === 'leaf') visit(n.output, `${path}.output`);
      else {
        walk(n.yes, `${path}.yes`);
        walk(n.no, `${path}.no`);
      }
    };
    walk(s.root, '$.surrogate.root');
    return;
  }
  s.rules.forEach((r, i) => visit(r.output, `$.surrogate.rules[${i}].output`));
  if (s.default) visit(s.default, '$.surrogate.default');
}

/**
 * Names of the features the rules test, in the order of the embedded schema.
 *
 * @example
 * ruleSetFeatures(rs); // ['petal_length', 'petal_width']
 */
export function ruleSetFeatures(rs: RuleSet): string[] {
  const used = new Set<string>();
  forEachCondition(rs.surrogate, (c, p) => forEachAtomic(c, p, (a) => used.add(a.feature)));
  const ordered = rs.schema.features.map((f) => f.name).filter((n) => used.has(n));
  for (const n of used) if (!ordered.includes(n)) ordered.push(n);
  return ordered;
}

/**
 * A copy of a surrogate with every top-level condition (rule conditions, tree splits) replaced by
 * `f(condition)`; everything else is copied as it is.
 *
 * @example
 * const loud = mapConditions(rs.surrogate, (c) => c); // a deep copy
 */
export function mapConditions(s: SurrogateT, f: (c: ConditionT) => ConditionT): SurrogateT {
  if (s.kind === 'tree') {
    const walk = (n: TreeNodeT): TreeNodeT =>
      n.type === 'leaf' ? structuredClone(n) : { ...structuredClone({ ...n, yes: undefined, no: undefined, condition: undefined }), type: 'split', condition: f(n.condition), yes: walk(n.yes), no: walk(n.no) };
    return { kind: 'tree', root: walk(s.root) };
  }
  return { ...structuredClone(s), rules: s.rules.map((r) => ({ ...structuredClone(r), conditions: r.conditions.map(f) })) };
}
