/** Types for the parts of ml-cart (no bundled types) that the cross-check test and bench/tree.ts use. */
declare module 'ml-cart' {
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: 'gini'; splitFunction?: 'mean'; minNumSamples?: number; maxDepth?: number; gainThreshold?: number });
    train(trainingSet: number[][], trainingLabels: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
