/**
 * Loading the CommonJS packages the toolkit uses (onnxruntime-node, onnx-proto, ml-matrix) with
 * `require`. Imported as ES modules, Node first scans each one's source for its export names
 * (cjs-module-lexer): 143 ms of CPU for onnx-proto instead of 32 ms, 63 instead of 33 for
 * onnxruntime-node, 76 instead of 11 for ml-matrix (whose ES entry wraps its CommonJS build) —
 * paid by every command that loads them and again by every worker thread.
 *
 * @example
 * const ort = requireCommonJs('onnxruntime-node') as typeof import('onnxruntime-node');
 */
import { createRequire } from 'node:module';

export const requireCommonJs = createRequire(import.meta.url);
