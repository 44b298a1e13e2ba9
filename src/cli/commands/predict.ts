/**
 * `distill predict`: the model's outputs for every row of a data set, as CSV or JSON.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { alignRows } from '../../data/align.js';
import type { Dataset, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import { emit, note, type GlobalArgs, chooseFormat } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';

interface PredictArgs extends GlobalArgs, DataArgs, ModelArgs {}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Float32 outputs printed with the precision they have. */
const num = (v: number) => Number(v.toPrecision(7));

/**
 * Formats predictions: per row the class probabilities (one column per class) and the predicted
 * class, or the predicted value.
 */
export function formatPredictions(model: TabularModel, out: Float32Array, n: number, format: 'csv' | 'json'): string {
  const k = model.outputSize;
  const classes = model.classes;
  const lines: string[] = [];
  const records: Record<string, unknown>[] = [];
  if (format === 'csv') lines.push(classes ? [...classes, 'predicted'].map(csvCell).join(',') : csvCell(model.schema.target.name));
  for (let i = 0; i < n; i++) {
    const row = Array.from(out.subarray(i * k, (i + 1) * k), num);
    if (classes) {
      let best = 0;
      for (let j = 1; j < k; j++) if (row[j] > row[best]) best = j;
      if (format === 'csv') lines.push([...row.map(String), csvCell(classes[best])].join(','));
      else records.push({ probabilities: Object.fromEntries(classes.map((c, j) => [c, row[j]])), predicted: classes[best] });
    } else if (format === 'csv') lines.push(row.map(String).join(','));
    else records.push({ prediction: k === 1 ? row[0] : row });
  }
  return format === 'csv' ? lines.join('\n') : JSON.stringify(records, null, 2);
}

const command: CommandModule<GlobalArgs, PredictArgs> = {
  command: 'predict',
  describe: "Run the model on every row of a data set: class probabilities and predicted class, or values",
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options(modelOptions)
      .options({ ...dataOptions })
      .example('$0 predict --model models/iris --data builtin:iris', 'Probabilities and predicted species as CSV')
      .example('$0 predict --model model.onnx --data new.csv --format json --out preds.json', 'Unlabelled rows, JSON output to a file') as unknown as Argv<PredictArgs>,
  handler: async (argv: ArgumentsCamelCase<PredictArgs>) => {
    const format = chooseFormat(argv.format === 'text' ? undefined : argv.format, ['csv', 'json']);
    const targetGiven = argv.target !== undefined || argv.targetIndex !== undefined;
    const { findModelEncoder, loadBlackBox, resolveModelSpec } = await import('../../model/loadModel.js');
    const encoder = await findModelEncoder(argv.model, argv.encoder);
    let ds: Dataset;
    if (encoder || targetGiven) {
      // With an encoder, columns are matched by name: a target column in the file is simply not used.
      ds = await loadDataFromArgs(argv, { noTarget: !targetGiven });
    } else {
      // No encoder: the model sees the columns as they are. Drop the last column as the target only
      // when the file has one column more than the model takes.
      ds = await loadDataFromArgs(argv, { noTarget: true });
      const { kind } = await resolveModelSpec(argv.model);
      if (kind !== 'http') {
        const bb = await loadBlackBox(argv.model, { backend: argv.backend });
        const width = bb.inputSize;
        await bb.dispose?.();
        if (ds.schema.features.length === width + 1) ds = await loadDataFromArgs(argv);
      } else ds = await loadDataFromArgs(argv);
    }
    const model = await loadModelFromArgs(argv, ds);
    try {
      const rows: Row[] = encoder ? alignRows(ds, model.schema.features) : ds.rows;
      const out = await model.predictRows(rows);
      note(argv, `model: ${model.identity.type} ${model.identity.source} (${model.identity.hash.slice(0, 19)}…), backend ${model.backend}, ${rows.length} rows`);
      await emit(argv, formatPredictions(model, out, rows.length, format));
    } finally {
      await model.dispose();
    }
  },
};

export default command;
