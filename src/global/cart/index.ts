/** The `cart` extractor: re-exports only. */
export { extractCart, cartExtractor, CART_DEFAULTS, CartOptionsSchema, type CartOptions } from './cart.js';
