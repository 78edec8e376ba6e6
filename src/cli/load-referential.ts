/** The active referential of a run is built by the application layer (`src/app/load-referential.ts`). */
export { loadActiveReferential, type ReferentialOptions } from '../app/load-referential.js';
