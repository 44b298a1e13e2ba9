/**
 * `distill predict`: the model's outputs for every row of a data set, as CSV or JSON.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import { alignmentKnownSafe, rowAligner } from '../../data/align.js';
import type { DatasetScan } from '../../data/load.js';
import { STDIN_SPEC, STREAM_BATCH_ROWS } from '../../data/options.js';
import { InputError } from '../../util/errors.js';
import type { Dataset, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import { chooseFormat, jsonArrayWriter, note, writeOutput, type GlobalArgs, type Output } from '../context.js';
import { csvCell } from '../csv.js';
import { dataOptions, scanDataFromArgs, streamDataFromArgs, type DataArgs } from '../data-options.js';
import { loadModelFromArgs, modelOptions, type ModelArgs } from '../model-options.js';

interface PredictArgs extends GlobalArgs, DataArgs, ModelArgs {}

/** Float32 outputs printed with the precision they have. */
const num = (v: number) => Number(v.toPrecision(7));

/** Index of the largest of the `k` outputs from `at` (the first on ties). */
function argmax(outputs: Float32Array, at: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (outputs[at + j] > outputs[at + best]) best = j;
  return best;
}

/**
 * Writes predictions as they come: per row the class probabilities (one column per class) and the
 * predicted class, or the predicted value. CSV cells holding names are made safe for spreadsheets
 * (see `csvCell`); JSON is laid out as `JSON.stringify(records, null, 2)` would.
 *
 * @example
 * const w = predictionWriter(model, 'csv', out);
 * await w.write(await model.predictRows(rows), rows.length);
 * await w.end();
 */
export function predictionWriter(model: TabularModel, format: 'csv' | 'json', out: Pick<Output, 'write'>): { write(outputs: Float32Array, n: number): Promise<void>; end(): Promise<void> } {
  const k = model.outputSize;
  const classes = model.classes;
  const json = format === 'json' ? jsonArrayWriter(out) : null;
  const header = classes ? [...classes, 'predicted'].map((c) => csvCell(c)).join(',') : csvCell(model.schema.target.name);
  const classCells = classes?.map((c) => csvCell(c)) ?? [];
  let started = false;
  return {
    async write(outputs, n) {
      const lines: string[] = [];
      if (!json && !started) lines.push(header);
      started = true;
      for (let i = 0; i < n; i++) {
        const at = i * k;
        if (json) {
          const row = Array.from(outputs.subarray(at, at + k), num);
          if (classes) await json.item({ probabilities: Object.fromEntries(classes.map((c, j) => [c, row[j]])), predicted: classes[argmax(outputs, at, k)] });
          else await json.item({ prediction: k === 1 ? row[0] : row });
          continue;
        }
        // CSV: the line built directly, no array per row (a streamed file has millions of them).
        let line = String(num(outputs[at]));
        for (let j = 1; j < k; j++) line += ',' + num(outputs[at + j]);
        lines.push(classes ? line + ',' + classCells[argmax(outputs, at, k)] : line);
      }
      if (lines.length) await out.write(lines.join('\n') + '\n');
    },
    async end() {
      if (json) await json.end();
      else if (!started) await out.write(header + '\n');
    },
  };
}

/**
 * The model flags' data as the model loader needs it without the rows: a model without
 * encoder.json gets the identity encoder of the data, which reads only the schema and the column
 * means; a one-row dataset holding those means stands for the whole file.
 */
function meansDataset(scan: DatasetScan): Dataset {
  const { plan } = scan;
  const row: Row = plan.schema.features.map((f, j) => (f.type === 'numeric' ? plan.features[j].mean : null));
  const ds: Dataset = { source: scan.source, schema: plan.schema, rows: [row], missing: 0 };
  if (plan.schema.target) ds.target = [null];
  return ds;
}

const command: CommandModule<GlobalArgs, PredictArgs> = {
  ...COMMAND_SUMMARIES.predict,
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
    // With an encoder, a large CSV file or CSV on standard input is read once, typed by the
    // encoder's schema: memory stays bounded whatever the size of the data.
    const stream = encoder ? await streamDataFromArgs(argv, encoder.schema.features, 'the model') : null;
    if (stream) {
      const model = await loadModelFromArgs(argv);
      try {
        await writeOutput(argv, (out) => predictionWriter(model, format, out), async (w) => {
          for await (const b of stream.batches(STREAM_BATCH_ROWS)) await w.write(await model.predictRows(b.rows), b.rows.length);
        });
        note(argv, `model: ${modelNote(model)}, ${stream.rows} rows`);
      } finally {
        await model.dispose();
      }
      return;
    }
    if (argv.data === STDIN_SPEC && !encoder) {
      throw new InputError('standard input needs a model with an encoder (encoder.json beside it, or --encoder): without one the data is scanned for its columns first, a second pass', { flag: '--data' });
    }
    // Other data is scanned once for its types, then its rows read again in batches.
    let scan: DatasetScan;
    if (encoder || targetGiven) {
      // With an encoder, columns are matched by name: a target column in the file is simply not used.
      scan = await scanDataFromArgs(argv, { noTarget: !targetGiven });
    } else {
      // No encoder: the model sees the columns as they are. Drop the last column as the target only
      // when the file has one column more than the model takes.
      scan = await scanDataFromArgs(argv, { noTarget: true });
      const { kind } = await resolveModelSpec(argv.model);
      if (kind !== 'http') {
        const bb = await loadBlackBox(argv.model, { backend: argv.backend });
        const width = bb.inputSize;
        await bb.dispose?.();
        if (scan.plan.schema.features.length === width + 1) scan = await scan.replan({ noTarget: false });
      } else scan = await scan.replan({ noTarget: false });
    }
    const model = await loadModelFromArgs(argv, meansDataset(scan));
    try {
      const align = encoder ? rowAligner(scan.plan.schema, model.schema.features, scan.source) : null;
      if (align && !alignmentKnownSafe(scan.plan, model.schema.features)) for await (const b of scan.batches()) align(b.rows, b.start);
      await writeOutput(argv, (out) => predictionWriter(model, format, out), async (w) => {
        for await (const b of scan.batches(STREAM_BATCH_ROWS)) {
          const rows = align ? align(b.rows, b.start) : b.rows;
          await w.write(await model.predictRows(rows), rows.length);
        }
      });
      // After the rows, so that a run stopped by a bad output prints only its one-line error.
      note(argv, `model: ${modelNote(model)}, ${scan.plan.rows} rows`);
    } finally {
      await model.dispose();
    }
  },
};

/** The model as the closing note names it. */
const modelNote = (model: TabularModel) => `${model.identity.type} ${model.identity.source} (${model.identity.hash.slice(0, 19)}…), backend ${model.backend}`;

export default command;
