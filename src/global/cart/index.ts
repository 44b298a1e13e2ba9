/** The `cart` extractor: re-exports only. */
export { extractCart, cartExtractor, CART_DEFAULTS, type CartOptions } from './cart.js';
