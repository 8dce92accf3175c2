export type * from './types.js';
export { webappColor } from './webapp-color.js';
