import { describe, expect, it } from 'vitest';
import { kerasSnakeCase, kerasTopology } from '../../src/model/kerasConfig.js';
import { keras3Layer } from './keras-fixtures.js';

describe('Keras configs as TF.js topologies', () => {
  it('names Keras 3 weight groups as Keras does: snake-case class names, numbered per class', () => {
    expect(['BatchNormalization', 'PReLU', 'LeakyReLU', 'InputLayer', 'Dense'].map(kerasSnakeCase)).toEqual(['batch_normalization', 'p_re_lu', 'leaky_re_lu', 'input_layer', 'dense']);
    const t = kerasTopology(
      {
        class_name: 'Sequential',
        config: {
          name: 'seq',
          layers: ['Dense', 'BatchNormalization', 'Dense', 'PReLU', 'Dropout', 'Dense'].map((c, i) => keras3Layer(c, { name: `my_${i}`, units: 2, rate: 0.1 })),
          // Keras 3 without an InputLayer: the shape the model was built with.
          build_input_shape: [null, 4],
        },
      },
      'm.keras',
    );
    expect(t.layers.map((l) => [l.name, l.weightsKey])).toEqual([
      ['my_0', 'layers/dense'],
      ['my_1', 'layers/batch_normalization'],
      ['my_2', 'layers/dense_1'],
      ['my_3', 'layers/p_re_lu'],
      ['my_4', 'layers/dropout'],
      ['my_5', 'layers/dense_2'],
    ]);
    const first = (t.modelTopology.config as { layers: { config: Record<string, unknown> }[] }).layers[0].config;
    expect(first).toMatchObject({ name: 'my_0', units: 2, activation: 'linear', batch_input_shape: [null, 4], kernel_initializer: { class_name: 'Zeros', config: {} } });
  });

  it('refuses subclassed models, unbuilt models and settings TF.js computes differently', () => {
    expect(() => kerasTopology({ class_name: 'CreditNet', config: { units: 8 } }, 'm.keras')).toThrow(
      'm.keras: at $.class_name: the model is a CreditNet, not a Sequential or functional model: a subclassed model has no config to rebuild it from (save it as a functional model)',
    );
    expect(() => kerasTopology({ class_name: 'Sequential', config: { layers: [keras3Layer('Dense', { name: 'd', units: 2 })] } }, 'm.keras')).toThrow(/saved before it was built/);
    const relu = { class_name: 'Sequential', config: { layers: [keras3Layer('ReLU', { name: 'r', negative_slope: 0.2, batch_shape: [null, 3] })] } };
    expect(() => kerasTopology(relu, 'm.keras')).toThrow('layer "r" (ReLU) cannot be loaded: negative_slope 0.2 (only a zero negative slope is supported; use LeakyReLU)');
    const nested = { class_name: 'Sequential', config: { layers: [keras3Layer('Sequential', { name: 'inner', layers: [] })] } };
    expect(() => kerasTopology(nested, 'm.keras')).toThrow(/layer "inner" \(Sequential\) \(a nested model\) is not supported/);
  });
});
