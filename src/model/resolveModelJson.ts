/** Locating model.json from a Layers model spec. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Resolves a Layers model spec (a folder holding `model.json`, or the `model.json` path itself) to
 * the path of model.json.
 *
 * @example
 * await resolveModelJson('models/iris'); // 'models/iris/model.json'
 */
export async function resolveModelJson(spec: string): Promise<string> {
  try {
    const s = await stat(spec);
    return s.isDirectory() ? join(spec, 'model.json') : spec;
  } catch {
    return spec;
  }
}

