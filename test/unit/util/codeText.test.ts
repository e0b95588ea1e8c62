import { describe, it, expect } from 'vitest';
import { withoutComments } from '../../../server/src/util/codeText';

describe('withoutComments', () => {
  it('blanks block and line comments, keeping every offset and line break', () => {
    const text = 'a = 1; /* Caller\n  Other */ b(); // Tail(x)\nc();';
    const out = withoutComments(text);
    expect(out.length).toBe(text.length);
    expect(out.split('\n').length).toBe(text.split('\n').length);
    expect(out).not.toMatch(/Caller|Other|Tail/);
    expect(out).toContain('b();');
    expect(out.indexOf('c();')).toBe(text.indexOf('c();'));
  });

  it('keeps string and character literals that contain comment markers', () => {
    const text = 'p(L"http://x/*y*/", \'/\'); q(); // gone';
    const out = withoutComments(text);
    expect(out).toContain('L"http://x/*y*/"');
    expect(out).toContain("'/'");
    expect(out).toContain('q();');
    expect(out).not.toContain('gone');
  });

  it('blanks an unterminated block comment to the end', () => {
    expect(withoutComments('x(); /* open').trimEnd()).toBe('x();');
  });
});
