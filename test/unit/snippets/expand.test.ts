import { describe, it, expect } from 'vitest';
import { expandSnippet, parseSnippet, defaultVariables } from '../../../server/src/features/snippetExpand';

describe('expandSnippet: tabstops and placeholders', () => {
  it('leaves plain text, including C braces, untouched', () => {
    expect(expandSnippet('if (x) { y(); }')).toBe('if (x) { y(); }');
  });

  it('joins an array body with newlines', () => {
    expect(expandSnippet(['a', '\tb', 'c'])).toBe('a\n\tb\nc');
  });

  it('expands tabstops without a value to nothing', () => {
    expect(expandSnippet('a$1b${2}c$0')).toBe('abc');
  });

  it('uses a placeholder default and mirrors it to every occurrence of its index', () => {
    expect(expandSnippet('${1:status} = f(); return $1;')).toBe('status = f(); return status;');
    expect(expandSnippet('return $1; ${1:status}')).toBe('return status; status');
  });

  it('lets the first placeholder with a value define it, as the editor does', () => {
    expect(expandSnippet('${1:first} ${1:second} $1')).toBe('first first first');
  });

  it('expands nested placeholders and mirrors of the inner one', () => {
    expect(expandSnippet('${1:PFLT_FILTER ${2:gFilterHandle}}; use($2);')).toBe('PFLT_FILTER gFilterHandle; use(gFilterHandle);');
    expect(expandSnippet('${1:a ${2:b ${3:c}} d}|$3')).toBe('a b c d|c');
  });

  it('accepts a default for the final tabstop', () => {
    expect(expandSnippet('x${0:done}')).toBe('xdone');
  });
});

describe('expandSnippet: choices', () => {
  it('takes the first option of a choice, also for its mirrors', () => {
    expect(expandSnippet('f(${1|0,FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA|}); g($1);')).toBe('f(0); g(0);');
  });

  it('reads escaped commas, pipes and backslashes in options', () => {
    expect(expandSnippet('${1|a\\,b,c|}')).toBe('a,b');
    expect(expandSnippet('${1|x\\|y,z|}')).toBe('x|y');
    expect(expandSnippet('${1|p\\\\q,r|}')).toBe('p\\q');
    expect(parseSnippet('${1|a\\,b,c|}')).toEqual([{ kind: 'tabstop', index: 1, children: [], choices: ['a,b', 'c'] }]);
  });

  it('keeps a malformed choice as text', () => {
    expect(expandSnippet('${1|a,b')).toBe('${1|a,b');
    expect(expandSnippet('${1|a,b|')).toBe('${1|a,b|');
  });
});

describe('expandSnippet: escapes', () => {
  it('unescapes \\$, \\} and \\\\', () => {
    expect(expandSnippet('cost: \\$1')).toBe('cost: $1');
    expect(expandSnippet('${1:a\\}b}')).toBe('a}b');
    expect(expandSnippet('a\\\\b')).toBe('a\\b');
  });

  it('keeps a backslash before any other character (C escapes survive)', () => {
    expect(expandSnippet('"line\\n"')).toBe('"line\\n"');
    expect(expandSnippet("L'\\0'")).toBe("L'\\0'");
  });

  it('treats a closing brace outside a placeholder, and a lone dollar, as text', () => {
    expect(expandSnippet('} $ ${ $}')).toBe('} $ ${ $}');
  });

  it('keeps an unterminated placeholder as text', () => {
    expect(expandSnippet('${1:abc')).toBe('${1:abc');
  });
});

describe('expandSnippet: variables', () => {
  it('gives the editor variables values of a driver source being edited', () => {
    expect(expandSnippet('$TM_FILENAME ${TM_FILENAME_BASE} $LINE_COMMENT $BLOCK_COMMENT_START $BLOCK_COMMENT_END')).toBe(
      'driver.c driver // /* */',
    );
    expect(expandSnippet('$CURRENT_YEAR')).toMatch(/^\d{4}$/);
    expect(expandSnippet('$RANDOM_HEX')).toMatch(/^[0-9a-f]{6}$/);
    expect(expandSnippet('$UUID')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses the default of a variable that has no value, and nothing without one', () => {
    expect(expandSnippet('${TM_SELECTED_TEXT:selection}')).toBe('selection');
    expect(expandSnippet('[$TM_SELECTED_TEXT][$CLIPBOARD]')).toBe('[][]');
    expect(expandSnippet('${TM_SELECTED_TEXT:${1:nested}} $1')).toBe('nested nested');
  });

  it('inserts the name of an unknown variable', () => {
    expect(expandSnippet('$NOT_A_VARIABLE ${ALSO_NOT}')).toBe('NOT_A_VARIABLE ALSO_NOT');
  });

  it('takes values passed in over the defaults', () => {
    expect(expandSnippet('$TM_FILENAME', { TM_FILENAME: 'filter.c' })).toBe('filter.c');
  });

  it('applies variable transforms with groups, case changes and conditionals', () => {
    expect(expandSnippet('${TM_FILENAME/(.*)\\.c$/${1:/upcase}_H/}')).toBe('DRIVER_H');
    expect(expandSnippet('${TM_FILENAME_BASE/(.)(.*)/${1:/upcase}$2/}')).toBe('Driver');
    expect(expandSnippet('${TM_FILENAME/(x)?.*/${1:?has x:no x}/}')).toBe('no x');
    expect(expandSnippet('${TM_FILENAME/(d)?.*/${1:+has d}/}')).toBe('has d');
    expect(expandSnippet('${TM_FILENAME/(q)?.*/${1:-fallback}/}')).toBe('fallback');
  });

  it('turns a UUID into DEFINE_GUID arguments', () => {
    const body = '${UUID/^(........)-(....)-(....)-(..)(..)-(..)(..)(..)(..)(..)(..)$/0x$1, 0x$2, 0x$3, 0x$4, 0x$5, 0x$6, 0x$7, 0x$8, 0x$9, 0x$10, 0x$11/}';
    expect(expandSnippet(body, { UUID: '78b959b3-c3f8-44ac-9c90-69b5e41d92a0' })).toBe(
      '0x78b959b3, 0xc3f8, 0x44ac, 0x9c, 0x90, 0x69, 0xb5, 0xe4, 0x1d, 0x92, 0xa0',
    );
    expect(expandSnippet(`\${1:${body}}`)).toMatch(/^0x[0-9a-f]{8}, 0x[0-9a-f]{4}, 0x[0-9a-f]{4}(, 0x[0-9a-f]{2}){8}$/);
    expect(defaultVariables().UUID).not.toBe(defaultVariables().UUID);
  });

  it('applies a placeholder transform to the default, as after tabbing past it', () => {
    expect(expandSnippet('${1:gContoso} ${1/^g(.*)$/$1Lookaside/}')).toBe('gContoso ContosoLookaside');
  });
});

describe('parseSnippet', () => {
  it('builds tabstop, placeholder, choice and variable nodes', () => {
    expect(parseSnippet('a$1${2:b}${3|c,d|}$X')).toEqual([
      { kind: 'text', value: 'a' },
      { kind: 'tabstop', index: 1, children: [] },
      { kind: 'tabstop', index: 2, children: [{ kind: 'text', value: 'b' }] },
      { kind: 'tabstop', index: 3, children: [], choices: ['c', 'd'] },
      { kind: 'variable', name: 'X', children: null },
    ]);
  });

  it('reads a whole number after the dollar', () => {
    expect(parseSnippet('$14x')).toEqual([{ kind: 'tabstop', index: 14, children: [] }, { kind: 'text', value: 'x' }]);
  });
});
