/**
 * Bounds on the size of a model's configuration, checked before TF.js builds it. TF.js walks a
 * model's layer graph recursively (`buildMapOfGraph`), so a model file with tens of thousands of
 * layers overflows the call stack; the tabular networks this toolkit explains have a handful.
 */
import { InputError } from '../util/errors.js';

/** Most layers a model may have (nested models' layers included). */
export const MAX_LAYERS = 1000;
/** Deepest nesting of arrays and objects in a model's configuration. */
export const MAX_CONFIG_DEPTH = 100;

/**
 * Checks a Keras / TF.js model configuration (`modelTopology`, Keras `config.json`) without
 * recursion: at most {@link MAX_LAYERS} layers (entries of every `layers` list, nested models
 * included) and at most {@link MAX_CONFIG_DEPTH} levels of nesting.
 *
 * @param path the JSON path of `config` in its file, for messages.
 * @throws InputError `m/model.json: at $.modelTopology: the model has 20000 layers; at most 1000 are supported`.
 * @example
 * checkModelConfigSize(json.modelTopology, 'm/model.json', '$.modelTopology');
 */
export function checkModelConfigSize(config: unknown, file: string, path: string): void {
  let layers = 0;
  const stack: [value: unknown, depth: number][] = [[config, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_CONFIG_DEPTH) throw new InputError(`the model configuration is nested more than ${MAX_CONFIG_DEPTH} levels deep`, { file, path });
    if (Array.isArray(v)) {
      for (const x of v) stack.push([x, depth + 1]);
      continue;
    }
    for (const [k, x] of Object.entries(v)) {
      // Keras 2.2 wrote a Sequential model's config as the bare list of its layers.
      if (Array.isArray(x) && (k === 'layers' || (k === 'config' && (v as { class_name?: unknown }).class_name === 'Sequential'))) layers += x.length;
      stack.push([x, depth + 1]);
    }
  }
  if (layers > MAX_LAYERS) throw new InputError(`the model has ${layers} layers; at most ${MAX_LAYERS} are supported`, { file, path });
}
