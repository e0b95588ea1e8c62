/** The cache keys' digest is the SHA-1 of the text's UTF-8 bytes, whichever API computes it. */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { sha1Hex } from '../../../server/src/util/hash';

describe('sha1Hex', () => {
  it('gives the digest createHash gives, for ASCII, beyond Latin-1, astral and lone surrogates', () => {
    for (const text of ['', 'NTSTATUS f(void) { return 0; }', 'x — y', 'MakeÉcp', '\u{1F600}', 'a\ud800b', '\udfff', '\u0000\r\n']) {
      expect(sha1Hex(text)).toBe(createHash('sha1').update(text, 'utf8').digest('hex'));
    }
  });
});
