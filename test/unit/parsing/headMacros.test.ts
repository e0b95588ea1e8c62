import { describe, it, expect } from 'vitest';
import { objectMacroNames } from '../../../server/src/parsing/headMacros';

describe('object-like macro names of a text', () => {
  it('takes each #define without a parameter list, and none of a function-like one (nor a prefix of its name)', () => {
    const text = '#define PAGED_FN __declspec(code_seg("PAGE"))\n  #  define  EMPTY\n#define MAX(a, b) ((a) > (b) ? (a) : (b))\n#define TAG \'tseT\'\n';
    expect([...objectMacroNames(text)].sort()).toEqual(['EMPTY', 'PAGED_FN', 'TAG']);
  });
});
