import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denseNetworkToOnnx, encodedNames, fitEncoder, loadDataset, validateRuleSet, type DenseNetwork } from '../../../src/index.js';
import { runCli } from '../../helpers/cli.js';
import { layer } from '../decompositional/dense-model.js';

/** The MONK-2 sigmoid network written as ONNX with its encoder beside it. */
async function monk2Onnx(activation: 'sigmoid' | 'relu'): Promise<string> {
  const ds = await loadDataset('builtin:monk2');
  const enc = fitEncoder(ds);
  const first = encodedNames(enc).map((n) => (n.endsWith('=1') ? 1 : 0));
  const k = 6;
  const net: DenseNetwork = {
    layers: [layer(first.map((f) => [k * f, k * f]), [-1.5 * k, -2.5 * k], activation), layer([[0, k], [0, -k]], [0, -k / 2], 'softmax')],
  };
  const dir = mkdtempSync(join(tmpdir(), 'mofn-cli-'));
  writeFileSync(join(dir, 'monk2.onnx'), denseNetworkToOnnx(net));
  writeFileSync(join(dir, 'encoder.json'), JSON.stringify(enc));
  return join(dir, 'monk2.onnx');
}

describe('distill extract --method mofn', () => {
  it('extracts M-of-N rules from an ONNX network', async () => {
    const model = await monk2Onnx('sigmoid');
    const r = await runCli(['extract', '--method', 'mofn', '--model', model, '--data', 'builtin:monk2', '--format', 'json', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rs = JSON.parse(r.stdout);
    expect(validateRuleSet(rs).ok).toBe(true);
    expect(rs.provenance.method).toBe('mofn');
    expect(rs.surrogate.rules).toHaveLength(1);
    expect(rs.surrogate.rules[0].conditions.map((c: { type: string; m: number }) => `${c.type}:${c.m}`).sort()).toEqual(['mofn:2', 'mofn:4']);
    expect(rs.fidelity.value).toBe(1);
  }, 60_000);

  it('exits 2 with a one-line message for a ReLU network', async () => {
    const model = await monk2Onnx('relu');
    const r = await runCli(['extract', '--method', 'mofn', '--model', model, '--data', 'builtin:monk2', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'distill: mofn needs sigmoid or tanh hidden units (units that are on or off); hidden layer 1 uses relu: use cred or deepred, or a pedagogical method (cart, trepan)',
    );
  }, 60_000);
});
