/**
 * Visiting the parts of a rule set with their JSON paths: every condition (M-of-N members
 * included) and every output. Shared by validation, feature checks and complexity counts. Every
 * visit here is iterative, so no depth of nesting can overflow the call stack; `mapConditions`
 * (a copy) recurses once per tree level, bounded on import.
 */
import type { AtomicConditionT, ConditionT, OutputT, RuleSet, SurrogateT, TreeNodeT } from './schema.js';

/**
 * Calls `visit` for `c` and every condition nested in it (M-of-N tests and their members, at any
 * depth), with its path, in document order. Iterative: nesting depth is bounded by memory only.
 */
export function forEachNested(c: ConditionT, path: string, visit: (c: ConditionT, path: string) => void): void {
  const stack: [ConditionT, string][] = [[c, path]];
  while (stack.length) {
    const [x, p] = stack.pop()!;
    visit(x, p);
    if (x.type === 'mofn') for (let i = x.conditions.length - 1; i >= 0; i--) stack.push([x.conditions[i], `${p}.conditions[${i}]`]);
  }
}

/**
 * Calls `visit` for every atomic condition of `c` (descending into M-of-N members), with its path.
 */
export function forEachAtomic(c: ConditionT, path: string, visit: (c: AtomicConditionT, path: string) => void): void {
  forEachNested(c, path, (x, p) => {
    if (x.type !== 'mofn') visit(x, p);
  });
}

/**
 * Calls `visit` for every node of a tree with its JSON path, in document order (a split, then its
 * `yes` subtree, then its `no` subtree) and its depth (0 at the root). Iterative.
 */
export function forEachTreeNode(root: TreeNodeT, visit: (n: TreeNodeT, path: string, depth: number) => void, rootPath = '$.surrogate.root'): void {
  const stack: [TreeNodeT, string, number][] = [[root, rootPath, 0]];
  while (stack.length) {
    const [n, p, d] = stack.pop()!;
    visit(n, p, d);
    if (n.type === 'split') {
      stack.push([n.no, `${p}.no`, d + 1]);
      stack.push([n.yes, `${p}.yes`, d + 1]);
    }
  }
}

/**
 * Calls `visit` for every top-level condition of a surrogate (rule conditions and tree splits)
 * with its JSON path, in document order.
 */
export function forEachCondition(s: SurrogateT, visit: (c: ConditionT, path: string) => void): void {
  if (s.kind === 'tree') {
    forEachTreeNode(s.root, (n, path) => {
      if (n.type === 'split') visit(n.condition, `${path}.condition`);
    });
    return;
  }
  s.rules.forEach((r, i) => r.conditions.forEach((c, j) => visit(c, `$.surrogate.rules[${i}].conditions[${j}]`)));
}

/** Calls `visit` for every output of a surrogate (rules, default, leaves) with its JSON path. */
export function forEachOutput(s: SurrogateT, visit: (o: OutputT, path: string) => void): void {
  if (s.kind === 'tree') {
    forEachTreeNode(s.root, (n, path) => {
      if (n.type === 'leaf') visit(n.output, `${path}.output`);
    });
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
    // Recursive, one frame per tree level: bounded on import (`MAX_JSON_DEPTH`, about 500 levels).
    const walk = (n: TreeNodeT): TreeNodeT =>
      n.type === 'leaf' ? structuredClone(n) : { ...structuredClone({ ...n, yes: undefined, no: undefined, condition: undefined }), type: 'split', condition: f(n.condition), yes: walk(n.yes), no: walk(n.no) };
    return { kind: 'tree', root: walk(s.root) };
  }
  return { ...structuredClone(s), rules: s.rules.map((r) => ({ ...structuredClone(r), conditions: r.conditions.map(f) })) };
}
