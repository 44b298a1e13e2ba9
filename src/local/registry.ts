/**
 * The explicit registry of local explainers: a new method is a new folder plus one line here.
 * Entries are light (a name, what the method needs from the model, its zod options); the method
 * itself loads only when it runs, so that `distill --help` and the library import stay fast.
 */
import type { TabularModel } from '../model/types.js';
import { InputError } from '../util/errors.js';
import { AnchorsOptionsSchema } from './anchors/options.js';
import { CounterfactualOptionsSchema } from './counterfactual/options.js';
import { DeepLiftOptionsSchema } from './deeplift/options.js';
import { GradientInputOptionsSchema } from './gradient-input/options.js';
import { IntegratedGradientsOptionsSchema } from './integrated-gradients/options.js';
import { LimeOptionsSchema } from './lime/options.js';
import { LrpOptionsSchema } from './lrp/options.js';
import { OcclusionOptionsSchema } from './occlusion/options.js';
import { SaliencyOptionsSchema } from './saliency/options.js';
import { ShapOptionsSchema } from './shap/options.js';
import { SmoothGradOptionsSchema } from './smoothgrad/options.js';
import type { LocalExplainer, ModelNeed } from './types.js';

export const localExplainers = {
  lime: {
    name: 'lime',
    description: 'LIME: a weighted linear model of conditions on the original columns, fitted near the row',
    needs: 'outputs',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: LimeOptionsSchema,
    flags: { numFeatures: '--features', topLabels: '--labels' },
    docs: 'docs/methods/lime.md',
    load: async () => ({ explain: (await import('./lime/explainLime.js')).limeMethod }),
  },
  anchors: {
    name: 'anchors',
    description: "Anchors: an IF-THEN rule under which the model keeps the row's answer with high precision",
    needs: 'outputs',
    kind: 'rule',
    tasks: ['classification'],
    options: AnchorsOptionsSchema,
    flags: { batchSize: '--anchor-batch-size' },
    docs: 'docs/methods/anchors.md',
    load: async () => ({ explain: (await import('./anchors/explainAnchors.js')).anchorsMethod }),
  },
  shap: {
    name: 'shap',
    description: "KernelSHAP: Shapley values of the original columns against a background sample, exact when every coalition fits the budget",
    needs: 'outputs',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: ShapOptionsSchema,
    docs: 'docs/methods/shap.md',
    load: async () => ({ explain: (await import('./shap/explainShap.js')).shapMethod }),
  },
  occlusion: {
    name: 'occlusion',
    description: 'Occlusion: how much the output drops when one original column at a time is replaced by the baseline (or background rows)',
    needs: 'outputs',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: OcclusionOptionsSchema,
    docs: 'docs/methods/occlusion.md',
    load: async () => ({ explain: (await import('./occlusion/explainOcclusion.js')).occlusionMethod }),
  },
  counterfactual: {
    name: 'counterfactual',
    description: "Counterfactual: the nearest row the model answers with another class, from a rule set's regions, verified and refined against the model",
    needs: 'outputs',
    kind: 'counterfactual',
    tasks: ['classification'],
    options: CounterfactualOptionsSchema,
    docs: 'docs/methods/counterfactual.md',
    load: async () => ({ explain: (await import('./counterfactual/counterfactual.js')).counterfactualMethod }),
  },
  saliency: {
    name: 'saliency',
    description: 'Saliency: the gradient of the explained output with respect to each original column at the row',
    needs: 'gradients',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: SaliencyOptionsSchema,
    docs: 'docs/methods/saliency.md',
    load: async () => ({ explain: (await import('./saliency/saliency.js')).saliencyMethod }),
  },
  'gradient-input': {
    name: 'gradient-input',
    description: "Gradient × input: the gradient at the row times the row's difference from the baseline",
    needs: 'gradients',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: GradientInputOptionsSchema,
    docs: 'docs/methods/saliency.md',
    load: async () => ({ explain: (await import('./gradient-input/gradientInput.js')).gradientInputMethod }),
  },
  'integrated-gradients': {
    name: 'integrated-gradients',
    description: 'Integrated gradients: the gradient integrated along the line from the baseline to the row, times the difference; sums to f(x) − f(baseline)',
    needs: 'gradients',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: IntegratedGradientsOptionsSchema,
    docs: 'docs/methods/integrated-gradients.md',
    load: async () => ({ explain: (await import('./integrated-gradients/integratedGradients.js')).integratedGradientsMethod }),
  },
  smoothgrad: {
    name: 'smoothgrad',
    description: 'SmoothGrad: the gradient averaged over noisy copies of the row',
    needs: 'gradients',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: SmoothGradOptionsSchema,
    docs: 'docs/methods/smoothgrad.md',
    load: async () => ({ explain: (await import('./smoothgrad/smoothgrad.js')).smoothGradMethod }),
  },
  deeplift: {
    name: 'deeplift',
    description: "DeepLIFT (rescale rule) on a dense network: the output's difference from the baseline propagated back; sums to f(x) − f(baseline)",
    needs: 'weights',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: DeepLiftOptionsSchema,
    docs: 'docs/methods/deeplift.md',
    load: async () => ({ explain: (await import('./deeplift/deeplift.js')).deepLiftMethod }),
  },
  lrp: {
    name: 'lrp',
    description: 'LRP (ε-rule) on a dense network, on the difference from the baseline; sums to f(x) − f(baseline)',
    needs: 'weights',
    kind: 'attribution',
    tasks: ['classification', 'regression'],
    options: LrpOptionsSchema,
    docs: 'docs/methods/lrp.md',
    load: async () => ({ explain: (await import('./lrp/lrp.js')).lrpMethod }),
  },
} satisfies Record<string, LocalExplainer>;

/** Names of the registered local explainers, in registry order. */
export function localExplainerNames(): string[] {
  return Object.keys(localExplainers);
}

/**
 * The entry named `method`.
 *
 * @throws InputError naming `flag` for an unknown method, listing the known ones.
 * @example
 * localExplainer('lime').needs; // 'outputs'
 */
export function localExplainer(method: string, flag = '--method'): LocalExplainer {
  const all = localExplainers as Record<string, LocalExplainer>;
  if (!Object.hasOwn(all, method)) throw new InputError(`unknown local method "${method}"; methods: ${localExplainerNames().join(', ')}`, { flag });
  return all[method];
}

/** Whether `model` offers what `need` asks for. */
export function modelOffers(model: TabularModel, need: ModelNeed): boolean {
  if (need === 'outputs') return true;
  if (need === 'gradients') return typeof model.blackBox.gradients === 'function';
  if (!model.blackBox.denseNetwork) return false;
  try {
    model.blackBox.denseNetwork();
    return true;
  } catch {
    return false;
  }
}

const NEED_TEXT: Record<ModelNeed, string> = {
  outputs: 'outputs',
  gradients: "gradients, which this model (TYPE) does not expose",
  weights: "readable dense weights, which this model (TYPE) does not expose",
};

/**
 * Checks that `entry` can explain `model`: the task, and what it needs from the model.
 *
 * @throws InputError naming `--method`, with the methods that do work on this model.
 * @example
 * checkExplainer(localExplainer('lime'), model); // passes for every model
 */
export function checkExplainer(entry: LocalExplainer, model: TabularModel): void {
  const usable = () =>
    Object.values(localExplainers as Record<string, LocalExplainer>)
      .filter((e) => e.tasks.includes(model.task) && modelOffers(model, e.needs))
      .map((e) => e.name)
      .join(', ');
  if (!entry.tasks.includes(model.task)) throw new InputError(`${entry.name} explains ${entry.tasks.join(' and ')} models only; methods for this ${model.task} model: ${usable()}`, { flag: '--method' });
  if (!modelOffers(model, entry.needs)) {
    throw new InputError(`${entry.name} needs the model's ${NEED_TEXT[entry.needs].replace('TYPE', model.identity.type)}; methods that work on it: ${usable()}`, { flag: '--method' });
  }
}
