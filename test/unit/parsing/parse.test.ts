import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText, reparseText, syntaxErrors, diffEdit } from '../../../server/src/parsing/parser';
import { maskAnnotations } from '../../../server/src/parsing/mask';

const fixtures = path.join(__dirname, '../../fixtures/parsing');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

beforeAll(async () => {
  await initParser();
});

function errorsOf(source: string): string[] {
  const parsed = parseText(source);
  try {
    return syntaxErrors(parsed.tree).map((n) => {
      const line = source.split('\n')[n.startPosition.row];
      return `${n.startPosition.row + 1}: ${line.trim()}`;
    });
  } finally {
    parsed.tree.delete();
  }
}

describe('parsing annotated driver code', () => {
  it('parses every ECP prototype of the WDK headers without ERROR nodes', () => {
    const source = read('ecp-prototypes.h');
    expect(source).toContain('FltAllocateExtraCreateParameterFromLookasideList');
    expect(errorsOf(source)).toEqual([]);
  });

  it('the same prototypes do produce errors when annotations are not masked', async () => {
    // Guards the test above: without masking, SAL breaks the parse.
    const { Parser, Language } = await import('web-tree-sitter');
    const lang = await Language.load(require.resolve('tree-sitter-c/tree-sitter-c.wasm'));
    const parser = new Parser();
    parser.setLanguage(lang);
    const tree = parser.parse(read('ecp-prototypes.h'))!;
    expect(syntaxErrors(tree).length).toBeGreaterThan(0);
    tree.delete();
    parser.delete();
  });

  it('parses realistic minifilter callbacks without ERROR nodes', () => {
    expect(errorsOf(read('minifilter-callbacks.c'))).toEqual([]);
  });

  it('masks annotations without moving any offset and keeps them for analysis', () => {
    const src = '_IRQL_requires_(DISPATCH_LEVEL)\nVOID FLTAPI F(_In_ PVOID p, _Outptr_result_maybenull_ PECP_LIST *l);';
    const { text, annotations } = maskAnnotations(src);
    expect(text.length).toBe(src.length);
    expect(text.split('\n').length).toBe(src.split('\n').length);
    expect(text).toContain('VOID        F(     PVOID p,');
    expect(annotations.map((a) => a.name)).toEqual(['_IRQL_requires_', 'FLTAPI', '_In_', '_Outptr_result_maybenull_']);
    expect(annotations[0].args).toBe('DISPATCH_LEVEL');
    expect(src.slice(annotations[0].start, annotations[0].end)).toBe('_IRQL_requires_(DISPATCH_LEVEL)');
  });

  it('leaves annotation-looking words inside strings and comments alone', () => {
    const src = 'char *s = "_In_ FLTAPI"; // _Out_ here\n/* _Inout_ */ int _In_x;';
    const { text, annotations } = maskAnnotations(src);
    expect(text).toBe(src);
    expect(annotations).toEqual([]);
  });

  it('does not let an unclosed annotation mask the rest of the file', () => {
    const src = 'VOID F(_In_reads_(n PVOID p);\nint after(void) { return 1; }\n';
    const { text } = maskAnnotations(src);
    expect(text).toContain('int after(void) { return 1; }');
  });
});

describe('incremental re-parse', () => {
  it('produces the same tree as a fresh parse after edits', () => {
    const before = read('minifilter-callbacks.c');
    const edits = [
      before.replace('status = FltInsertExtraCreateParameter', 'status = FsRtlInsertExtraCreateParameter'),
      before.replace('_IRQL_requires_max_(PASSIVE_LEVEL)', '_IRQL_requires_(DISPATCH_LEVEL)'),
      before + '\nVOID Extra(_In_ PVOID p) { }\n',
      before.slice(0, 500),
    ];
    for (const after of edits) {
      const first = parseText(before);
      const incremental = reparseText(first, after);
      const fresh = parseText(after);
      expect(incremental.tree.rootNode.toString()).toBe(fresh.tree.rootNode.toString());
      expect(incremental.masked).toBe(fresh.masked);
      incremental.tree.delete();
      fresh.tree.delete();
    }
  });

  it('computes the smallest edit between two texts', () => {
    const edit = diffEdit('abc\ndef\nghi', 'abc\ndXXf\nghi')!;
    expect(edit.startIndex).toBe(5);
    expect(edit.oldEndIndex).toBe(6);
    expect(edit.newEndIndex).toBe(7);
    expect(edit.startPosition).toEqual({ row: 1, column: 1 });
    expect(diffEdit('same', 'same')).toBeUndefined();
  });
});

describe('hostile input', () => {
  it('survives deep nesting and binary-looking text', () => {
    const deep = `int f(void) { return ${'('.repeat(10000)}1${')'.repeat(10000)}; }`;
    const parsed = parseText(deep);
    expect(parsed.tree.rootNode.type).toBe('translation_unit');
    parsed.tree.delete();
    const junk = Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    const p2 = parseText(junk);
    expect(syntaxErrors(p2.tree).length).toBeGreaterThan(0);
    p2.tree.delete();
  });
});
