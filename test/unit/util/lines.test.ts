import { describe, it, expect } from 'vitest';
import { lineText, splitLines, eolOf } from '../../../server/src/util/lines';

describe('LSP line breaks', () => {
  it('counts \\n, \\r\\n and a lone \\r as line ends', () => {
    const text = 'a\rb\r\nc\nd';
    expect(splitLines(text)).toEqual(['a', 'b', 'c', 'd']);
    expect([0, 1, 2, 3, 4].map((i) => lineText(text, i))).toEqual(['a', 'b', 'c', 'd', '']);
    expect([eolOf('x\ry'), eolOf('x\r\ny'), eolOf('xy')]).toEqual(['\r', '\r\n', '\n']);
  });

  it('reads a line deep in a large LF file by one pass (no search past the line for a CR)', () => {
    const big = 'int x;\n'.repeat(200_000);
    expect(lineText(big, 199_999)).toBe('int x;');
    expect(lineText(big, 200_000)).toBe('');
  });

  it('answers for the text asked about when texts alternate (the line index is per text)', () => {
    const a = 'one\ntwo\r\nthree';
    const b = 'uno\rdos';
    const c = 'one\ntwo\r\nthree'.replace('two', 'TWO');
    expect([lineText(a, 1), lineText(b, 1), lineText(a, 2), lineText(c, 1), lineText(b, 0), lineText(a, -1)]).toEqual(['two', 'dos', 'three', 'TWO', 'uno', '']);
    // Every line of a CR-only, mixed and trailing-break text, as splitLines counts them.
    for (const t of ['x\r\r\ny\n', '\n\n', '', 'a\r']) expect(splitLines(t).map((_, i) => lineText(t, i))).toEqual(splitLines(t));
  });
});
