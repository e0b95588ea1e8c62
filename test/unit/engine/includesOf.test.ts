/**
 * The `#include` scan tries only lines holding the word: it must find what a multiline regex
 * over the whole text finds, in the same order, whatever the line ends.
 */
import { describe, it, expect } from 'vitest';
import { includesOf } from '../../../server/src/engine/includes';
import { random } from '../../randomEdits';

function byRegex(text: string): { name: string; kind: string }[] {
  return [...text.matchAll(/^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/gm)].map((m) => (m[1] !== undefined ? { name: m[1], kind: 'quote' } : { name: m[2], kind: 'angle' }));
}

const PIECES = ['#include "a.h"', '  # include <b.h>', '#include"c.h"', 'int include;', '#include "include.h" // include', '#include <unclosed', 'x #include "mid.h"', '\t#\tinclude\t<t.h>', '#include', '#includex "d.h"', '"', '>', 'include'];
const BREAKS = ['\n', '\r\n', '\r', '\u2028', '\u2029', ' '];

describe('includesOf', () => {
  it('finds what a multiline regex finds, on random arrangements of include lines', () => {
    const rnd = random(7);
    for (let round = 0; round < 400; round++) {
      let text = '';
      const count = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < count; i++) text += PIECES[Math.floor(rnd() * PIECES.length)] + BREAKS[Math.floor(rnd() * BREAKS.length)];
      expect(includesOf(text), JSON.stringify(text)).toEqual(byRegex(text));
    }
  });
});
