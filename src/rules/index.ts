/** Public API of src/rules: re-exports only. */
export {};
