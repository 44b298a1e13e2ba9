/** Types for the part of ml-regression (no bundled types) that the ridge cross-check uses. */
declare module 'ml-regression' {
  export class MultivariateLinearRegression {
    constructor(x: number[][], y: number[][], options?: { intercept?: boolean; statistics?: boolean });
    /** One row per input column (then the intercept, when fitted), one column per output. */
    weights: number[][];
  }
}
