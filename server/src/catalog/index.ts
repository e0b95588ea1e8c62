/**
 * Public face of the ECP catalog: `catalog` (built once), look-ups (`routine`, `lookupSymbol`,
 * `lookupField`) and the markdown renderers used by hover and signature help.
 */
export * from './build-catalog';
export * from './markdown';
export type * from './types';
