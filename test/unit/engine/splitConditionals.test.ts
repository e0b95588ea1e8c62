import { describe, it, expect } from 'vitest';
import { oneArmEach } from '../../../server/src/engine/splitConditionals';

const body = ['{', '    f(a,', '#if X', '      b);', '#elif Y', '      c);', '#else', '      d);', '#endif', '}'].join('\n');

describe('one arm of each conditional', () => {
  it('keeps the first arm without a build configuration, blanking directives and the rest (offsets kept)', () => {
    const r = oneArmEach(body, 0, body.length, undefined);
    expect(r.text.length).toBe(body.length);
    expect(r.text.split('\n').map((l) => l.trim())).toEqual(['{', 'f(a,', '', 'b);', '', '', '', '', '', '}']);
    expect(r.groups).toEqual([2]);
  });

  it('blanks every arm of a conditional nested in an arm that is not kept', () => {
    const nested = ['{', '#if A', '  x();', '#else', '#if B', '  y();', '#endif', '#endif', '}'].join('\n');
    expect(oneArmEach(nested, 0, nested.length, undefined).text.split('\n').map((l) => l.trim())).toEqual(['{', '', 'x();', '', '', '', '', '', '}']);
  });

  it('reads the directives of the range only, and gives back the range alone', () => {
    const text = `#if Z\nint g;\n#endif\n${body}`;
    const start = text.indexOf('{');
    const r = oneArmEach(text, start, text.length, undefined);
    expect(r.text).toBe(oneArmEach(body, 0, body.length, undefined).text);
    expect(r.groups).toEqual([5]);
  });
});
