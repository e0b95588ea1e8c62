/**
 * Macro shapes of real driver code that the grammar cannot read as written, and how the mask
 * reads them instead without moving what diagnostics point at: excpt.h's C spelling of SEH
 * (`try`/`except`/`finally`/`leave`), `#pragma` lines between a statement's head and its body,
 * and (C++) a string followed by a macro that expands to more string.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadLanguage, parseText, syntaxErrors, isSehLeave, type Node, type SourceLanguage } from '../../../server/src/parsing/parser';

beforeAll(async () => {
  await loadLanguage('c');
  await loadLanguage('cpp');
});

function shapeOf(source: string, lang: SourceLanguage = 'c') {
  const parsed = parseText(source, lang);
  const types = new Set<string>();
  const leaves: string[] = [];
  const walk = (n: Node) => {
    types.add(n.type);
    if (isSehLeave(n)) leaves.push(`${n.startPosition.row}`);
    for (const c of n.children) if (c) walk(c);
  };
  walk(parsed.tree.rootNode);
  const errors = syntaxErrors(parsed.tree).map((e) => e.startPosition.row + 1);
  parsed.tree.delete();
  return { masked: parsed.mask.text, types, errors, leaves };
}

/** Every word other than the SEH keywords keeps its offset. */
function wordsKept(source: string, masked: string, except: RegExp): void {
  for (const m of source.matchAll(/[A-Za-z_]\w*|[;,]/g)) {
    if (except.test(m[0])) continue;
    expect(masked.slice(m.index!, m.index! + m[0].length), `${m[0]} at ${m.index}`).toBe(m[0]);
  }
}

const SEH_C = fs.readFileSync(path.join(__dirname, '../../fixtures/parsing/excpt-seh-shapes.c'), 'utf8');

describe('excpt.h SEH spelling in C', () => {
  it('reads try/except/finally as __try/__except/__finally, keeping offsets, lines and every other word in place', () => {
    const { masked, types, errors, leaves } = shapeOf(SEH_C);
    expect(masked.length).toBe(SEH_C.length);
    expect(masked.split('\n').length).toBe(SEH_C.split('\n').length);
    expect(errors).toEqual([]);
    expect([...types].filter((t) => t.startsWith('seh_')).sort()).toEqual(['seh_except_clause', 'seh_finally_clause', 'seh_try_statement']);
    expect(masked).toContain('  __try {');
    expect(masked).toContain('}__finally {');
    expect(masked).toContain('\n}__except (EXCEPTION_EXECUTE_HANDLER) {');
    wordsKept(SEH_C, masked, /^(try|except|finally|pragma|warning|suppress)$/);
    // Both `leave;` statements are C's `__leave;` (one behind an `if`, one after a `;` on its line).
    expect(leaves).toEqual(['5', '6']);
  });

  it('gives the `if` the statement after a #pragma line as its body', () => {
    const source = 'void F(int p)\n{\n    if (p)\n#pragma warning(suppress: 28175)\n        p = 1;\n}\n';
    const { masked, errors } = shapeOf(source);
    expect(errors).toEqual([]);
    expect(masked.split('\n')[3].trim()).toBe('');
    const parsed = parseText(source);
    const ifNode = parsed.tree.rootNode.descendantsOfType('if_statement')[0]!;
    expect(ifNode.childForFieldName('consequence')?.text).toBe('p = 1;');
    parsed.tree.delete();
  });

  it('leaves the words alone where the shape is not SEH', () => {
    const source = 'struct try { int leave; };\nvoid F(struct try *t, int leave)\n{\n    t->leave = leave;\n    G(finally, except);\n}\n';
    const { masked, leaves } = shapeOf(source);
    expect(masked).toBe(source);
    expect(leaves).toEqual([]);
  });

  it('keeps the word, and the parse error, where its line has no room for the underscores', () => {
    const source = 'void F(void)\n{\ntry {\n    G();\n}finally{\n    H();\n}\n}\n';
    const { masked, errors } = shapeOf(source);
    expect(masked).toBe(source);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('leaves C++ try/catch (and a C++ `leave;`) as the language reads them', () => {
    const source = 'void F()\n{\n    try {\n        G();\n    } catch (...) {\n        leave;\n    }\n}\n';
    const { masked, types, errors, leaves } = shapeOf(source, 'cpp');
    expect(masked).toBe(source);
    expect(errors).toEqual([]);
    expect(types.has('try_statement')).toBe(true);
    expect(leaves).toEqual([]);
  });
});

describe('a string followed by a string macro', () => {
  const source = 'void F()\n{\n    Preset(&name, L"" PORT_NAME);\n    Log("%" PRIu64 "\\n", n);\n    Other(X "a", "b" and c);\n}\n';

  it('C++: blanks the macro name after the string, nothing else', () => {
    const { masked, errors } = shapeOf(source, 'cpp');
    expect(errors).toEqual([]);
    expect(masked).toBe(source.replace('PORT_NAME', ' '.repeat(9)).replace('PRIu64', ' '.repeat(6)));
  });

  it('C: reads it as written (the C grammar takes a name between strings)', () => {
    const { masked, errors } = shapeOf(source.replace(' and c', ', c'), 'c');
    expect(errors).toEqual([]);
    expect(masked).toBe(source.replace(' and c', ', c'));
  });
});

