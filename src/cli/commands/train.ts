/**
 * `distill train`: trains a seeded MLP on a data set and writes the model folder (model.json,
 * weights.bin, encoder.json, metrics.json, optionally model.onnx).
 */
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { TrainMetrics } from '../../model/trainMlp.js';
import { InputError } from '../../util/errors.js';
import { writeFile } from 'node:fs/promises';
import { writeFolderAtomic } from '../../util/files.js';
import { emit, note, progress, type GlobalArgs } from '../context.js';
import { dataOptions, loadDataFromArgs, type DataArgs } from '../data-options.js';

interface TrainArgs extends GlobalArgs, DataArgs {
  hidden: string;
  activation: 'relu' | 'sigmoid' | 'tanh';
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  validationSplit?: number;
  patience?: number;
  standardize: boolean;
  onnx: boolean;
}

function parseHidden(s: string): number[] {
  const t = String(s).trim();
  if (t === '' || t === '0' || t === 'none') return [];
  const sizes = t.split(',').map((x) => Number(x.trim()));
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) throw new InputError(`expected comma-separated positive integers such as 32,16, got ${JSON.stringify(s)}`, { flag: '--hidden' });
  return sizes;
}

const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(4));

/** The metrics summary printed after training. */
export function renderTrainMetrics(m: TrainMetrics, widths: number[], dir: string, files: string[]): string {
  const quality = m.task === 'classification' ? 'accuracy' : 'R²';
  const line = (name: string, s: TrainMetrics['train']) =>
    `  ${name.padEnd(10)} ${String(s.rows).padStart(6)} rows  ${quality} ${fmt(m.task === 'classification' ? s.accuracy : s.r2)}  loss ${fmt(s.loss)}`;
  return [
    `Trained a ${widths.join('-')} MLP (${m.options.activation}) on ${m.data}: ${m.epochs} epochs, weights of epoch ${m.bestEpoch} kept, seed ${m.seed}`,
    line('train', m.train),
    m.validation ? line('validation', m.validation) : '  validation: none (--validation-split 0)',
    `Wrote ${dir}: ${files.join(', ')}`,
  ].join('\n');
}

const command: CommandModule<GlobalArgs, TrainArgs> = {
  ...COMMAND_SUMMARIES.train,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options(dataOptions)
      .options({
        hidden: { type: 'string', default: '32,16', describe: 'Units per hidden layer, comma-separated' },
        activation: { choices: ['relu', 'sigmoid', 'tanh'] as const, default: 'relu' as const, describe: 'Hidden-layer activation' },
        epochs: { type: 'number', describe: 'Maximum epochs (default 200)' },
        'learning-rate': { type: 'number', describe: 'Adam learning rate (default 0.01)' },
        'batch-size': { type: 'number', describe: 'Rows per gradient step (default 32)' },
        'validation-split': { type: 'number', describe: 'Share of rows held out for early stopping (default 0.2; 0: none)' },
        patience: { type: 'number', describe: 'Epochs without improvement before stopping (default 30)' },
        standardize: { type: 'boolean', default: true, describe: 'Standardise numeric inputs (--no-standardize to feed them raw)' },
        onnx: { type: 'boolean', default: false, describe: 'Also write model.onnx (the same network as an ONNX graph)' },
      })
      .option('out', {
        type: 'string',
        demandOption: true,
        describe: 'Folder to write the model into (model.json, weights.bin, encoder.json, metrics.json), whole: a run stopped half-way leaves the old folder',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Replace the --out folder when it exists and is not empty' })
      .example('$0 train --data builtin:iris --out models/iris', 'Train the default 32-16 ReLU network')
      .example('$0 train --data builtin:monk2 --out models/monk2 --activation sigmoid --hidden 8 --onnx', 'A sigmoid network, with an ONNX copy') as unknown as Argv<TrainArgs>,
  handler: async (argv: ArgumentsCamelCase<TrainArgs>) => {
    const ds = await loadDataFromArgs(argv);
    // tfjs and onnx-proto load only when this command runs (they slow every CLI start otherwise).
    const { trainMlp } = await import('../../model/trainMlp.js');
    const dir = argv.out as string;
    const bar = progress(argv);
    let result;
    try {
      result = await trainMlp(
        ds,
        {
          hidden: parseHidden(argv.hidden),
          activation: argv.activation,
          epochs: argv.epochs,
          learningRate: argv.learningRate,
          batchSize: argv.batchSize,
          validationSplit: argv.validationSplit,
          patience: argv.patience,
          standardize: argv.standardize,
          seed: argv.seed,
          backend: argv.backend,
        },
        bar,
      );
    } finally {
      bar.stop();
    }
    for (const w of result.warnings) note(argv, `distill: warning: ${w}`);
    const files = ['model.json', 'weights.bin', 'encoder.json', 'metrics.json'];
    const net = result.model.blackBox.denseNetwork!();
    // The folder is written whole (a temporary sibling renamed into place): never new weights beside an old encoder.
    await writeFolderAtomic(dir, async (tmp) => {
      await result.writeFiles(tmp);
      if (argv.onnx) {
        const { denseNetworkToOnnx } = await import('../../model/denseNetworkToOnnx.js');
        await writeFile(join(tmp, 'model.onnx'), denseNetworkToOnnx(net));
        files.push('model.onnx');
      }
    });
    note(argv, `backend: ${result.model.backend}`);
    for (const w of result.metrics.warnings) note(argv, `distill: warning: ${w}`);
    const widths = [net.layers[0].inputSize, ...net.layers.map((l) => l.outputSize)];
    const text = argv.format === 'json' ? JSON.stringify(result.metrics, null, 2) : renderTrainMetrics(result.metrics, widths, dir, files);
    await emit({ io: argv.io }, text);
    await result.model.dispose();
  },
};

export default command;
