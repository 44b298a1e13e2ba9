/**
 * KL-divergence confidence bounds for Bernoulli means, as used by KL-LUCB (Kaufmann & Kalyanakrishnan
 * 2013) in Anchors (Ribeiro, Singh, Guestrin 2018). Written by hand: no installed library has them.
 */

/**
 * KL divergence between Bernoulli(p) and Bernoulli(q), with p and q clamped away from 0 and 1.
 *
 * @example
 * klBernoulli(0.5, 0.5); // 0
 */
export function klBernoulli(p: number, q: number): number {
  p = Math.min(0.9999999999999999, Math.max(0.0000001, p));
  q = Math.min(0.9999999999999999, Math.max(0.0000001, q));
  return p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
}

/**
 * Upper confidence bound: the largest q ≥ p with KL(p, q) ≤ level (bisection, 16 steps).
 *
 * @example
 * klUpper(0.9, Math.log(10) / 100); // ≈ 0.96
 */
export function klUpper(p: number, level: number): number {
  let lm = p;
  let um = Math.min(1, p + Math.sqrt(level / 2));
  for (let j = 1; j < 17; j++) {
    const qm = (um + lm) / 2;
    if (klBernoulli(p, qm) > level) um = qm;
    else lm = qm;
  }
  return um;
}

/**
 * Lower confidence bound: the smallest q ≤ p with KL(p, q) ≤ level (bisection, 16 steps).
 *
 * @example
 * klLower(0.9, Math.log(10) / 100); // ≈ 0.82
 */
export function klLower(p: number, level: number): number {
  let um = p;
  let lm = Math.max(0, Math.min(1, p - Math.sqrt(level / 2)));
  for (let j = 1; j < 17; j++) {
    const qm = (um + lm) / 2;
    if (klBernoulli(p, qm) > level) lm = qm;
    else um = qm;
  }
  return lm;
}

/**
 * Exploration rate β(t) of KL-LUCB for `arms` arms at round `t` with confidence `delta`
 * (constants α = 1.1, k = 405.5 as in the Anchors reference).
 *
 * @example
 * lucbBeta(10, 1, 0.1);
 */
export function lucbBeta(arms: number, t: number, delta: number): number {
  const temp = Math.log((405.5 * arms * Math.pow(t, 1.1)) / delta);
  return temp + Math.log(temp);
}
