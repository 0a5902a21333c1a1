/** The credit lists (经营异常名录, 严重违法失信名单): when an entry is in force. Pure. */
import type { LocalDate } from './local-date';

export const CREDIT_LISTS = ['ABNORMAL_OPERATIONS', 'SERIOUS_VIOLATION'] as const;
export type CreditListCode = (typeof CREDIT_LISTS)[number];

/** Whether the entry lists the merchant on `day`: listedOn ≤ day < removedOn (open while not removed). */
export function listedOn(entry: { listedOn: LocalDate; removedOn: LocalDate | null }, day: LocalDate): boolean {
  return entry.listedOn <= day && (entry.removedOn === null || day < entry.removedOn);
}
