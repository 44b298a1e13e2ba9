/**
 * Access to the ONNX protobuf classes of `onnx-proto` (a CommonJS package: its namespace is the
 * default export under ESM).
 */
import onnxPkg from 'onnx-proto';

export const onnx = (onnxPkg as unknown as { onnx: typeof import('onnx-proto').onnx }).onnx;
