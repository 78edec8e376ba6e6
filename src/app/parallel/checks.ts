/** The pipeline's referential checks of a run, from its assessment (the main thread and a part's worker alike). */
import type { Assessment } from '../../engine/index.js';
import type { ProcessOptions } from '../../inventory/pipeline.js';
import type { Referential } from '../../referential/model.js';

export function referentialChecks(
  a: Assessment,
  referential: Referential,
): Required<Pick<ProcessOptions, 'isKnownType' | 'isKnownLocation'>> {
  return {
    isKnownType: (t) => a.env.itemType(t) !== undefined,
    isKnownLocation: (l) => referential.electricity.has(a.env.locationKey(l)),
  };
}
