import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlackBox, loadModel, onnxDenseNetwork } from '../../src/model/index.js';
import { EXPECTED, INPUTS, NETWORK, expectOutputs, expectSameNetwork, flatInputs, useTempDir } from './fixtures.js';
import { LOGIT_B, LOGIT_W, skl2onnxLogistic, skl2onnxMlp, tf2onnxMatMul, torchGemm, unreadableZipMap } from './onnx-fixtures.js';

const tmp = useTempDir('sd-onnx-exporters-');

async function file(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(tmp(), name);
  await writeFile(path, bytes);
  return path;
}

describe('ONNX as exporters write it', () => {
  it('skl2onnx MLPClassifier with ZipMap: the ZipMap input is read, classes named from the graph, weights readable', async () => {
    const bb = await loadBlackBox(await file('mlp-zipmap.onnx', skl2onnxMlp({ zipmap: true })));
    expect([bb.task, bb.inputSize, bb.outputSize, bb.classes]).toEqual(['classification', 3, 2, ['no', 'yes']]);
    expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
    // The chain to the probabilities is a dense network; ArgMax → label and ZipMap hang off it.
    expectSameNetwork(bb.denseNetwork!(), NETWORK);
    const d = bb.describe!();
    expect(d.producer).toBe('skl2onnx 1.17.0');
    expect(d.outputs.map((o) => [o.name, o.type])).toEqual([
      ['output_label', 'string'],
      ['output_probability', 'sequence<map<string, float32>>'],
      ['probabilities', 'float32'],
    ]);
    expect(d.outputs[2].role).toMatch(/^read: class probabilities/);
    expect(d.graph!.ops).toMatchObject({ MatMul: 2, Add: 2, Relu: 1, Softmax: 1, 'ai.onnx.ml.ZipMap': 1 });
    expect(d.notes.join('\n')).toMatch(/class names from ZipMap "ZipMap" \(classlabels_strings\)/);
    await bb.dispose?.();
  });

  it('skl2onnx LogisticRegression, with and without ZipMap: classes from the LinearClassifier, probabilities σ(x·w + b)', async () => {
    const expected = INPUTS.map((x) => {
      const p = 1 / (1 + Math.exp(-(x.reduce((s, v, i) => s + v * LOGIT_W[i], 0) + LOGIT_B)));
      return [1 - p, p];
    });
    for (const zipmap of [true, false]) {
      const bb = await loadBlackBox(await file(`logistic-${zipmap}.onnx`, skl2onnxLogistic({ zipmap })));
      expect([bb.task, bb.outputSize, bb.classes]).toEqual(['classification', 2, ['no', 'yes']]);
      expectOutputs(await bb.predict(flatInputs(), INPUTS.length), expected);
      expect(() => bb.denseNetwork!()).toThrow(/not a plain dense network: node "LinearClassifier" \(LinearClassifier\) is not MatMul/);
      await bb.dispose?.();
    }
  });

  it('a model without encoder takes the class names from the graph over the data placeholders', async () => {
    const path = await file('mlp-plain.onnx', skl2onnxMlp({ zipmap: false }));
    const data = { source: 'x', schema: { features: ['a', 'b', 'c'].map((name) => ({ name, type: 'numeric' as const })) }, rows: INPUTS, missing: 0 };
    const m = await loadModel(path, { data });
    expect(m.classes).toEqual(['no', 'yes']);
    expect(Array.from(await m.predictLabels(INPUTS))).toEqual([0, 1, 0, 0]);
    await m.dispose();
  });

  it('PyTorch Gemm(transB) and tf2onnx MatMul + Add (Identity-wrapped weights, Constant bias) read as the same network', async () => {
    for (const [name, bytes] of [
      ['torch.onnx', torchGemm()],
      ['tf2onnx.onnx', tf2onnxMatMul()],
    ] as const) {
      const path = await file(name, bytes);
      const bb = await loadBlackBox(path);
      expect([bb.task, bb.inputSize, bb.outputSize, bb.classes]).toEqual(['classification', 3, 2, undefined]);
      expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
      expectSameNetwork(bb.denseNetwork!(), NETWORK);
      expectSameNetwork(onnxDenseNetwork(bytes, path), NETWORK);
      await bb.dispose?.();
    }
  });

  it('a sequence of maps with no tensor behind it: one line saying to export with zipmap=False', async () => {
    const path = await file('unreadable.onnx', unreadableZipMap());
    await expect(loadBlackBox(path)).rejects.toThrow(
      `${path}: output "output_probability" is a sequence<map<string, float32>>, which onnxruntime-node cannot return, and it is not a ZipMap over a probability tensor that could be read instead; export the classifier with zipmap=False (skl2onnx: options={"zipmap": False})`,
    );
  });
});
