/**
 * Counterfactual explanations (Wachter, Mittelstadt & Russell 2017, "Counterfactual explanations
 * without opening the black box"): the smallest change to a row's columns that makes the model
 * answer a wanted class. Distance is the L1 distance in units of each column's spread (its
 * standard deviation in the data; a changed category counts 1), which favours changing few
 * columns.
 *
 * The search, written here since no installed library does it for tabular rows:
 * 1. rule regions — for each rule of the wanted class in a rule set (an extracted surrogate), the
 *    row moved into the rule's region (each condition met at its nearest point, within the data's
 *    observed range and categories, fixed columns untouched), kept when the rule set itself then
 *    answers the wanted class; the nearest few are verified against the model;
 * 2. seeded search — when no region holds a verified counterfactual: random candidates that take
 *    observed values of a few mutable columns from data rows, labelled by the model;
 * 3. refinement — from the best verified candidate, each changed column in a seeded order is moved
 *    back towards the row by bisection (a category reset when it can be) while the model still
 *    answers the wanted class: the result sits just on the wanted side of the model's boundary.
 */
import type { Feature, Row, Value } from '../../data/types.js';
import { featureIndex, decide } from '../../rules/evaluate.js';
import { renderCondition } from '../../rules/render.js';
import type { AtomicConditionT, ConditionT, OutputT, RuleSet, TreeNodeT } from '../../rules/schema.js';
import { negateCondition } from '../../rules/negateCondition.js';
import { fitTrainingStats } from '../../sampling/stats.js';
import { InputError } from '../../util/errors.js';
import { createRng, substream, type Rng } from '../../util/rng.js';
import type { ExplanationT } from '../schema.js';
import type { LocalContext, MethodResult } from '../types.js';
import type { CounterfactualOptions } from './options.js';

/** Verified rule regions at most, nearest first. */
const RULE_CANDIDATES = 12;

/** What the search knows of each column: its spread, observed range or categories, and whether it may change. */
interface Column {
  feature: Feature;
  spread: number;
  min: number;
  max: number;
  categories: string[];
  fixed: boolean;
}

/** A candidate row and where it came from. */
interface Candidate {
  row: Row;
  source: 'rule' | 'search';
  rule: string | null;
}

/**
 * L1 distance of `b` from `a` in units of each column's spread (a changed category or a
 * missing/present change counts 1).
 *
 * @example
 * counterfactualDistance([1, 'a'], [3, 'b'], [{ spread: 2 }, { spread: 1 }]); // 2
 */
export function counterfactualDistance(a: Row, b: Row, columns: readonly { spread: number }[]): number {
  let d = 0;
  for (let j = 0; j < a.length; j++) {
    const x = a[j];
    const y = b[j];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') d += Math.abs(x - y) / columns[j].spread;
    else d += 1;
  }
  return d;
}

/** The columns' facts from the data, with `fixed` named columns marked. */
function columnsOf(ctx: LocalContext, fixed: string[]): Column[] {
  const features = ctx.model.schema.features;
  const names = new Set(features.map((f) => f.name));
  for (const f of fixed) if (!names.has(f)) throw new InputError(`unknown column "${f}"; columns: ${[...names].join(', ')}`, { flag: '--fixed' });
  const stats = fitTrainingStats({ ...ctx.data, schema: { ...ctx.data.schema, features } });
  return features.map((feature, j) => {
    const s = stats.features[j];
    if (s.type === 'numeric') {
      return { feature, spread: s.std > 0 ? s.std : 1, min: s.min, max: s.max, categories: [], fixed: fixed.includes(feature.name) };
    }
    return { feature, spread: 1, min: 0, max: 0, categories: s.categories.filter((_, k) => s.frequencies[k] > 0), fixed: fixed.includes(feature.name) };
  });
}

/**
 * Moves `row` (in place) into the region where atomic condition `c` holds, at its nearest point
 * inside the column's observed range; false when that needs a fixed column changed or a value
 * never observed.
 */
function satisfy(row: Row, c: AtomicConditionT, j: number, col: Column): boolean {
  const v = row[j];
  const set = (x: Value): boolean => {
    if (x === v) return true;
    if (col.fixed) return false;
    row[j] = x;
    return true;
  };
  const numeric = (lo: number, loOpen: boolean, hi: number, hiOpen: boolean): boolean => {
    // Just inside an open bound: a step far below the column's spread.
    const eps = col.spread * 1e-6;
    const low = Math.max(loOpen ? lo + eps : lo, col.min);
    const high = Math.min(hiOpen ? hi - eps : hi, col.max);
    if (low > high) return false;
    const x = typeof v === 'number' ? Math.min(high, Math.max(low, v)) : (low + high) / 2;
    return set(x);
  };
  const category = (allowed: (s: string) => boolean): boolean => {
    if (typeof v === 'string' && allowed(v)) return true;
    const pick = col.categories.find(allowed);
    return pick !== undefined && set(pick);
  };
  switch (c.type) {
    case 'le':
      return numeric(-Infinity, false, c.threshold, false);
    case 'gt':
      return numeric(c.threshold, true, Infinity, false);
    case 'interval':
      return numeric(c.low ?? -Infinity, true, c.high ?? Infinity, false);
    case 'eq':
      return category((s) => s === c.value);
    case 'neq':
      return category((s) => s !== c.value);
    case 'in':
      return category((s) => c.values.includes(s));
    case 'notIn':
      return category((s) => !c.values.includes(s));
  }
}

/** Meets every condition of a conjunction (an M-of-N test: its first m members that can be met). */
function satisfyAll(row: Row, conds: readonly ConditionT[], at: Map<string, number>, cols: readonly Column[]): boolean {
  for (const c of conds) {
    if (c.type === 'mofn') {
      let met = 0;
      for (const m of c.conditions) {
        if (met >= c.m) break;
        const trial = row.slice();
        if (satisfyAll(trial, [m], at, cols)) {
          trial.forEach((x, j) => (row[j] = x));
          met++;
        }
      }
      if (met < c.m) return false;
      continue;
    }
    const j = at.get(c.feature);
    if (j === undefined || !satisfy(row, c, j, cols[j])) return false;
  }
  return true;
}

/** Points tried on the way from a region's nearest point to the nearest data row of the wanted class inside it. */
const REGION_STEPS = [0, 0.25, 0.5, 1];

/**
 * Rule regions of `wanted` in `rs`, each as a few rows inside it: the row moved to the region's
 * nearest point, and points on the way to `prototypes` inside the region (data rows the model
 * answers `wanted` for, the nearest one), fixed columns kept. Only points the rule set itself
 * answers `wanted` for; nearest regions first.
 */
function ruleCandidates(rs: RuleSet, row: Row, wanted: string, cols: readonly Column[], prototypes: readonly Row[]): Candidate[] {
  const s = rs.surrogate;
  const list = s.kind === 'tree' ? { rules: leafRules(s.root) } : s;
  const at = new Map(cols.map((c, j) => [c.feature.name, j]));
  const index = featureIndex({ features: cols.map((c) => c.feature) });
  const answers = (r: Row) => {
    const o = decide(s, r, index).output;
    return !!o && 'class' in o && o.class === wanted;
  };
  const regions: { cands: Candidate[]; d: number }[] = [];
  for (const rule of list.rules) {
    if (!('class' in rule.output) || rule.output.class !== wanted) continue;
    const near = row.slice();
    if (!satisfyAll(near, rule.conditions, at, cols)) continue;
    const text = rule.conditions.map((c) => renderCondition(c)).join(' AND ') || '(any row)';
    let proto: Row | null = null;
    let protoD = Infinity;
    for (const p of prototypes) {
      const q = p.map((v, j) => (cols[j].fixed ? row[j] : v));
      if (q.some((v, j) => v === null && row[j] !== null) || !answers(q)) continue;
      const d = counterfactualDistance(row, q, cols);
      if (d < protoD) [proto, protoD] = [q, d];
    }
    const cands: Candidate[] = [];
    for (const t of proto ? REGION_STEPS : [0]) {
      const c = near.map((v, j) => {
        const p = proto?.[j];
        if (t === 0 || p === undefined) return v;
        if (t >= 1) return p;
        return typeof v === 'number' && typeof p === 'number' ? v + t * (p - v) : v;
      });
      if (answers(c)) cands.push({ row: c, source: 'rule', rule: text });
    }
    if (cands.length) regions.push({ cands, d: counterfactualDistance(row, cands[0].row, cols) });
  }
  return regions.sort((a, b) => a.d - b.d).flatMap((r) => r.cands);
}

/** A tree's leaves as rules with every step of the path written out (a `no` step as the negated test). */
function leafRules(node: TreeNodeT, path: ConditionT[] = []): { conditions: ConditionT[]; output: OutputT }[] {
  if (node.type === 'leaf') return [{ conditions: path, output: node.output }];
  return [...leafRules(node.yes, [...path, node.condition]), ...leafRules(node.no, [...path, negateCondition(node.condition)])];
}

/**
 * Rounds each changed number of `cf` to a readable precision (a hundredth of the column's spread,
 * away from the row's value) where the model still answers `wanted`.
 */
async function roundChanges(ctx: LocalContext, row: Row, cf: Row, wanted: number, cols: readonly Column[], count: { rows: number }): Promise<Row> {
  const out = cf.slice();
  cols.forEach((c, j) => {
    const from = row[j];
    const to = cf[j];
    if (typeof from !== 'number' || typeof to !== 'number' || from === to) return;
    const step = 10 ** Math.floor(Math.log10(c.spread / 100));
    const r = (to > from ? Math.ceil(to / step) : Math.floor(to / step)) * step;
    out[j] = Number(Math.min(c.max, Math.max(c.min, r)).toPrecision(12));
  });
  count.rows++;
  return argmax(await ctx.model.predictRows([out]), 0, ctx.model.outputSize) === wanted ? out : cf;
}

/** Seeded random candidates: 1 to 3 mutable columns take the values of a random data row. */
function searchCandidates(row: Row, cols: readonly Column[], data: readonly Row[], n: number, rng: Rng): Candidate[] {
  const mutable = cols.map((c, j) => (c.fixed ? -1 : j)).filter((j) => j >= 0);
  if (!mutable.length || !data.length) return [];
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const c = row.slice();
    const changes = 1 + Math.floor(rng.uniform() * Math.min(3, mutable.length));
    const donor = data[Math.floor(rng.uniform() * data.length)];
    for (const j of rng.shuffle(mutable.slice()).slice(0, changes)) if (donor[j] !== null) c[j] = donor[j];
    out.push({ row: c, source: 'search', rule: null });
  }
  return out;
}

/** Index of the largest of `k` outputs at row `i`. */
function argmax(out: Float32Array, i: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (out[i * k + c] > out[i * k + best]) best = c;
  return best;
}

/**
 * Moves each changed column of `cf` back towards `row` (seeded order) by bisection while the model
 * still answers `wanted`: a category is reset when that keeps the answer, a number moved to the
 * nearest value of the segment that keeps it.
 */
async function refine(ctx: LocalContext, row: Row, cf: Row, wanted: number, cols: readonly Column[], steps: number, rng: Rng, count: { rows: number }): Promise<Row> {
  const k = ctx.model.outputSize;
  const keeps = async (r: Row) => {
    count.rows++;
    return argmax(await ctx.model.predictRows([r]), 0, k) === wanted;
  };
  let best = cf.slice();
  const order = rng.shuffle(cols.map((_, j) => j).filter((j) => best[j] !== row[j]));
  for (const j of order) {
    const trial = best.slice();
    trial[j] = row[j];
    if (await keeps(trial)) {
      best = trial;
      continue;
    }
    const from = row[j];
    const to = best[j];
    if (typeof from !== 'number' || typeof to !== 'number') continue;
    // Bisection on t in [0, 1] along from + t (to - from): t = 1 keeps the answer, t = 0 does not.
    let lo = 0;
    let hi = 1;
    for (let s = 0; s < steps; s++) {
      const mid = (lo + hi) / 2;
      trial[j] = from + mid * (to - from);
      if (await keeps(trial)) hi = mid;
      else lo = mid;
    }
    trial[j] = from + hi * (to - from);
    best = trial;
  }
  return best;
}

/**
 * Explains each row of `ctx` by its counterfactual (see the module comment): for the class asked
 * for, else the most probable other class.
 *
 * @throws InputError for a regression model, an unknown `--fixed` column, or a rule set with
 *   columns the model does not have.
 * @example
 * const file = await explainRows('counterfactual', { model, data, rows: [data.rows[3]], rowIds: [3] }, { ruleSet, fixed: 'age' });
 * file.explanations[0].counterfactual?.changes; // [{ feature: 'income', from: 31000, to: 38250 }]
 */
export async function counterfactualMethod(ctx: LocalContext, options: CounterfactualOptions): Promise<MethodResult> {
  const model = ctx.model;
  if (model.task !== 'classification') throw new InputError('counterfactuals look for another class: this is a regression model', { flag: '--method' });
  const k = model.outputSize;
  const classes = model.classes ?? Array.from({ length: k }, (_, c) => String(c));
  const fixed = options.fixed.split(',').map((s) => s.trim()).filter(Boolean);
  const cols = columnsOf(ctx, fixed);
  const rs = options.ruleSet;
  if (rs) {
    const missing = rs.schema.features.map((f) => f.name).filter((n) => !cols.some((c) => c.feature.name === n));
    if (missing.length) throw new InputError(`the rule set uses columns the model does not have: ${missing.join(', ')}`, { flag: '--rules' });
  }
  let samples = 0;
  const explanations: ExplanationT[] = [];
  let prototypes: Map<number, Row[]> | undefined;
  /** The data rows by the class the model answers for them (computed once, when a rule set is used). */
  const prototypesOf = async (c: LocalContext): Promise<Map<number, Row[]>> => {
    const rows = c.data.rows;
    // Shared by the batch's rows (computed at most once per batch): not counted in `samples`.
    const out = rows.length ? await model.predictRows(rows) : new Float32Array(0);
    const m = new Map<number, Row[]>();
    rows.forEach((r, n) => {
      const a = argmax(out, n, k);
      if (!m.has(a)) m.set(a, []);
      m.get(a)!.push(r);
    });
    return m;
  };
  for (let i = 0; i < ctx.rows.length; i++) {
    const row = ctx.rows[i];
    const predicted = argmax(ctx.outputs, i, k);
    // The wanted class: the one asked for, else the most probable other class.
    let wanted = ctx.targets[i];
    if (!ctx.classGiven) {
      wanted = predicted === 0 ? 1 : 0;
      for (let c = 0; c < k; c++) if (c !== predicted && ctx.outputs[i * k + c] > ctx.outputs[i * k + wanted]) wanted = c;
    }
    const rng = createRng(substream(ctx.seed, `counterfactual:${ctx.rowIds[i]}`));
    const notes: string[] = [];
    let found: Candidate | null = null;
    if (predicted === wanted) {
      found = { row: row.slice(), source: 'rule', rule: null };
      notes.push(`the model already answers ${classes[wanted]} for this row: nothing needs to change`);
    }
    const tryCandidates = async (cands: Candidate[]): Promise<Candidate | null> => {
      if (!cands.length) return null;
      const out = await model.predictRows(cands.map((c) => c.row));
      samples += cands.length;
      let best: Candidate | null = null;
      let bestD = Infinity;
      cands.forEach((c, n) => {
        if (argmax(out, n, k) !== wanted) return;
        const d = counterfactualDistance(row, c.row, cols);
        if (d < bestD) [best, bestD] = [c, d];
      });
      return best;
    };
    if (!found && rs) {
      prototypes ??= await prototypesOf(ctx);
      found = await tryCandidates(ruleCandidates(rs, row, classes[wanted], cols, prototypes.get(wanted) ?? []).slice(0, RULE_CANDIDATES * REGION_STEPS.length));
      if (!found) notes.push(`no region of ${classes[wanted]} in the rule set holds a counterfactual the model confirms; a seeded search was run`);
    }
    if (!found && options.searchSamples > 0) found = await tryCandidates(searchCandidates(row, cols, ctx.data.rows, options.searchSamples, rng));
    let counterfactual: NonNullable<ExplanationT['counterfactual']> | null = null;
    if (found) {
      const count = { rows: 1 };
      const refined = predicted === wanted ? found.row : await roundChanges(ctx, row, await refine(ctx, row, found.row, wanted, cols, options.refineSteps, rng, count), wanted, cols, count);
      const out = await model.predictRows([refined]);
      samples += count.rows;
      const answer = argmax(out, 0, k);
      counterfactual = {
        wanted: classes[wanted],
        changes: cols.flatMap((c, j) => (refined[j] !== row[j] ? [{ feature: c.feature.name, from: row[j] ?? null, to: refined[j] ?? null }] : [])),
        row: refined.map((v) => v ?? null),
        distance: counterfactualDistance(row, refined, cols),
        spreads: cols.map((c) => ({ feature: c.feature.name, spread: c.feature.type === 'numeric' ? c.spread : null })),
        prediction: { class: classes[answer], probability: out[wanted], flips: answer === wanted },
        source: found.source,
        rule: found.rule,
      };
    } else {
      notes.push(`no counterfactual of class ${classes[wanted]} found within the data's observed ranges${fixed.length ? ` with ${fixed.join(', ')} fixed` : ''}`);
    }
    explanations.push({
      row: ctx.rowIds[i],
      method: 'counterfactual',
      class: classes[wanted],
      classIndex: wanted,
      predictedClass: classes[predicted],
      prediction: ctx.outputs[i * k + wanted],
      base: null,
      instance: row.map((v) => (v === undefined ? null : v)),
      missing: cols.filter((_, j) => row[j] === null || row[j] === undefined).map((c) => c.feature.name),
      attributions: [],
      faithfulness: null,
      counterfactual,
      ...(notes.length ? { notes } : {}),
    });
  }
  const used: Record<string, unknown> = { fixed: options.fixed, searchSamples: options.searchSamples, refineSteps: options.refineSteps };
  if (rs) used.ruleSet = { method: rs.provenance.method, data: rs.provenance.data, createdAt: rs.provenance.createdAt };
  return { explanations, options: used, samples };
}
