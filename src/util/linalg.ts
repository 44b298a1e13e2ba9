/**
 * Small dense linear algebra shared by the local surrogates: solving a symmetric positive
 * (semi-)definite system with ml-matrix's Cholesky factorisation, with a vanishing diagonal jitter
 * when the system is numerically singular.
 */
import type { Matrix as MatrixT } from 'ml-matrix';
import { requireCommonJs } from './cjs.js';

// A CommonJS package: loaded with require (see cjs.ts).
const { CholeskyDecomposition, Matrix } = requireCommonJs('ml-matrix') as typeof import('ml-matrix');

/**
 * Solves A X = B for a symmetric positive semi-definite `a` (k × k, row-major) and the columns of
 * `b` (k × m). When A is numerically singular (collinear columns, players never separated), a
 * diagonal jitter starting at 1e-10 · trace / k is added and grown ×100 until the factorisation
 * succeeds (at most 8 attempts).
 *
 * @returns X (k × m), or null when no attempt succeeds.
 * @example
 * solveSymmetric([[2, 0], [0, 4]], [[2], [4]])!.to2DArray(); // [[1], [1]]
 */
export function solveSymmetric(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): MatrixT | null {
  const k = a.length;
  let trace = 0;
  for (let p = 0; p < k; p++) trace += a[p][p];
  const rhs = new Matrix(b as number[][]);
  let jitter = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    const m = new Matrix(a as number[][]);
    if (jitter > 0) for (let p = 0; p < k; p++) m.set(p, p, a[p][p] + jitter);
    const chol = new CholeskyDecomposition(m);
    if (chol.isPositiveDefinite()) return chol.solve(rhs);
    jitter = jitter === 0 ? Math.max(1e-12, (1e-10 * trace) / k) : jitter * 100;
  }
  return null;
}
