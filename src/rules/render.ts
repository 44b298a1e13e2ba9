/**
 * Rule sets as text people read: `IF petal_width > 1.75 AND petal_length > 4.85 THEN virginica
 * [data: 46 rows, precision 0.98; sample: 1046 rows, precision 0.97]`, M-of-N as `AT LEAST 2 OF (...)`, trees as indented yes/no trees.
 */
import type { Decision } from './evaluate.js';
import type { ConditionT, OutputT, RuleSet, RuleStatsT, RuleT, TreeNodeT } from './schema.js';
import { escapeControls } from '../util/text.js';
import { forEachAtomic, forEachCondition, forEachTreeNode } from './walk.js';

export interface RenderOptions {
  /** Significant digits for thresholds and values (default 3); raised per feature where two distinct thresholds would print alike. */
  digits?: number;
  /**
   * Which figures to print beside each rule and node: `both` (default: the real-row figures
   * `stats.data` where the file has them, and the sample figures), `data`, `sample` or `none`.
   */
  stats?: StatsShown;
}

/** The figures {@link renderRuleSet} prints beside rules: on real rows, on the sample, both, none. */
export type StatsShown = 'both' | 'data' | 'sample' | 'none';

/** Per-feature digits (at least `base`, more where distinct thresholds would otherwise look equal) and the figures to print. */
type Digits = { base: number; perFeature: ReadonlyMap<string, number>; stats: StatsShown };

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

/**
 * A name or category as it reads in a rule: as it is when a plain word (letters, digits, `_`,
 * `.`, `-`), otherwise in double quotes with `"` and `\\` backslash-escaped and control
 * characters shown escaped (`\x1b`), so that no name can forge rule text or drive a terminal.
 */
function word(s: string): string {
  if (/^[\p{L}\p{N}_.\-]+$/u.test(s)) return s;
  return `"${escapeControls(s.replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}

/**
 * One condition as text: `petal_width > 1.75`, `2.8 < sepal_width <= 3`, `island IN {Biscoe,
 * Dream}`, `AT LEAST 2 OF (a = 1, b = 1, c = 1)`.
 *
 * @example
 * renderCondition({ type: 'interval', feature: 'sepal_width', low: 2.8, high: 3 }); // '2.8 < sepal_width <= 3'
 */
export function renderCondition(c: ConditionT, opts: RenderOptions = {}): string {
  return cond(c, { base: opts.digits ?? 3, perFeature: new Map(), stats: 'none' });
}

/**
 * A condition as text. M-of-N tests are rendered without recursion (a stack of open tests), so
 * that no depth of nesting can overflow the call stack.
 */
function cond(c: ConditionT, d: Digits): string {
  if (c.type !== 'mofn') return atomic(c, d);
  // Each open M-of-N test: its members' texts so far and the index of the next member.
  const stack: { c: Extract<ConditionT, { type: 'mofn' }>; parts: string[]; next: number }[] = [{ c, parts: [], next: 0 }];
  for (;;) {
    const top = stack[stack.length - 1];
    if (top.next < top.c.conditions.length) {
      const m = top.c.conditions[top.next++];
      if (m.type === 'mofn') stack.push({ c: m, parts: [], next: 0 });
      else top.parts.push(atomic(m, d));
      continue;
    }
    const text = `AT LEAST ${top.c.m} OF (${top.parts.join(', ')})`;
    stack.pop();
    if (!stack.length) return text;
    stack[stack.length - 1].parts.push(text);
  }
}

/** A test on one feature as text. */
function atomic(c: Exclude<ConditionT, { type: 'mofn' }>, d: Digits): string {
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

/**
 * The figures beside a rule or node, each labelled: `[data: 212 rows, precision 0.97; sample: 1160
 * rows, precision 0.52]`. Split nodes (`split`) show row counts only.
 */
function statsText(s: RuleStatsT | undefined, shown: StatsShown, split = false): string {
  if (!s || shown === 'none') return '';
  const part = (label: string, support: number, precision: number | null) =>
    `${label}: ${support} rows${!split && precision !== null ? `, precision ${precision.toFixed(2)}` : ''}`;
  const parts: string[] = [];
  if (s.data && shown !== 'sample') parts.push(part('data', s.data.support, s.data.precision));
  if (shown !== 'data') parts.push(part('sample', s.support, s.precision));
  return parts.length ? `  [${parts.join('; ')}]` : '';
}

function ruleLine(r: RuleT, d: Digits): string {
  const body = r.conditions.length ? r.conditions.map((c) => cond(c, d)).join(' AND ') : 'TRUE';
  return `IF ${body} THEN ${output(r.output, d)}${statsText(r.stats, d.stats)}`;
}

/** Whether some rule or node of the rule set has figures (`which`: any, or real-row ones). */
function hasStats(rs: RuleSet, which: 'any' | 'data'): boolean {
  const has = (st: RuleStatsT | undefined) => (which === 'any' ? st !== undefined : st?.data !== undefined);
  const s = rs.surrogate;
  if (s.kind !== 'tree') return s.rules.some((r) => has(r.stats));
  let found = false;
  forEachTreeNode(s.root, (n) => {
    if (!found && has(n.stats)) found = true;
  });
  return found;
}

/**
 * The line saying which figures the brackets show and what they were counted on, or null when
 * none are shown (or the rules carry none).
 *
 * @example
 * statsLegend(rs); // 'Figures: data = the 455 extraction rows of wdbc.data; sample = ...; precision = share of those rows the model puts in the rule\'s class'
 */
export function statsLegend(rs: RuleSet, shown: StatsShown = 'both'): string | null {
  if (shown === 'none' || !hasStats(rs, 'any')) return null;
  const data = hasStats(rs, 'data') && rs.statsOn?.data ? rs.statsOn.data.description : null;
  const sample = rs.statsOn?.sample ?? 'the model-labelled sample the rules were fitted to';
  const precision = rs.task === 'classification' ? "; precision = share of those rows the model puts in the rule's class" : '';
  if (shown === 'data') {
    if (!data) return 'Figures: none on real rows in this file (distill rules show FILE --data D --model M counts them)';
    return `Figures: data = ${data}${precision}`;
  }
  if (shown === 'sample' || !data) {
    const hint = shown === 'both' ? ' (no figures on real rows in this file: --data D --model M counts them)' : '';
    return `Figures: sample = ${sample}${precision}${hint}`;
  }
  return `Figures: data = ${data}; sample = ${sample}${precision}`;
}

/** Digits per feature so that distinct thresholds on one feature print differently. */
function digitsFor(rs: RuleSet, base: number, stats: StatsShown = 'both'): Digits {
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
  return { base, perFeature, stats };
}

/**
 * One rule of a list or set as text, with thresholds rounded as in the whole rule set.
 *
 * @example
 * renderRule(rs, 0); // 'IF petal_width > 1.75 AND petal_length > 4.85 THEN virginica  [sample: 46 rows, precision 0.98]'
 */
export function renderRule(rs: RuleSet, index: number, opts: RenderOptions = {}): string {
  if (rs.surrogate.kind === 'tree') throw new RangeError('renderRule: trees have no rule list (use treeToRuleList)');
  return ruleLine(rs.surrogate.rules[index], digitsFor(rs, opts.digits ?? 3, opts.stats));
}

/**
 * The text of the rule that made a decision: the rule (lists, sets), the path to the leaf with
 * its `no` steps written `NOT (...)` (trees), or `ELSE ...` for the default.
 *
 * @example
 * renderDecision(rs, decide(rs.surrogate, row, featureIndex(rs.schema)));
 */
export function renderDecision(rs: RuleSet, decision: Decision, opts: RenderOptions = {}): string {
  const d = digitsFor(rs, opts.digits ?? 3, opts.stats);
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
  return `IF ${body} THEN ${output(node.type === 'leaf' ? node.output : null, d)}${statsText(node.stats, d.stats)}`;
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
 * // Figures: data = the 120 extraction rows of builtin:iris; sample = ...; precision = ...
 * // IF petal_length <= 2.45 THEN setosa  [data: 40 rows, precision 1.00; sample: 3402 rows, precision 1.00]
 * // IF petal_width > 1.75 THEN virginica  [data: 38 rows, precision 0.97; sample: 3310 rows, precision 0.98]
 * // ELSE versicolor
 */
export function renderRuleSet(rs: RuleSet, opts: RenderOptions = {}): string {
  const d = digitsFor(rs, opts.digits ?? 3, opts.stats);
  const s = rs.surrogate;
  const lines: string[] = [];
  const legend = statsLegend(rs, d.stats);
  if (s.kind === 'tree') {
    lines.push('Decision tree (a row goes "yes" where the test holds, otherwise "no", missing values included):');
    if (legend) lines.push(legend);
    // Depth first, yes before no, without recursion: the depth gives the indent, the path the label.
    forEachTreeNode(s.root, (n, path, depth) => {
      const indent = '  '.repeat(depth);
      const label = depth === 0 ? '' : path.endsWith('.yes') ? 'yes: ' : 'no: ';
      if (n.type === 'leaf') lines.push(`${indent}${label}${output(n.output, d)}${statsText(n.stats, d.stats)}`);
      else lines.push(`${indent}${label}${cond(n.condition, d)}?${statsText(n.stats, d.stats, true)}`);
    });
  } else {
    lines.push(
      s.kind === 'list'
        ? 'Decision list (the first rule that holds decides):'
        : 'Unordered rules (of the rules that hold, the highest sample precision wins, ties by sample support):',
    );
    if (legend) lines.push(legend);
    for (const r of s.rules) lines.push(ruleLine(r, d));
    lines.push(`ELSE ${output(s.default, d)}`);
  }
  const f = rs.fidelity;
  if (f) {
    const v = f.value.toFixed(3);
    const ci = f.ci95 ? ` (95% CI ${f.ci95[0].toFixed(3)}-${f.ci95[1].toFixed(3)})` : '';
    const comp = f.completeness !== null ? `, completeness ${f.completeness.toFixed(3)}` : '';
    lines.push(`Fidelity: ${f.metric} ${v}${ci} on ${f.rows} rows of ${escapeControls(f.data)}${comp}`);
  }
  for (const c of ruleSetCaveats(rs)) lines.push(`Note: ${c}`);
  const simp = rs.simplification;
  if (simp) {
    const c = (x: typeof simp.before) => `${x.rules} rules, ${x.conditions} conditions, fidelity ${x.fidelity === null ? 'n/a' : x.fidelity.toFixed(3)}`;
    lines.push(`Simplified from ${c(simp.before)} to ${c(simp.after)} (on the simplification sample)`);
    if (simp.note) lines.push(`Note: ${simp.note}`);
  }
  return lines.join('\n') + '\n';
}
