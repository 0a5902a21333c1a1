/**
 * A short digest of a rating's factors, stored beside them (`ratings.factors_digest`), so that
 * storing a recompute's ratings compares one short string per merchant instead of reading every
 * stored factor list back and walking it. The factors are built by the model in a fixed key
 * order, so their JSON text is the same whenever their content is; should a later model change
 * that order, each rating is rewritten once with identical content, and nothing else happens.
 */
import * as crypto from 'node:crypto';
import type { RatingFactor } from './v1';

// The one-shot `crypto.hash` (Node 20.12+) costs about half of a Hash object per call; a recompute
// digests every merchant's factors.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64') => string }).hash;

/** The digest of a factor list: SHA-1 of its JSON text, base64 (change detection, not security). */
export function factorsDigest(factors: readonly RatingFactor[]): string {
  const text = JSON.stringify(factors);
  return oneShot ? oneShot('sha1', text, 'base64') : crypto.createHash('sha1').update(text).digest('base64');
}
