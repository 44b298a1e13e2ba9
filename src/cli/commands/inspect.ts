/**
 * `distill inspect --model M`: what was loaded — the file format and who wrote it, inputs and
 * outputs with shapes (and which output is read), the layers or a graph summary, the class names
 * and where they came from, whether the weights and gradients can be read, which extraction and
 * explanation methods therefore apply, and the model hash. The engines load in the handler only.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import type { Dataset } from '../../data/types.js';
import type { LayerInfo, ModelDescription, TabularModel, TensorInfo } from '../../model/types.js';
import { chooseFormat, emit, type GlobalArgs } from '../context.js';
import { dataOptions, type DataArgs } from '../data-options.js';
import { modelOptions, type ModelArgs } from '../model-options.js';
import { textTable } from '../text-table.js';

interface InspectArgs extends GlobalArgs, Partial<DataArgs>, ModelArgs {}

/** One method and whether it runs on the model. */
export interface MethodCheck {
  method: string;
  applies: boolean;
  /** Why not, when it does not apply. */
  reason?: string;
}

/** What `distill inspect` reports (its `--format json` output). */
export interface ModelInspection {
  model: TabularModel['identity'];
  format: string;
  producer?: string;
  task: TabularModel['task'];
  outputSize: number;
  classes?: string[];
  /** Where the class names came from: `encoder`, `model file`, `data` or `placeholder`. */
  classesFrom?: string;
  backend: string;
  /** The encoder in use: its file, or `none` (the columns fed as they are). */
  encoder: { from: string; columns: string[]; inputSize: number };
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  layers?: LayerInfo[];
  graph?: ModelDescription['graph'];
  weights: { readable: boolean; layers?: { inputs: number; units: number; activation: string }[]; reason?: string };
  gradients: { readable: boolean };
  methods: { extract: MethodCheck[]; explain: MethodCheck[] };
  notes: string[];
}

const dimText = (shape: (number | string | null)[]) => `[${shape.map((d) => d ?? '?').join(', ')}]`;
/** A tensor's shape, or `-` for values that are not tensors (sequences, maps). */
const shapeText = (t: TensorInfo) => (/[<>]/.test(t.type) ? '-' : dimText(t.shape));

/** The inspection as text: one fact per line, tables for inputs, outputs, layers and methods. */
export function renderInspection(r: ModelInspection): string {
  const indent = (s: string) => s.split('\n').map((l) => `  ${l}`).join('\n');
  const lines: string[] = [];
  const fact = (k: string, v: string) => lines.push(`${k.padEnd(10)} ${v}`);
  fact('model', r.model.source);
  fact('format', r.producer ? `${r.format}, written by ${r.producer}` : r.format);
  fact('hash', r.model.hash);
  const origin = r.classesFrom === 'placeholder' ? 'placeholder names: the model file does not name its classes (give --data or --encoder)' : `class names from the ${r.classesFrom}`;
  const classes = r.classes ? `: ${r.classes.join(', ')} (${origin})` : '';
  fact('task', `${r.task}, ${r.outputSize} output${r.outputSize === 1 ? '' : 's'}${classes}`);
  fact('backend', r.backend);
  const cols = r.encoder.columns.length > 6 ? `${r.encoder.columns.slice(0, 6).join(', ')}, ...` : r.encoder.columns.join(', ');
  fact(
    'encoder',
    r.encoder.from === 'none'
      ? `none: ${r.encoder.inputSize} numeric inputs fed as they are (${cols})`
      : `${r.encoder.from}: ${r.encoder.columns.length} columns (${cols}) → ${r.encoder.inputSize} inputs`,
  );
  const tensors = (ts: TensorInfo[]) => indent(textTable(['name', 'type', 'shape', 'use'], ts.map((t) => [t.name, t.type, shapeText(t), t.role ?? ''])));
  lines.push('inputs', tensors(r.inputs), 'outputs', tensors(r.outputs));
  if (r.layers) {
    lines.push(`layers (${r.layers.length})`);
    lines.push(indent(textTable(['name', 'type', 'activation', 'output', 'params'], r.layers.map((l) => [l.name, l.type, l.activation ?? '', dimText(l.outputShape.map((d, i) => (d === null && i === 0 ? 'batch' : d))), l.params]))));
  }
  if (r.graph) {
    const ops = Object.entries(r.graph.ops).map(([op, n]) => `${op} ${n}`).join(', ');
    const opsets = Object.entries(r.graph.opsets).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ');
    lines.push(`graph      ${r.graph.nodes} nodes (${ops}); opsets ${opsets}; ${r.graph.params} stored values`);
  }
  const w = r.weights;
  fact(
    'weights',
    w.readable && w.layers
      ? `readable: a dense network ${[w.layers[0].inputs, ...w.layers.map((l) => l.units)].join('-')} (${w.layers.map((l) => l.activation).join(', ')})`
      : `not readable: ${w.reason}`,
  );
  fact('gradients', r.gradients.readable ? 'readable' : 'not exposed by this model');
  lines.push('methods');
  const rows = [...r.methods.extract.map((m) => ['extract', m]), ...r.methods.explain.map((m) => ['explain', m])] as [string, MethodCheck][];
  lines.push(indent(textTable(['command', 'method', 'applies', 'why not'], rows.map(([c, m]) => [c, m.method, m.applies ? 'yes' : 'no', m.reason ?? '']))));
  if (r.notes.length) lines.push('notes', ...r.notes.map((n) => `  - ${n}`));
  return lines.join('\n') + '\n';
}

/** Gathers the inspection of a loaded model. */
async function inspectModel(model: TabularModel, encoderFrom: string, data: Dataset | undefined): Promise<ModelInspection> {
  const { extractorApplies, extractorNames } = await import('../../global/registry.js');
  const { checkExplainer, localExplainer, localExplainerNames, modelOffers } = await import('../../local/registry.js');
  const { isInputError } = await import('../../util/errors.js');
  const bb = model.blackBox;
  const described: ModelDescription = bb.describe?.() ?? {
    format: bb.identity.type,
    inputs: [{ name: 'input', shape: ['batch', bb.inputSize], type: 'float32' }],
    outputs: [{ name: 'output', shape: ['batch', bb.outputSize], type: 'float32', role: 'read' }],
    notes: [],
  };
  let weights: ModelInspection['weights'];
  if (!bb.denseNetwork) weights = { readable: false, reason: `${bb.identity.type} models do not expose their weights` };
  else {
    try {
      weights = { readable: true, layers: bb.denseNetwork().layers.map((l) => ({ inputs: l.inputSize, units: l.outputSize, activation: l.activation })) };
    } catch (e) {
      if (!isInputError(e)) throw e;
      weights = { readable: false, reason: (e as { detail: string }).detail };
    }
  }
  const explain = localExplainerNames().map((name): MethodCheck => {
    try {
      checkExplainer(localExplainer(name), model);
      return { method: name, applies: true };
    } catch (e) {
      if (!isInputError(e)) throw e;
      // The first clause: why this method does not apply (the rest lists the ones that do).
      return { method: name, applies: false, reason: (e as { detail: string }).detail.split('; ')[0] };
    }
  });
  const extract = extractorNames().map((name): MethodCheck => {
    const a = extractorApplies(name, model);
    return a.applies ? { method: name, applies: true } : { method: name, applies: false, reason: a.reason };
  });
  let classesFrom: string | undefined;
  if (model.classes) {
    const same = (a: readonly string[] | undefined) => !!a && a.join('\u0000') === model.classes!.join('\u0000');
    if (encoderFrom !== 'none') classesFrom = 'encoder';
    else if (same(bb.classes)) classesFrom = 'model file';
    else if (data?.schema.target?.kind === 'class' && same(data.schema.target.classes)) classesFrom = 'data';
    else classesFrom = 'placeholder';
  }
  return {
    model: model.identity,
    format: described.format,
    ...(described.producer ? { producer: described.producer } : {}),
    task: model.task,
    outputSize: model.outputSize,
    ...(model.classes ? { classes: model.classes, classesFrom } : {}),
    backend: model.backend,
    encoder: { from: encoderFrom, columns: model.schema.features.map((f) => f.name), inputSize: bb.inputSize },
    inputs: described.inputs,
    outputs: described.outputs,
    ...(described.layers ? { layers: described.layers } : {}),
    ...(described.graph ? { graph: described.graph } : {}),
    weights,
    gradients: { readable: modelOffers(model, 'gradients') },
    methods: { extract, explain },
    notes: described.notes,
  };
}

const command: CommandModule<GlobalArgs, InspectArgs> = {
  ...COMMAND_SUMMARIES.inspect,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options(modelOptions)
      .options({
        ...dataOptions,
        data: { ...dataOptions.data, demandOption: false, describe: 'Data the model will see (optional: names the inputs and classes as the other commands would)' },
      })
      .example('$0 inspect --model model.keras', 'A Keras 3 file: layers, weights, methods')
      .example('$0 inspect --model classifier.onnx --data train.csv --format json', 'An skl2onnx classifier with its data, as JSON') as unknown as Argv<InspectArgs>,
  handler: async (argv: ArgumentsCamelCase<InspectArgs>) => {
    const format = chooseFormat(argv.format, ['text', 'json']);
    const { loadModelFromArgs } = await import('../model-options.js');
    const { findModelEncoder } = await import('../../model/loadModel.js');
    let data: Dataset | undefined;
    if (argv.data !== undefined) {
      const { loadDataFromArgs } = await import('../data-options.js');
      data = await loadDataFromArgs(argv as DataArgs & GlobalArgs);
    }
    const model = await loadModelFromArgs(argv, data, { unnamedInputs: true });
    try {
      const beside = argv.encoder === undefined && model.identity.type !== 'http' && (await findModelEncoder(argv.model)) !== null;
      const report = await inspectModel(model, argv.encoder ?? (beside ? 'encoder.json beside the model' : 'none'), data);
      await emit(argv, format === 'json' ? JSON.stringify(report, null, 2) : renderInspection(report));
    } finally {
      await model.dispose();
    }
  },
};

export default command;
