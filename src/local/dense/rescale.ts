/**
 * DeepLIFT's rescale rule (Shrikumar, Greenside & Kundaje 2017) through one layer's activation:
 * from multipliers with respect to the layer's outputs to multipliers with respect to its
 * pre-activations, such that Σ_j m_pre,j Δz_j = Σ_j m_post,j Δy_j exactly (summation to delta),
 * Δ being the difference between the row and the baseline.
 *
 * - An elementwise activation (linear, relu, sigmoid, tanh) gets m_pre = m_post · Δy/Δz, or the
 *   derivative at the midpoint when |Δz| is below 1e-6 (where the ratio is that derivative up to
 *   O(Δz²)).
 * - A softmax is not elementwise: it is split into elementwise steps and sums, and the rescale rule
 *   is applied to each, as DeepLIFT prescribes for compound nonlinearities:
 *   p_j = exp(v_j), v_j = z_j − log S, S = Σ_k e_k, e_k = exp(z_k). With the ratios
 *   μ_j = Δp_j/Δv_j, ρ = Δlog S/ΔS and ε_k = Δe_k/Δz_k, the multiplier of logit k is
 *   m_pre,k = m_post,k μ_k − ρ ε_k Σ_j m_post,j μ_j, and Σ_k m_pre,k Δz_k = Σ_j m_post,j Δp_j.
 *   (Exponentials are shifted by the largest logit of the row and the baseline; the ratios do not
 *   depend on the shift.)
 */
import type { DenseActivation } from '../../model/types.js';

const TOL = 1e-6;

/** Derivative of an elementwise activation at `z`. */
function derivative(activation: DenseActivation, z: number): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    }
    case 'tanh': {
      const t = Math.tanh(z);
      return 1 - t * t;
    }
    default:
      return 1;
  }
}

/** The ratio Δy/Δz of an elementwise activation, or its derivative at the midpoint when Δz ≈ 0. */
export function rescaleRatio(activation: DenseActivation, zx: number, zb: number, yx: number, yb: number): number {
  const dz = zx - zb;
  if (Math.abs(dz) > TOL) return (yx - yb) / dz;
  return derivative(activation, (zx + zb) / 2);
}

/**
 * Multipliers with respect to the pre-activations from those with respect to the outputs, for one
 * row: `zx`, `zb` the row's and the baseline's pre-activations, `yx`, `yb` their activations.
 *
 * @example
 * rescaleLayer('relu', [2], [-1], [2], [0], [1]); // [2/3]: Δy/Δz = 2/3
 */
export function rescaleLayer(
  activation: DenseActivation,
  zx: ArrayLike<number>,
  zb: ArrayLike<number>,
  yx: ArrayLike<number>,
  yb: ArrayLike<number>,
  mPost: ArrayLike<number>,
): Float64Array {
  const u = zx.length;
  const out = new Float64Array(u);
  if (activation !== 'softmax') {
    for (let j = 0; j < u; j++) out[j] = mPost[j] * rescaleRatio(activation, zx[j], zb[j], yx[j], yb[j]);
    return out;
  }
  let shift = -Infinity;
  for (let j = 0; j < u; j++) shift = Math.max(shift, zx[j], zb[j]);
  const ex = new Float64Array(u);
  const eb = new Float64Array(u);
  let sx = 0;
  let sb = 0;
  for (let j = 0; j < u; j++) {
    sx += ex[j] = Math.exp(zx[j] - shift);
    sb += eb[j] = Math.exp(zb[j] - shift);
  }
  const lx = Math.log(sx);
  const lb = Math.log(sb);
  const ds = sx - sb;
  const rho = Math.abs(ds) > TOL * Math.max(sx, sb) ? (lx - lb) / ds : 2 / (sx + sb);
  let t = 0;
  const mu = new Float64Array(u);
  for (let j = 0; j < u; j++) {
    const vx = zx[j] - shift - lx;
    const vb = zb[j] - shift - lb;
    mu[j] = Math.abs(vx - vb) > TOL ? (Math.exp(vx) - Math.exp(vb)) / (vx - vb) : Math.exp((vx + vb) / 2);
    t += mPost[j] * mu[j];
  }
  for (let k = 0; k < u; k++) {
    const dz = zx[k] - zb[k];
    const eps = Math.abs(dz) > TOL ? (ex[k] - eb[k]) / dz : Math.exp((zx[k] + zb[k]) / 2 - shift);
    out[k] = mPost[k] * mu[k] - rho * eps * t;
  }
  return out;
}
