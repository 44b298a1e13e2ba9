import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExplainer, explainerFlags, localExplainer, localExplainerNames, localExplainers, optionInfo, parseMethodOptions, type LocalExplainer } from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';
import { functionModel, gaussianData } from './helpers.js';

const entries = Object.values(localExplainers) as LocalExplainer[];

describe('the local explainer registry', () => {
  it('has one entry per name, each with docs, options and a loader', async () => {
    expect(localExplainerNames()).toEqual(Object.keys(localExplainers));
    for (const [key, e] of Object.entries(localExplainers) as [string, LocalExplainer][]) {
      expect(e.name).toBe(key);
      expect(existsSync(join(ROOT, e.docs)), e.docs).toBe(true);
      expect(typeof (await e.load()).explain).toBe('function');
      // Every option has a default or is optional: an empty object parses.
      expect(() => parseMethodOptions(e, {})).not.toThrow();
    }
  });

  it('derives one CLI flag per option, typed consistently across methods', () => {
    const flags = explainerFlags(entries);
    expect(flags.samples).toMatchObject({ type: 'number' });
    expect(flags.samples.describe).toContain('lime: neighbourhood size, the row included; default 5000');
    expect(flags.features.describe).toContain('lime: conditions per explanation; default 10');
    // One --samples flag for LIME's neighbourhood and SHAP's coalitions, each with its own meaning.
    expect(flags.samples.describe).toMatch(/\| shap: coalitions evaluated per row \(default 2·columns \+ 2048\)/);
    expect(flags.discretizer.describe).toMatch(/lime: .*\| anchors: /);
    // Library-only options (functions, arrays, batch sizes) get no flag.
    expect(Object.keys(flags)).not.toContain('kernel');
    expect(Object.keys(flags)).not.toContain('batch-rows');
    expect(optionInfo(localExplainers.lime).find((o) => o.key === 'numFeatures')).toMatchObject({ flag: '--features', type: 'integer', default: 10, minimum: 1 });
  });

  it('checks options with messages that name the CLI flag', () => {
    const lime = localExplainer('lime');
    expect(parseMethodOptions(lime, { samples: 100 })).toMatchObject({ samples: 100, numFeatures: 10, discretizer: 'quartile' });
    expect(() => parseMethodOptions(lime, { samples: 1 })).toThrow('--samples: expected an integer >= 2, got 1');
    expect(() => parseMethodOptions(lime, { numFeatures: 2.5 })).toThrow('--features: expected an integer >= 1, got 2.5');
    expect(() => parseMethodOptions(lime, { kernelWidth: -1 })).toThrow('--kernel-width: expected a number > 0, got -1');
    expect(() => parseMethodOptions(lime, { discretizer: 'octile' })).toThrow('--discretizer: expected one of quartile, decile, entropy, none, got "octile"');
    expect(() => parseMethodOptions(lime, { stability: 1 })).toThrow('--stability: expected 0 (off) or an integer >= 2, got 1');
    expect(() => parseMethodOptions(lime, { samples: Infinity })).toThrow('--samples: expected an integer >= 2, got Infinity');
    expect(() => parseMethodOptions(lime, { bogus: 1 })).toThrow('lime: unknown option "bogus"; options: samples, ');
    expect(() => parseMethodOptions(localExplainer('anchors'), { threshold: 2 })).toThrow('--threshold: expected a number in (0, 1], got 2');
    expect(() => localExplainer('shapley')).toThrow('--method: unknown local method "shapley"; methods: lime, anchors, shap, occlusion');
    expect(() => parseMethodOptions(localExplainer('shap'), { samples: 0 })).toThrow('--samples: expected an integer >= 1, got 0');
    expect(parseMethodOptions(localExplainer('shap'), {})).toEqual({});
    expect(() => parseMethodOptions(localExplainer('occlusion'), { replaceWith: 'noise' })).toThrow('--replace-with: expected one of baseline, background, got "noise"');
  });

  it('refuses a method the model cannot serve, naming the ones that work', () => {
    const data = gaussianData(20, 2, 1);
    const reg = functionModel(data.schema.features, (r) => [r[0] as number], { task: 'regression' });
    expect(() => checkExplainer(localExplainer('anchors'), reg)).toThrow('--method: anchors explains classification models only; methods for this regression model: lime, shap, occlusion');
    const needsGradients: LocalExplainer = { ...localExplainer('lime'), name: 'saliency-test', needs: 'gradients' };
    expect(() => checkExplainer(needsGradients, reg)).toThrow("--method: saliency-test needs the model's gradients, which this model (function) does not expose; methods that work on it: lime, shap, occlusion");
    const needsWeights: LocalExplainer = { ...localExplainer('lime'), name: 'lrp-test', needs: 'weights' };
    expect(() => checkExplainer(needsWeights, reg)).toThrow("needs the model's readable dense weights, which this model (function) does not expose");
  });
});
