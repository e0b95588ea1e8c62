import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, loadLanguage, parseText, unparsedRegionsOf, type ParsedText } from '../../../server/src/parsing/parser';
import { maskAnnotations } from '../../../server/src/parsing/mask';
import { scanChunks } from '../../../server/src/parsing/chunks';
import { buildFileModel } from '../../../server/src/engine/fileModel';
import { analyzeParsed } from '../../../server/src/analysis';

beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
});

function functionsOf(parsed: ParsedText): string[] {
  return [...buildFileModel(parsed.tree, parsed.masked, parsed.annotations).functions.keys()];
}

function parsedOnce(source: string, lang: 'c' | 'cpp' = 'c'): { names: string[]; unparsed: [string | null, number, string][]; masked: string } {
  const parsed = parseText(source, lang);
  try {
    return { names: functionsOf(parsed), unparsed: unparsedRegionsOf(parsed.tree).map((r) => [r.name, r.line + 1, r.reason]), masked: parsed.masked };
  } finally {
    parsed.tree.delete();
  }
}

describe('the lexical chunk scan', () => {
  it('sees functions through namespaces and extern "C", and tells macro blocks and unclosed bodies apart', () => {
    const text = [
      'namespace a { namespace b {',
      'int F(int x) { if (x) { return 1; } return 0; }',
      '} }',
      'extern "C" {',
      'NTSTATUS G(void) { return 0; }',
      '}',
      'FLAGS_ENUM(Options, ULONG) { A = 1 };',
      'struct S { int (*fp)(void); };',
      'static const GUID X = { 1, 2 };',
      'void H(void) { while (1) {',
      'void K(void) { }',
    ].join('\n');
    expect(scanChunks(text).map((c) => `${c.kind}:${c.name}`)).toEqual(['function:F', 'function:G', 'macro-block:FLAGS_ENUM', 'unclosed:H', 'function:K']);
  });
});

describe('parse recovery', () => {
  it('recovers the functions after a namespace-scope macro that declares an enum (C++)', () => {
    const text = 'namespace n {\nMY_FLAGS(Options, ULONG)\n{\n    A = 1 << 0,\n    B = 1 << 1,\n};\nNTSTATUS F(int a) { return a; }\nNTSTATUS G(int b) { return b; }\n}\n';
    const r = parsedOnce(text, 'cpp');
    expect(r.names).toEqual(['F', 'G']);
    expect(r.unparsed).toEqual([]);
    expect(r.masked.length).toBe(text.length);
    expect(r.masked.split('\n').length).toBe(text.split('\n').length);
  });

  it('recovers the functions after an unclosed body and reports the unclosed one by name and line', () => {
    const text = 'int a;\nstatic NTSTATUS D1(void) { if (x) { return 0; }\nstatic NTSTATUS D2(void) { return 0; }\nNTSTATUS D3(void) { return 1; }\n';
    const r = parsedOnce(text);
    expect(r.names).toEqual(['D2', 'D3']);
    expect(r.unparsed).toEqual([['D1', 2, 'unclosed']]);
  });

  it('recovers a function after a file-scope macro written without a semicolon', () => {
    expect(parsedOnce('ASSERT_SECTION(PAGE)\nNTSTATUS E1(void) { return 0; }\nNTSTATUS E3(void) { return 0; }\n').names).toEqual(['E1', 'E3']);
  });

  it('reports a function whose head the grammar cannot read as not parsed, with its name', () => {
    const r = parsedOnce('PAGED<SECTION> WORD\nNTSTATUS G1(void) { return 0; }\nNTSTATUS G3(void) { return 0; }\n');
    expect(r.names).toContain('G3');
    expect(r.unparsed).toEqual([['G1', 2, 'parse-error']]);
  });

  it('reads a function whose head starts with macros before the return type (a section word, an annotation call)', () => {
    const r = parsedOnce('#define PAGED_FN __declspec(code_seg("PAGE"))\nPAGED_FN\nNTSTATUS G1(void) { return 0; }\nMY_IRQL(APC_LEVEL) PAGED_WORD\nNTSTATUS G2(void) { return 0; }\n');
    expect(r.names).toEqual(['G1', 'G2']);
    expect(r.unparsed).toEqual([]);
  });

  it('leaves a file alone when the only error is inside a body (half-typed code)', () => {
    const text = 'NTSTATUS F(int x) {\n    if (x {\n        return 1;\n    }\n    return 0;\n}\nNTSTATUS G(void) { return 0; }\n';
    const r = parsedOnce(text);
    expect(r.masked).toBe(maskAnnotations(text).text);
    expect(r.unparsed).toEqual([]);
    expect(r.names).toEqual(['F', 'G']);
  });

  it('a long file with four unclosed bodies keeps every other function', () => {
    const functions = Array.from({ length: 40 }, (_, i) => `NTSTATUS\nF${i}(\n    _In_ PVOID p\n    )\n{\n    if (p) {\n        return ${i};\n    }\n    return 0;\n}\n`);
    const broken = [5, 15, 25, 35];
    const text = functions.map((f, i) => (broken.includes(i) ? f.replace(/\}\n$/, '\n') : f)).join('\n');
    const r = parsedOnce(text);
    expect(r.names).toEqual(functions.map((_, i) => `F${i}`).filter((_, i) => !broken.includes(i)));
    expect(r.unparsed.map(([name, , reason]) => `${name}:${reason}`)).toEqual(broken.map((i) => `F${i}:unclosed`));
  });

  it('the analysis reports each ECP function it could not analyse, on the line of its name', () => {
    const file = path.resolve(__dirname, '../../fixtures/rules/ecp-list-leak-pos-after-unclosed-function.c');
    const source = fs.readFileSync(file, 'utf8');
    const parsed = parseText(source);
    try {
      const result = analyzeParsed(parsed, source);
      expect(result.file.coverage.notAnalysed).toEqual([{ function: 'ContosoHalfWritten', line: 9, reason: 'parse-error', detail: 'its body never closes; the code around FltAllocateExtraCreateParameterList was not analysed' }]);
      expect(result.log).toContain('ContosoHalfWritten (line 10): not analysed (parse error): its body never closes; the code around FltAllocateExtraCreateParameterList was not analysed');
    } finally {
      parsed.tree.delete();
    }
  });
});
