/** Public API of src/model: re-exports only. */
export {};
