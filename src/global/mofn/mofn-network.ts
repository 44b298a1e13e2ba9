/**
 * The network after MofN: every unit a simplified threshold unit over the (simplified) layer
 * below, the first layer over the input bits. It is evaluated on rows (its Boolean function, the
 * one the composed M-of-N expression states) and on sets of rows — a domain per column — in three
 * values (on, off, undecided), which is what finding rules that hold on a whole region needs.
 *
 * Three-valued evaluation is sound: a unit said on (off) is on (off) for every row of the domain.
 * For the units over the input bits it is exact (each column's contribution is a table over its
 * values, and columns vary independently); above them each unit's inputs are taken as independent.
 */
import type { InputBits } from './mofn-inputs.js';
import type { UnitRule } from './mofn-unit.js';

/** A unit as flat arrays: on iff `Σ w[l]·[literal l holds] > threshold`. */
interface Compiled {
  input: Int32Array;
  pos: Uint8Array;
  w: Float64Array;
  threshold: number;
}

/** A unit over the input bits, with its contribution table per column it reads. */
interface FirstUnit extends Compiled {
  tables: { domain: number; table: Float64Array }[];
}

/** A set of rows: per column, which of its values (categories, or bins of a numeric column) are allowed. */
export type Domain = Uint8Array[];

export interface MofNNetwork {
  inputs: InputBits;
  /** Units over the input bits: the first hidden layer, or the output readings without hidden layers. */
  first: FirstUnit[];
  /** Hidden layers above the first, each over the states of the layer below. */
  upper: Compiled[][];
  /** Output readings over the last hidden layer (empty when `first` are the outputs). */
  outputs: Compiled[];
}

function compile(rule: Pick<UnitRule, 'clusters' | 'threshold'>): Compiled {
  const lits = rule.clusters.flatMap((c) => c.literals.map((l) => ({ ...l, w: c.weight })));
  return {
    input: Int32Array.from(lits, (l) => l.i),
    pos: Uint8Array.from(lits, (l) => (l.pos ? 1 : 0)),
    w: Float64Array.from(lits, (l) => l.w),
    threshold: rule.threshold,
  };
}

function compileFirst(rule: Pick<UnitRule, 'clusters' | 'threshold'>, ib: InputBits): FirstUnit {
  const c = compile(rule);
  const byDomain = new Map<number, Float64Array>();
  for (let l = 0; l < c.input.length; l++) {
    const bit = ib.bits[c.input[l]];
    const dom = ib.domains[bit.domain];
    const size = dom.kind === 'cat' ? dom.categories.length : dom.cuts.length + 1;
    let t = byDomain.get(bit.domain);
    if (!t) byDomain.set(bit.domain, (t = new Float64Array(size)));
    for (let v = 0; v < size; v++) {
      // the bit's value when the column takes value v: category v, or bin v (above cut i iff v > i)
      const on = dom.kind === 'cat' ? v === bit.value : v > bit.value;
      if (on === (c.pos[l] === 1)) t[v] += c.w[l];
    }
  }
  return { ...c, tables: [...byDomain.entries()].sort((a, b) => a[0] - b[0]).map(([domain, table]) => ({ domain, table })) };
}

/**
 * The network of simplified units.
 *
 * @param hidden per hidden layer, its units' rules (the first over the input bits)
 * @param outputs the output readings (over the last hidden layer, or over the bits without one)
 */
export function mofnNetwork(inputs: InputBits, hidden: readonly UnitRule[][], outputs: readonly UnitRule[]): MofNNetwork {
  if (hidden.length === 0) return { inputs, first: outputs.map((r) => compileFirst(r, inputs)), upper: [], outputs: [] };
  return {
    inputs,
    first: hidden[0].map((r) => compileFirst(r, inputs)),
    upper: hidden.slice(1).map((layer) => layer.map(compile)),
    outputs: outputs.map(compile),
  };
}

/** A unit's state from three-valued input states (1 on, 0 off, -1 undecided). */
function state3(u: Compiled, s: Int8Array): number {
  let lo = 0;
  let hi = 0;
  for (let l = 0; l < u.input.length; l++) {
    const v = s[u.input[l]];
    if (v < 0) hi += u.w[l];
    else if ((v === 1) === (u.pos[l] === 1)) {
      lo += u.w[l];
      hi += u.w[l];
    }
  }
  return lo > u.threshold ? 1 : hi <= u.threshold ? 0 : -1;
}

/**
 * The output readings' states over a domain: 1 on for every row of it, 0 off for every row, -1
 * undecided.
 *
 * @example
 * outputStates(net, pointDomain(net, cells, r)); // Int8Array [1]: the row's reading, exactly
 */
export function outputStates(net: MofNNetwork, dom: Domain): Int8Array {
  let s = new Int8Array(net.first.length);
  for (let u = 0; u < net.first.length; u++) {
    const unit = net.first[u];
    let lo = 0;
    let hi = 0;
    for (const { domain, table } of unit.tables) {
      const allowed = dom[domain];
      let mn = Infinity;
      let mx = -Infinity;
      for (let v = 0; v < table.length; v++) {
        if (!allowed[v]) continue;
        if (table[v] < mn) mn = table[v];
        if (table[v] > mx) mx = table[v];
      }
      if (mn === Infinity) mn = mx = 0; // nothing allowed (cannot happen for a row's domain)
      lo += mn;
      hi += mx;
    }
    s[u] = lo > unit.threshold ? 1 : hi <= unit.threshold ? 0 : -1;
  }
  for (const layer of [...net.upper, ...(net.outputs.length ? [net.outputs] : [])]) {
    const next = new Int8Array(layer.length);
    for (let u = 0; u < layer.length; u++) next[u] = state3(layer[u], s);
    s = next;
  }
  return s;
}

/**
 * The output readings (0/1) on each row of a bit matrix (`n × bits`), as the composed expression
 * computes them.
 */
export function outputBits(net: MofNNetwork, x: Uint8Array, n: number): Uint8Array[] {
  const q = net.inputs.bits.length;
  const k = net.outputs.length || net.first.length;
  const out = Array.from({ length: k }, () => new Uint8Array(n));
  const point = (u: Compiled, s: ArrayLike<number>) => {
    let sum = 0;
    for (let l = 0; l < u.input.length; l++) if ((s[u.input[l]] === 1) === (u.pos[l] === 1)) sum += u.w[l];
    return sum > u.threshold ? 1 : 0;
  };
  for (let r = 0; r < n; r++) {
    const row = x.subarray(r * q, (r + 1) * q);
    let s: Uint8Array = Uint8Array.from(net.first, (u) => point(u, row));
    for (const layer of [...net.upper, ...(net.outputs.length ? [net.outputs] : [])]) s = Uint8Array.from(layer, (u) => point(u, s));
    for (let c = 0; c < k; c++) out[c][r] = s[c];
  }
  return out;
}

/** Number of values (categories or bins) of each column. */
export function domainSizes(net: MofNNetwork): number[] {
  return net.inputs.domains.map((d) => (d.kind === 'cat' ? d.categories.length : d.cuts.length + 1));
}
