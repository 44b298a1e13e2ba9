/**
 * `npm run bench -- rules-quality`: every global extractor in the registry on the public data
 * (WDBC, mushroom, adult, MAGIC, letter, MONK-1/2/3), scored on a test split the network and the
 * extractor never saw: fidelity (agreement with the network) with its bootstrap 95 % interval,
 * rules, conditions and seconds. Methods are read from the registry, so an extractor added there
 * appears here without a change to this file. A method that refuses a network (e.g. `mofn` on
 * numeric inputs, `cred` on two hidden layers) gets a row saying why.
 *
 * Options (after the benchmark's name):
 *   --data wdbc,monk1       only these data sets (names below)
 *   --methods cart,trepan   only these registered methods
 *   --set deepred.maxSeconds=20   an extractor option (repeatable; the value is read as JSON)
 *   --rows N                extract from at most N training rows (seeded subsample; default all)
 *   --no-anchors            leave out the Anchors table
 *
 * @example
 * npm run bench -- rules-quality --data wdbc,monk1 --methods cart,trepan
 */
import { extractorNames, extractRules } from '../../src/global/index.js';
import { countRules, ruleSetCaveats } from '../../src/rules/index.js';
import { createRng } from '../../src/util/rng.js';
import type { Dataset } from '../../src/data/types.js';
import type { TrainOptions } from '../../src/model/index.js';
import { InputError } from '../../src/util/errors.js';
import { anchorsSection } from './anchors.js';
import {
  ADULT,
  LETTER,
  MAGIC,
  MONKS,
  MUSHROOM,
  WDBC,
  networkAccuracy,
  sharedMissing,
  testFidelity,
  timed,
  trainedNetwork,
  trainingFor,
  type PublicData,
  type RuleQualityRow,
} from './common.js';

const ALL: PublicData[] = [WDBC, MUSHROOM, ADULT, MAGIC, LETTER, ...MONKS];

export interface RuleQualityOptions {
  data: string[] | null;
  methods: string[] | null;
  set: Record<string, Record<string, unknown>>;
  rows: number | null;
  anchors: boolean;
}

/**
 * Reads the benchmark's own arguments (see the file comment).
 *
 * @throws InputError naming the argument that is malformed or names an unknown data set or method
 * @example
 * parseRuleQualityArgs(['--data', 'wdbc', '--set', 'deepred.maxSeconds=20']);
 */
export function parseRuleQualityArgs(args: readonly string[]): RuleQualityOptions {
  const o: RuleQualityOptions = { data: null, methods: null, set: {}, rows: null, anchors: true };
  const list = (v: string | undefined, flag: string, known: string[]): string[] => {
    if (!v) throw new InputError(`rules-quality: ${flag} needs a comma-separated list (${known.join(', ')})`);
    const names = v.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = names.filter((n) => !known.includes(n));
    if (bad.length) throw new InputError(`rules-quality: ${flag} names ${bad.join(', ')}; known: ${known.join(', ')}`);
    return names;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.includes('=') && a.startsWith('--') && !a.startsWith('--set=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--data') o.data = list(value(), '--data', ALL.map((d) => d.name));
    else if (flag === '--methods') o.methods = list(value(), '--methods', extractorNames());
    else if (flag === '--no-anchors') o.anchors = false;
    else if (flag === '--rows') {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 10) throw new InputError('rules-quality: --rows needs a whole number of at least 10');
      o.rows = v;
    } else if (flag === '--set' || a.startsWith('--set=')) {
      const v = a.startsWith('--set=') ? a.slice(6) : args[++i];
      const m = /^([\w-]+)\.(\w+)=(.*)$/.exec(v ?? '');
      if (!m) throw new InputError(`rules-quality: --set needs METHOD.OPTION=VALUE, got "${v ?? ''}"`);
      if (!extractorNames().includes(m[1])) throw new InputError(`rules-quality: --set names method ${m[1]}; known: ${extractorNames().join(', ')}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(m[3]);
      } catch {
        parsed = m[3];
      }
      (o.set[m[1]] ??= {})[m[2]] = parsed;
    } else throw new InputError(`rules-quality: unknown argument "${a}"`);
  }
  return o;
}

/** At most `n` rows of `ds`, a seeded sample without replacement (all of them when n is null). */
function subsample(ds: Dataset, n: number | null, seed: number): Dataset {
  if (n === null || ds.rows.length <= n) return ds;
  const keep = createRng(seed)
    .shuffle(Array.from(ds.rows.keys()))
    .slice(0, n)
    .sort((a, b) => a - b);
  return { ...ds, rows: keep.map((i) => ds.rows[i]), target: ds.target && keep.map((i) => ds.target![i]) };
}

const fmt = (x: number, d = 3): string => x.toFixed(d);

function rowLine(r: RuleQualityRow): string {
  const f = r.fidelity ? `${fmt(r.fidelity.value)}${r.fidelity.ci95 ? ` [${fmt(r.fidelity.ci95[0])}, ${fmt(r.fidelity.ci95[1])}]` : ''}` : '—';
  const cell = (v: number | null): string => (v === null ? '—' : String(v));
  const notes = r.notes.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return `| ${r.data} | ${r.method} | ${f} | ${cell(r.rules)} | ${cell(r.conditions)} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${notes} |`;
}

function describeTraining(t: TrainOptions): string {
  const parts = [`${(t.hidden ?? [32, 16]).join('-')} ${t.activation ?? 'relu'}`];
  if (t.batchSize) parts.push(`batch ${t.batchSize}`);
  if (t.epochs) parts.push(`≤ ${t.epochs} epochs`);
  return parts.join(', ');
}

/** Runs the benchmark and returns its Markdown section(s). */
export async function run(args: readonly string[] = []): Promise<string> {
  const opts = parseRuleQualityArgs(args);
  const head = [
    '## Rule quality on public data (`rules-quality`)',
    '',
  ];
  const missing = sharedMissing();
  if (missing) {
    process.stderr.write(`bench rules-quality: ${missing}\n`);
    return [...head, missing, ''].join('\n');
  }
  const datasets = ALL.filter((d) => !opts.data || opts.data.includes(d.name));
  const methods = extractorNames().filter((m) => !opts.methods || opts.methods.includes(m));
  const left = extractorNames().filter((m) => !methods.includes(m));
  const argsText = args.length ? ` Run with \`${args.join(' ')}\`${left.length ? ` (registered methods left out: ${left.join(', ')})` : ''}.` : '';
  const setText = Object.keys(opts.set).length ? ` Options changed from the defaults: ${JSON.stringify(opts.set)}.` : ' Every method runs at its default options.';
  head.push(
    'Each file is split 80/20 (stratified, seed 1; the MONK\'s problems use their own `.train`/`.test` files). ' +
      'A network is trained on the 80 % part (`trainMlp`, seed 1, the options in the network column), every registered global extractor ' +
      `(${methods.join(', ')}) extracts from that part (seed 1${opts.rows ? `, at most ${opts.rows} rows` : ''}), and fidelity is the rules' agreement with the network ` +
      'on the 20 % test part, with a 95 % bootstrap interval (1000 resamples). Rules and conditions are counted as `rules show` counts them (an M-of-N test counts its members). ' +
      `Seconds are the method's own (not training): wall clock and CPU (2 shared cores, expect noise).${setText}${argsText}`,
    '',
  );
  const nets: string[] = [
    '| data | rows train / test | network | test accuracy | classes predicted on test | training (s) |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
  ];
  const table: string[] = [
    '| data | method | test fidelity [95 % CI] | rules | conditions | seconds | CPU s | notes |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const d of datasets) {
    const train = trainingFor(d);
    process.stderr.write(`bench rules-quality: ${d.name}: training (${describeTraining(train)})...\n`);
    const net = await trainedNetwork(d, train);
    const acc = await networkAccuracy(net.model, net.test);
    const predicted = new Set(await net.model.predictLabels(net.test.rows)).size;
    const target = net.model.schema.target;
    const classes = net.model.classes?.length ?? (target.kind === 'class' ? target.classes.length : 0);
    const constant = predicted === 1 ? ' (constant: its rules are trivially faithful)' : '';
    nets.push(
      `| ${d.name} | ${net.train.rows.length} / ${net.test.rows.length} | ${describeTraining(train)} | ${acc === null ? '—' : fmt(acc)} | ${predicted} of ${classes}${constant} | ${net.trainSeconds === null ? 'cached' : net.trainSeconds.toFixed(0)} |`,
    );
    const data = subsample(net.train, opts.rows, 1);
    for (const method of methods) {
      process.stderr.write(`bench rules-quality: ${d.name}: ${method}...`);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let row: RuleQualityRow;
      try {
        const { value: rs, seconds, cpuSeconds } = await timed(() => extractRules(method, { model: net.model, data, seed: 1 }, opts.set[method] ?? {}));
        const k = countRules(rs);
        const fidelity = await testFidelity(rs, net.model, net.test);
        row = { method, data: d.name, fidelity, rules: k.rules, conditions: k.conditions, seconds, cpuSeconds, notes: ruleSetCaveats(rs).join('; ') };
      } catch (e) {
        const c = process.cpuUsage(c0);
        const why = e instanceof InputError ? `refused: ${e.message}` : `failed: ${e instanceof Error ? e.message : String(e)}`;
        row = { method, data: d.name, fidelity: null, rules: null, conditions: null, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, notes: why };
      }
      process.stderr.write(` ${row.seconds.toFixed(1)} s${row.fidelity ? `, fidelity ${fmt(row.fidelity.value)}` : ''}${row.notes ? ` (${row.notes.slice(0, 100)})` : ''}\n`);
      table.push(rowLine(row));
    }
    await net.model.dispose();
  }
  const sections = [[...head, '### Networks', '', ...nets, '', '### Rules', '', ...table, ''].join('\n')];
  if (opts.anchors && (!opts.data || opts.data.includes('wdbc') || opts.data.includes('adult'))) sections.push(await anchorsSection(opts.data));
  return sections.join('\n');
}
