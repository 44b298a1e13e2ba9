/**
 * Fidelity: how well the surrogate reproduces the model (not the truth). Agreement of predicted
 * classes, or R² and MAE against the model's outputs, with a seeded percentile bootstrap interval.
 */
import { DEFAULT_SEED } from '../util/rng.js';
import { bootstrapReplicates, percentileInterval95, type BootstrapStatistic, type Bootstrapper } from './bootstrap.js';
import { meanAbsoluteError, r2Score } from './regression.js';

/** Agreement with the model on the rows where the model predicts one class. */
export interface ClassFidelity {
  class: string;
  /** Rows the model assigns to this class. */
  modelRows: number;
  /** Rows the surrogate assigns to this class. */
  surrogateRows: number;
  /** Share of the model's rows of this class where the surrogate agrees (null when modelRows is 0). */
  agreement: number | null;
  /** Share of the surrogate's rows of this class where the model agrees (null when surrogateRows is 0). */
  precision: number | null;
}

export interface ClassificationFidelity {
  task: 'classification';
  rows: number;
  /** Rows where the surrogate makes no prediction (counted as disagreement). */
  noPrediction: number;
  /** Share of rows where surrogate and model predict the same class. */
  agreement: number;
  /** Percentile bootstrap 95 % interval of the agreement (null with bootstrap 0). */
  ci95: [number, number] | null;
  bootstrap: number;
  seed: number;
  perClass: ClassFidelity[];
  /**
   * Surrogate against model: `matrix[m][s]` counts rows the model puts in class m and the
   * surrogate in class s; `noPrediction[m]` rows of model class m the surrogate leaves open.
   */
  confusion: { classes: string[]; matrix: number[][]; noPrediction: number[] };
}

export interface RegressionFidelity {
  task: 'regression';
  rows: number;
  /** Rows where the surrogate makes no prediction (left out of R² and MAE). */
  noPrediction: number;
  /** R² of the surrogate's values against the model's outputs. */
  r2: number;
  /** Percentile bootstrap 95 % interval of R². */
  ci95: [number, number] | null;
  mae: number;
  maeCi95: [number, number] | null;
  bootstrap: number;
  seed: number;
}

export type FidelityReport = ClassificationFidelity | RegressionFidelity;

export interface FidelityOptions {
  task: 'classification' | 'regression';
  /** Class names (index order); default "0", "1", ... up to the largest label. */
  classes?: string[];
  /** Seed of the bootstrap (default 42). */
  seed?: number;
  /** Bootstrap resamples (default 1000; 0 for none). */
  bootstrap?: number;
}

/**
 * Fidelity of surrogate predictions to model predictions on the same rows.
 *
 * Classification: agreement = share of rows where the classes match; a `NaN` surrogate
 * prediction (no rule fired, no default) is a disagreement and is counted in `noPrediction`.
 * Regression: R² and MAE of surrogate values against model outputs, over the rows where the
 * surrogate predicts. Intervals: seeded percentile bootstrap over rows.
 *
 * @param surrogate class index or value per row (`NaN`: no prediction)
 * @param model the model's class index or value per row
 * @throws RangeError when the arrays differ in length or are empty
 * @example
 * // model [0,0,1,1], surrogate [0,1,1,NaN]: 2 of 4 agree
 * fidelity(new Float64Array([0, 1, 1, NaN]), new Float64Array([0, 0, 1, 1]), { task: 'classification', bootstrap: 0 }).agreement; // 0.5
 */
export function fidelity(surrogate: Float64Array, model: Float64Array, opts: FidelityOptions): FidelityReport {
  const plan = planFidelity(surrogate, model, opts);
  const b = plan.resamples > 0 && plan.n > 0 ? plan.resamples : 0;
  return plan.finish(bootstrapReplicates(plan.n, plan.statistics, plan.seed, 0, b));
}

/**
 * {@link fidelity} with the bootstrap replicates computed by `bootstrapper` (e.g. over worker
 * threads): the same report, whichever bootstrapper computes them.
 *
 * @example
 * const report = await fidelityWith(surrogate, model, { task: 'classification' }, localBootstrap);
 */
export async function fidelityWith(surrogate: Float64Array, model: Float64Array, opts: FidelityOptions, bootstrapper: Bootstrapper): Promise<FidelityReport> {
  const plan = planFidelity(surrogate, model, opts);
  const b = plan.resamples > 0 && plan.n > 0 ? plan.resamples : 0;
  return plan.finish(b ? await bootstrapper(plan.n, plan.statistics, b, plan.seed) : plan.statistics.map(() => new Float64Array(0)));
}

/** What a fidelity report needs resampled, and how the report is completed from the replicates. */
interface FidelityPlan {
  /** Rows resampled. */
  n: number;
  statistics: BootstrapStatistic[];
  resamples: number;
  seed: number;
  /** The report, given each statistic's replicates (empty: no interval). */
  finish(replicates: Float64Array[]): FidelityReport;
}

function planFidelity(surrogate: Float64Array, model: Float64Array, opts: FidelityOptions): FidelityPlan {
  const n = model.length;
  if (surrogate.length !== n) throw new RangeError(`fidelity: ${surrogate.length} surrogate predictions but ${n} model predictions`);
  if (n === 0) throw new RangeError('fidelity: no rows');
  const bootstrap = opts.bootstrap ?? 1000;
  const seed = opts.seed ?? DEFAULT_SEED;
  let noPrediction = 0;
  for (let i = 0; i < n; i++) if (Number.isNaN(surrogate[i])) noPrediction++;

  if (opts.task === 'regression') {
    const kept: number[] = [];
    for (let i = 0; i < n; i++) if (!Number.isNaN(surrogate[i])) kept.push(i);
    const r2 = kept.length ? r2Score(surrogate, model, kept) : NaN;
    const mae = kept.length ? meanAbsoluteError(surrogate, model, kept) : NaN;
    const rows = Uint32Array.from(kept);
    return {
      n: kept.length,
      statistics: [
        { kind: 'r2', pred: surrogate, ref: model, rows },
        { kind: 'mae', pred: surrogate, ref: model, rows },
      ],
      resamples: bootstrap,
      seed,
      finish: ([r2Reps, maeReps]) => ({
        task: 'regression',
        rows: n,
        noPrediction,
        r2,
        ci95: percentileInterval95(r2Reps),
        mae,
        maeCi95: percentileInterval95(maeReps),
        bootstrap,
        seed,
      }),
    };
  }

  let k = opts.classes?.length ?? 0;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(model[i])) k = Math.max(k, model[i] + 1);
    if (Number.isFinite(surrogate[i])) k = Math.max(k, surrogate[i] + 1);
  }
  const classes = Array.from({ length: k }, (_, c) => opts.classes?.[c] ?? String(c));
  const agree = new Uint8Array(n);
  const matrix = classes.map(() => new Array<number>(k).fill(0));
  const open = new Array<number>(k).fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const m = model[i];
    const s = surrogate[i];
    if (s === m) {
      agree[i] = 1;
      total++;
    }
    if (!Number.isFinite(m)) continue;
    if (Number.isNaN(s)) open[m]++;
    else matrix[m][s]++;
  }
  const perClass = classes.map((name, c) => {
    const modelRows = matrix[c].reduce((a, b) => a + b, 0) + open[c];
    const surrogateRows = matrix.reduce((a, row) => a + row[c], 0);
    return {
      class: name,
      modelRows,
      surrogateRows,
      agreement: modelRows ? matrix[c][c] / modelRows : null,
      precision: surrogateRows ? matrix[c][c] / surrogateRows : null,
    };
  });
  return {
    n,
    statistics: [{ kind: 'mean', values: agree }],
    resamples: bootstrap,
    seed,
    finish: ([reps]) => ({
      task: 'classification',
      rows: n,
      noPrediction,
      agreement: total / n,
      ci95: percentileInterval95(reps),
      bootstrap,
      seed,
      perClass,
      confusion: { classes, matrix, noPrediction: open },
    }),
  };
}
