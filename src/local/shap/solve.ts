/**
 * KernelSHAP's estimator: the Shapley values are the solution of a weighted least-squares problem
 * over the evaluated coalitions (Lundberg & Lee 2017, Theorem 2), constrained so that they add up
 * to the output difference (efficiency):
 *
 *     min_φ Σ_i w_i (y_i − z_iᵀφ)²   subject to   Σ_j φ_j = Δ,
 *
 * where z_i is coalition i's 0/1 mask, y_i = v(S_i) − v(∅) and Δ = v(full) − v(∅). With A = ZᵀWZ
 * and b = ZᵀWy, the Lagrange conditions give φ = A⁻¹(b − λ1) with
 * λ = (1ᵀA⁻¹b − Δ) / (1ᵀA⁻¹1): one Cholesky factorisation (../../util/linalg.ts) and two solves. This keeps the
 * players symmetric (the reference eliminates its last player instead). When every coalition is
 * evaluated the solution is exactly the Shapley values.
 */
import { solveSymmetric } from '../../util/linalg.js';

/**
 * Solves the constrained weighted least squares above for `M` players over `n` coalitions.
 * A singular system (coalitions that never separate two players) gets a vanishing diagonal
 * jitter, which splits such players' share equally. The result adds up to `delta` to rounding.
 *
 * @param masks `n × M` coalition flags, row-major
 * @param weights kernel weight of each coalition
 * @param y v(S_i) − v(∅) per coalition
 * @param delta v(full) − v(∅)
 * @example
 * // two players, coalitions {0} and {1}: v({0}) = 1, v({1}) = 2, v(both) = 3
 * constrainedKernelSolve(Uint8Array.of(1, 0, 0, 1), Float64Array.of(1, 1), Float64Array.of(1, 2), 2, 2, 3); // [1, 2]
 */
export function constrainedKernelSolve(masks: Uint8Array, weights: Float64Array, y: Float64Array, n: number, M: number, delta: number): Float64Array {
  const a = new Float64Array(M * M);
  const b = new Float64Array(M);
  const on = new Int32Array(M);
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (w === 0) continue;
    let m = 0;
    const o = i * M;
    for (let j = 0; j < M; j++) if (masks[o + j]) on[m++] = j;
    const wy = w * y[i];
    for (let p = 0; p < m; p++) {
      const jp = on[p];
      b[jp] += wy;
      const row = jp * M;
      for (let q = p; q < m; q++) a[row + on[q]] += w;
    }
  }
  for (let j = 0; j < M; j++) for (let q = 0; q < j; q++) a[j * M + q] = a[q * M + j];
  const rows = Array.from({ length: M }, (_, p) => Array.from(a.subarray(p * M, (p + 1) * M)));
  const sol = solveSymmetric(rows, Array.from({ length: M }, (_, j) => [b[j], 1]));
  const phi = new Float64Array(M);
  if (!sol) {
    phi.fill(delta / M);
    return phi;
  }
  let sumU = 0;
  let sumV = 0;
  for (let j = 0; j < M; j++) {
    sumU += sol.get(j, 0);
    sumV += sol.get(j, 1);
  }
  const lambda = (sumU - delta) / sumV;
  let sum = 0;
  for (let j = 0; j < M; j++) {
    phi[j] = sol.get(j, 0) - lambda * sol.get(j, 1);
    sum += phi[j];
  }
  // Rounding: spread the last bit of the efficiency gap evenly.
  const gap = (delta - sum) / M;
  for (let j = 0; j < M; j++) phi[j] += gap;
  return phi;
}
