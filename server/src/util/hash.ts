/**
 * The SHA-1 of a text as hex, the key of the engine's caches (a function's text, a header's, a
 * build view). Node's one-shot `crypto.hash` (20.12 and later) is about a fifth of the cost of a
 * `createHash` object per text, which the engine paid for every function on every edit; older
 * runtimes take the object. Both hash the text's UTF-8 bytes: the digests are the same.
 */
import * as crypto from 'node:crypto';

const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

export function sha1Hex(text: string): string {
  return oneShot ? oneShot('sha1', text) : crypto.createHash('sha1').update(text).digest('hex');
}
