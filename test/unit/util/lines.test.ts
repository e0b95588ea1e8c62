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
});
