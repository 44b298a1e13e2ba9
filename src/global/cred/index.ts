/** CRED and DeepRED: re-exports only. */
export { extractCred, extractDeepRed, credExtractor, deepredExtractor, credDefaults, CredOptionsSchema, type CredOptions } from './cred.js';
