/** Public API of src/global: re-exports only. */
export {};
