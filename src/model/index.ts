/** Public API of src/model: re-exports only. */
export { initBackend } from './backend.js';
export { loadModel, reloadModel, loadBlackBox, findModelEncoder, resolveModelSpec, type LoadModelOptions, type ModelKind } from './loadModel.js';
export { functionBlackBox } from './functionBlackBox.js';
export { batchedBlackBox, type BatchEngine } from './batchedBlackBox.js';
export { layersBlackBox, layersDenseNetwork, readLayersModel, readLayersModelFiles, type LayersModelFiles, type LayersOrigin } from './layers.js';
export { readKerasModel, type KerasModel } from './kerasModel.js';
export { kerasTopology, SUPPORTED_KERAS_LAYERS, type KerasTopology, type KerasLayerInfo } from './kerasConfig.js';
export { onnxBlackBox } from './onnxModel.js';
export { onnxDenseNetwork } from './onnxDenseNetwork.js';
export { httpBlackBox, type HttpBlackBoxOptions } from './httpBlackBox.js';
export { createTabularModel } from './createTabularModel.js';
export { trainMlp, TrainOptionsSchema, type TrainOptions, type TrainResult, type TrainMetrics, type SplitMetrics } from './trainMlp.js';
export { denseNetworkToOnnx } from './denseNetworkToOnnx.js';
export { densePass, denseGradients, type DensePass } from './denseForward.js';
export { checkFiniteOutputs, sigmoidPairs } from './outputs.js';
export { maskedBatchRows, maskedMeans, prepareReferences, type MaskedItem, type MaskReferences, type MaskedMeansOptions } from './maskedMeans.js';
