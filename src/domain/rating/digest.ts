/**
 * A short digest of a rating's factors, stored beside them (`ratings.factors_digest`), so that
 * storing a recompute's ratings compares one short string per merchant instead of reading every
 * stored factor list back and walking it. The factors are built by the model in a fixed key
 * order, so their JSON text is the same whenever their content is; should a later model change
 * that order, each rating is rewritten once with identical content, and nothing else happens.
 */
import { createHash } from 'node:crypto';
import type { RatingFactor } from './v1';

/** The digest of a factor list: MD5 of its JSON text, base64 (change detection, not security). */
export function factorsDigest(factors: readonly RatingFactor[]): string {
  return createHash('md5').update(JSON.stringify(factors)).digest('base64');
}
