/** Public API of src/local: re-exports only. */
export {};
