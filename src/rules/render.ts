/**
 * Rule sets as text people read: `IF petal_width > 1.75 AND petal_length > 4.85 THEN virginica
 * [confidence 0.98, covers 46]`, M-of-N as `AT LEAST 2 OF (...)`, trees as indented yes/no trees.
 */
import type { Decision } from './evaluate.js';
import type { ConditionT, OutputT, RuleSet, RuleStatsT, RuleT, TreeNodeT } from './schema.js';
import { forEachAtomic, forEachCondition } from './walk.js';

export interface RenderOptions {
  /** Significant digits for thresholds and values (default 3); raised per feature where two distinct thresholds would print alike. */
  digits?: number;
}

/** Per-feature digits: at least `digits`, more where distinct thresholds would otherwise look equal. */
type Digits = { base: number; perFeature: ReadonlyMap<string, number> };

/**
 * A number rounded for reading: `digits` significant digits, no exponent for ordinary magnitudes,
 * integers as they are.
 *
 * @example
 * formatNumber(1.7500001); // '1.75'
 * formatNumber(12345.678); // '12346'
 */
export function formatNumber(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return String(Math.round(x));
  const s = String(Number(x.toPrecision(digits)));
  return s;
}

/** Quotes a name or category when it is not a plain word (letters, digits, `_`, `.`, `-`). */
function word(s: string): string {
  return /^[\p{L}\p{N}_.\-]+$/u.test(s) ? s : JSON.stringify(s);
}

/**
 * One condition as text: `petal_width > 1.75`, `2.8 < sepal_width <= 3`, `island IN {Biscoe,
 * Dream}`, `AT LEAST 2 OF (a = 1, b = 1, c = 1)`.
 *
 * @example
 * renderCondition({ type: 'interval', feature: 'sepal_width', low: 2.8, high: 3 }); // '2.8 < sepal_width <= 3'
 */
export function renderCondition(c: ConditionT, opts: RenderOptions = {}): string {
  return cond(c, { base: opts.digits ?? 3, perFeature: new Map() });
}

function cond(c: ConditionT, d: Digits): string {
  if (c.type === 'mofn') return `AT LEAST ${c.m} OF (${c.conditions.map((m) => cond(m, d)).join(', ')})`;
  const f = word(c.feature);
  const k = d.perFeature.get(c.feature) ?? d.base;
  switch (c.type) {
    case 'le':
      return `${f} <= ${formatNumber(c.threshold, k)}`;
    case 'gt':
      return `${f} > ${formatNumber(c.threshold, k)}`;
    case 'interval': {
      if (c.low === null && c.high === null) return `${f} is not missing`;
      let kk = k;
      while (c.low !== null && c.high !== null && kk < 17 && formatNumber(c.low, kk) === formatNumber(c.high, kk)) kk++;
      if (c.low === null) return `${f} <= ${formatNumber(c.high!, kk)}`;
      if (c.high === null) return `${f} > ${formatNumber(c.low, kk)}`;
      return `${formatNumber(c.low, kk)} < ${f} <= ${formatNumber(c.high, kk)}`;
    }
    case 'eq':
      return `${f} = ${word(c.value)}`;
    case 'neq':
      return `${f} != ${word(c.value)}`;
    case 'in':
      return `${f} IN {${c.values.map(word).join(', ')}}`;
    case 'notIn':
      return `${f} NOT IN {${c.values.map(word).join(', ')}}`;
  }
}

function output(o: OutputT | null, d: Digits): string {
  if (o === null) return 'no prediction';
  return 'class' in o ? word(o.class) : formatNumber(o.value, Math.max(d.base, 4));
}

function statsText(s: RuleStatsT | undefined): string {
  if (!s) return '';
  const parts: string[] = [];
  if (s.precision !== null) parts.push(`confidence ${s.precision.toFixed(2)}`);
  parts.push(`covers ${s.support}`);
  return `  [${parts.join(', ')}]`;
}

function ruleLine(r: RuleT, d: Digits): string {
  const body = r.conditions.length ? r.conditions.map((c) => cond(c, d)).join(' AND ') : 'TRUE';
  return `IF ${body} THEN ${output(r.output, d)}${statsText(r.stats)}`;
}

/** Digits per feature so that distinct thresholds on one feature print differently. */
function digitsFor(rs: RuleSet, base: number): Digits {
  const values = new Map<string, Set<number>>();
  const add = (f: string, x: number | null) => {
    if (x === null) return;
    if (!values.has(f)) values.set(f, new Set());
    values.get(f)!.add(x);
  };
  forEachCondition(rs.surrogate, (c, p) =>
    forEachAtomic(c, p, (a) => {
      if (a.type === 'le' || a.type === 'gt') add(a.feature, a.threshold);
      else if (a.type === 'interval') {
        add(a.feature, a.low);
        add(a.feature, a.high);
      }
    }),
  );
  const perFeature = new Map<string, number>();
  for (const [f, set] of values) {
    let k = base;
    while (k < 17 && new Set([...set].map((x) => formatNumber(x, k))).size < set.size) k++;
    perFeature.set(f, k);
  }
  return { base, perFeature };
}

/**
 * One rule of a list or set as text, with thresholds rounded as in the whole rule set.
 *
 * @example
 * renderRule(rs, 0); // 'IF petal_width > 1.75 AND petal_length > 4.85 THEN virginica  [confidence 0.98, covers 46]'
 */
export function renderRule(rs: RuleSet, index: number, opts: RenderOptions = {}): string {
  if (rs.surrogate.kind === 'tree') throw new RangeError('renderRule: trees have no rule list (use treeToRuleList)');
  return ruleLine(rs.surrogate.rules[index], digitsFor(rs, opts.digits ?? 3));
}

/**
 * The text of the rule that made a decision: the rule (lists, sets), the path to the leaf with
 * its `no` steps written `NOT (...)` (trees), or `ELSE ...` for the default.
 *
 * @example
 * renderDecision(rs, decide(rs.surrogate, row, featureIndex(rs.schema)));
 */
export function renderDecision(rs: RuleSet, decision: Decision, opts: RenderOptions = {}): string {
  const d = digitsFor(rs, opts.digits ?? 3);
  const s = rs.surrogate;
  if (s.kind !== 'tree') {
    if (decision.rule === null || typeof decision.rule !== 'number') return `ELSE ${output(s.default, d)}`;
    return ruleLine(s.rules[decision.rule], d);
  }
  const steps: string[] = [];
  let node: TreeNodeT = s.root;
  for (const step of String(decision.rule ?? '')) {
    if (node.type !== 'split') break;
    steps.push(step === 'y' ? cond(node.condition, d) : `NOT (${cond(node.condition, d)})`);
    node = step === 'y' ? node.yes : node.no;
  }
  const body = steps.length ? steps.join(' AND ') : 'TRUE';
  return `IF ${body} THEN ${output(node.type === 'leaf' ? node.output : null, d)}${statsText(node.stats)}`;
}

/**
 * What a reader must know before trusting a rule set, as sentences: that a time or size budget
 * cut the search (`provenance.options.budgetCut`, written by extractors with a budget), or that
 * a search found no rule reaching its precision threshold (`provenance.options.confident` false,
 * written by Anchors). Empty when there is nothing to say.
 *
 * @example
 * ruleSetCaveats(anchorRules); // ['no rule reached the precision threshold 0.95: the rule shown is the best candidate found, not an anchor']
 */
export function ruleSetCaveats(rs: RuleSet): string[] {
  const o = rs.provenance.options;
  const out: string[] = [];
  if (typeof o.budgetCut === 'string' && o.budgetCut !== '') out.push(`the search was cut by its budget (${o.budgetCut})`);
  if (o.confident === false) {
    const t = typeof o.threshold === 'number' ? ` ${o.threshold}` : '';
    out.push(`no rule reached the precision threshold${t}: the rule shown is the best candidate found, not an anchor`);
  }
  return out;
}

/**
 * The whole rule set as text: a line saying how to read it, one line per rule and the default as
 * `ELSE ...` (lists and sets), or an indented yes/no tree; then the fidelity measured at extraction
 * and a `Note:` line per {@link ruleSetCaveats}.
 *
 * @example
 * console.log(renderRuleSet(rs));
 * // Decision list (the first rule that holds decides):
 * // IF petal_length <= 2.45 THEN setosa  [confidence 1.00, covers 50]
 * // IF petal_width > 1.75 THEN virginica  [confidence 0.98, covers 46]
 * // ELSE versicolor
 */
export function renderRuleSet(rs: RuleSet, opts: RenderOptions = {}): string {
  const d = digitsFor(rs, opts.digits ?? 3);
  const s = rs.surrogate;
  const lines: string[] = [];
  if (s.kind === 'tree') {
    lines.push('Decision tree (a row goes "yes" where the test holds, otherwise "no", missing values included):');
    const walk = (n: TreeNodeT, indent: string, label: string): void => {
      if (n.type === 'leaf') {
        lines.push(`${indent}${label}${output(n.output, d)}${statsText(n.stats)}`);
        return;
      }
      lines.push(`${indent}${label}${cond(n.condition, d)}?${n.stats ? `  [covers ${n.stats.support}]` : ''}`);
      walk(n.yes, indent + '  ', 'yes: ');
      walk(n.no, indent + '  ', 'no: ');
    };
    walk(s.root, '', '');
  } else {
    lines.push(
      s.kind === 'list'
        ? 'Decision list (the first rule that holds decides):'
        : 'Unordered rules (of the rules that hold, the highest confidence wins, ties by support):',
    );
    for (const r of s.rules) lines.push(ruleLine(r, d));
    lines.push(`ELSE ${output(s.default, d)}`);
  }
  const f = rs.fidelity;
  if (f) {
    const v = f.value.toFixed(3);
    const ci = f.ci95 ? ` (95% CI ${f.ci95[0].toFixed(3)}-${f.ci95[1].toFixed(3)})` : '';
    const comp = f.completeness !== null ? `, completeness ${f.completeness.toFixed(3)}` : '';
    lines.push(`Fidelity: ${f.metric} ${v}${ci} on ${f.rows} rows of ${f.data}${comp}`);
  }
  for (const c of ruleSetCaveats(rs)) lines.push(`Note: ${c}`);
  const simp = rs.simplification;
  if (simp) {
    const c = (x: typeof simp.before) => `${x.rules} rules, ${x.conditions} conditions, fidelity ${x.fidelity === null ? 'n/a' : x.fidelity.toFixed(3)}`;
    lines.push(`Simplified from ${c(simp.before)} to ${c(simp.after)} (on the simplification sample)`);
  }
  return lines.join('\n') + '\n';
}
