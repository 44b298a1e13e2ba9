/** Public API of src/sampling: re-exports only. */
export {};
