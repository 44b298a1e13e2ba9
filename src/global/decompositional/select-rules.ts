/**
 * Choosing a decision list within a size bound from candidate rules, for the decompositional
 * extractors whose composed rules outgrow what a person reads (mofn, tsukimoto): rules are appended
 * greedily, each time the candidate that adds most agreement with the network's labels on the
 * sample per condition (budgeted maximum coverage). Written by hand: it is rule-format specific.
 */
import type { Feature, Row } from '../../data/types.js';
import { atomicCount } from '../../rules/countRules.js';
import { evalConjunction, featureIndex } from '../../rules/evaluate.js';
import type { ConditionT, RuleT } from '../../rules/schema.js';
import type { Decomposition } from './decomposition.js';

/** A rule the network implies: `cls` (class index) wherever `conditions` hold. */
export interface Candidate {
  conditions: ConditionT[];
  cls: number;
  /** Where it came from, for provenance. */
  kind: string;
}

export interface Bound {
  maxRules: number;
  maxRuleConditions: number;
  maxConditions: number;
}

/** The chosen decision list: its rules (class indices), default class and sample agreement. */
export interface Selection {
  rules: { conditions: ConditionT[]; cls: number; kind: string }[];
  dflt: number;
  agreement: number;
}

/**
 * A decision list within the bound: rules are appended greedily, each time the candidate that
 * adds the most agreement with the network's labels on the sample per (conditions + average
 * conditions per rule the bound allows), while the bound holds and agreement rises.
 *
 * @param labels the network's class per sample row
 * @param dflt the default class (candidates of that class are not used)
 * @example
 * const sel = selectRules(cands, d.sample, d.labels, 0, { maxRules: 10, maxRuleConditions: 12, maxConditions: 40 }, d.features);
 * sel.agreement; // e.g. 0.985
 */
export function selectRules(cands: readonly Candidate[], sample: readonly Row[], labels: Int32Array, dflt: number, bound: Bound, features: readonly Feature[]): Selection {
  const index = featureIndex({ features: [...features] });
  const n = sample.length;
  const sizes = cands.map((c) => c.conditions.reduce((s, x) => s + atomicCount(x), 0));
  const eligible = cands.map((c, i) => c.cls !== dflt && sizes[i] <= bound.maxRuleConditions && sizes[i] <= bound.maxConditions);
  const covers = cands.map((c, i) => {
    if (!eligible[i]) return null;
    const cov = new Uint8Array(n);
    for (let r = 0; r < n; r++) if (evalConjunction(c.conditions, sample[r], index)) cov[r] = 1;
    return cov;
  });
  const taken = new Uint8Array(n);
  let agree = 0;
  for (let r = 0; r < n; r++) if (labels[r] === dflt) agree++;
  const chosen: number[] = [];
  let total = 0;
  const slot = bound.maxConditions / Math.max(1, bound.maxRules);
  while (chosen.length < bound.maxRules) {
    let best = -1;
    let bestScore = 0;
    let bestGain = 0;
    for (let i = 0; i < cands.length; i++) {
      const cov = covers[i];
      if (!cov || chosen.includes(i) || total + sizes[i] > bound.maxConditions) continue;
      let gain = 0;
      for (let r = 0; r < n; r++) {
        if (!cov[r] || taken[r]) continue;
        if (labels[r] === cands[i].cls) gain++;
        else if (labels[r] === dflt) gain--;
      }
      if (gain <= 0) continue;
      const score = gain / (sizes[i] + slot);
      if (score > bestScore || (score === bestScore && (gain > bestGain || (gain === bestGain && sizes[i] < sizes[best])))) {
        best = i;
        bestScore = score;
        bestGain = gain;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    total += sizes[best];
    agree += bestGain;
    const cov = covers[best]!;
    for (let r = 0; r < n; r++) if (cov[r]) taken[r] = 1;
  }
  return {
    rules: chosen.map((i) => ({ conditions: cands[i].conditions, cls: cands[i].cls, kind: cands[i].kind })),
    dflt,
    agreement: n ? agree / n : 1,
  };
}

/** The list's rules in the rule format (class names). */
export function selectionRules(sel: Selection, classes: readonly string[]): RuleT[] {
  return sel.rules.map((r) => ({ conditions: r.conditions, output: { class: classes[r.cls] } }));
}

/**
 * The best list within the bound: with two classes either can be the default (higher agreement,
 * then fewer conditions, then more tests said positively); with more, the most frequent class is.
 *
 * @example
 * const sel = bestSelection(cands, d, { maxRules: 10, maxRuleConditions: 12, maxConditions: 40 });
 */
export function bestSelection(cands: readonly Candidate[], d: Pick<Decomposition, 'classes' | 'labels' | 'sample' | 'features'>, bound: Bound): Selection {
  const k = d.classes.length;
  const counts = new Array<number>(k).fill(0);
  for (const y of d.labels) counts[y]++;
  let dflts = [counts.indexOf(Math.max(...counts))];
  if (k === 2) dflts = [dflts[0], 1 - dflts[0]];
  let best: { s: Selection; size: number; positive: number } | null = null;
  for (const dflt of dflts) {
    const s = selectRules(cands, d.sample, d.labels, dflt, bound, d.features);
    const size = s.rules.reduce((a, r) => a + r.conditions.reduce((b, c) => b + atomicCount(c), 0), 0);
    const positive = s.rules.reduce((a, r) => a + r.conditions.reduce((b, c) => b + positiveTests(c), 0), 0);
    const tie = best !== null && Math.abs(s.agreement - best.s.agreement) <= 1e-12;
    if (!best || s.agreement > best.s.agreement + 1e-12 || (tie && (size < best.size || (size === best.size && positive > best.positive)))) {
      best = { s, size, positive };
    }
  }
  return best!.s;
}

/** Tests said positively (`>`, `=`, `IN`) minus those said negatively (`<=`, `!=`, `NOT IN`): equal lists read better the more positive. */
function positiveTests(c: ConditionT): number {
  switch (c.type) {
    case 'mofn':
      return c.conditions.reduce((a, x) => a + positiveTests(x), 0);
    case 'gt':
    case 'eq':
    case 'in':
      return 1;
    case 'le':
    case 'neq':
    case 'notIn':
      return -1;
    default:
      return 0;
  }
}

