/**
 * The pure core of steering (issue 13): explaining a change (F22), targets and trajectory, uncertainty ranges (F21),
 * scenarios. No I/O; the application layer wires it to the engine, the CLI and the API (docs/steering.md §6).
 */
export * from './errors.js';
export * from './lmdi.js';
export * from './trajectory.js';
export * from './uncertainty.js';
export * from './scenario-schema.js';
export { studentCdf, studentQuantile } from './student.js';
export { Xoshiro128 } from './random.js';
