/**
 * Test helpers: black boxes that compute a known concept (MONK-1/2/3, XOR) over encoded inputs,
 * wrapped as TabularModels, so extractor tests do not depend on training.
 */
import { fitEncoder, loadDataset, MONK_CONCEPTS, type EncoderJSON } from '../../src/data/index.js';
import type { Dataset } from '../../src/data/types.js';
import { createTabularModel, functionBlackBox } from '../../src/model/index.js';
import type { TabularModel } from '../../src/model/types.js';

/** Decodes one encoded row back into raw values (numeric de-standardised, categorical by one-hot argmax). */
function decoder(enc: EncoderJSON): (x: Float32Array, off: number) => (number | string)[] {
  return (x, off) => {
    const out: (number | string)[] = [];
    let p = off;
    for (const f of enc.features) {
      if (f.type === 'numeric') {
        out.push(f.standardize ? x[p] * f.std + f.mean : x[p]);
        p++;
      } else {
        let best = 0;
        for (let k = 1; k < f.categories.length; k++) if (x[p + k] > x[p + best]) best = k;
        out.push(f.categories[best]);
        p += f.categories.length;
      }
    }
    return out;
  };
}

/** A model computing `concept(raw row) -> class index` exactly, over `ds`'s encoder. */
export function conceptModel(ds: Dataset, name: string, concept: (raw: (number | string)[]) => number, classes = 2): TabularModel {
  const enc = fitEncoder(ds);
  const decode = decoder(enc);
  const bb = functionBlackBox(
    (x, n) => {
      const out = new Float32Array(n * classes);
      for (let i = 0; i < n; i++) out[i * classes + concept(decode(x, i * enc.inputSize))] = 1;
      return out;
    },
    { task: 'classification', inputSize: enc.inputSize, outputSize: classes, name },
  );
  return createTabularModel(bb, enc);
}

/** builtin:monkK with a black box computing MONK-K's concept exactly. */
export async function monkModel(k: 1 | 2 | 3): Promise<{ data: Dataset; model: TabularModel }> {
  const data = await loadDataset(`builtin:monk${k}`);
  const model = conceptModel(data, `monk${k}-concept`, (raw) => (MONK_CONCEPTS[k](raw.map(Number)) ? 1 : 0));
  return { data, model };
}

/** builtin:xor (n rows) with a black box computing round(x0) XOR round(x1). */
export async function xorModel(n = 1000): Promise<{ data: Dataset; model: TabularModel }> {
  const data = await loadDataset(`builtin:xor?n=${n}&seed=7`);
  const model = conceptModel(data, 'xor-concept', (raw) => (Math.round(raw[0] as number) ^ Math.round(raw[1] as number)));
  return { data, model };
}
