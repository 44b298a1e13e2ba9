/**
 * Access to the ONNX protobuf classes of `onnx-proto` (a CommonJS package, loaded with `require`:
 * see util/cjs.ts).
 */
import { requireCommonJs } from '../util/cjs.js';

export const onnx = (requireCommonJs('onnx-proto') as typeof import('onnx-proto')).onnx;
