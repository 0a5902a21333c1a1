import type { RatingRecords } from '../../src/domain/rating/v1';

/** A Shanghai wall-clock instant. */
export const at = (local: string) => new Date(`${local}T10:00:00+08:00`);

/** An empty record set for a SMALL merchant established long ago; tests add what they need. */
export function records(over: Partial<RatingRecords> = {}): RatingRecords {
  return {
    merchant: { id: 'm', sizeBand: 'SMALL', establishedOn: '2010-01-01' },
    complaints: [],
    reports: [],
    praise: [],
    pledges: [],
    audits: [],
    enrollments: [],
    listEntries: [],
    patternResponses: [],
    hostsTenants: false,
    fund: null,
    payoutsForTenant: [],
    ...over,
  };
}
