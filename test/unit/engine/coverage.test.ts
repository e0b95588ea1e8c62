import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, loadLanguage, languageFor, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed } from '../../../server/src/analysis';
import { DEFAULT_SETTINGS } from '../../../server/src/config';
import { clearFunctionCache } from '../../../server/src/engine/analyzeFile';
import { runFixture } from '../rules/fixtureRunner';

const DIR = path.resolve(__dirname, '../../fixtures/coverage');

function coverageOf(source: string, maxPaths = DEFAULT_SETTINGS.maxPathsPerFunction, file = 'x.c') {
  const parsed = parseText(source, languageFor(file));
  try {
    return analyzeParsed(parsed, source, { settings: { ...DEFAULT_SETTINGS, maxPathsPerFunction: maxPaths } }).file.coverage;
  } finally {
    parsed.tree.delete();
  }
}

beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
  clearFunctionCache();
});

describe('coverage of ECP-using functions', () => {
  it('counts a function walked on every path as analysed and nothing as missing', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/rules/control-goto-cleanup.c'), 'utf8');
    expect(coverageOf(source)).toEqual({ functions: 1, analysed: 1, incomplete: [], notAnalysed: [] });
  });

  it('counts a function whose ECP calls all go through looked-up routine pointers', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/rules/ecp-null-list-pos-routine-pointer.c'), 'utf8');
    // FabrikamCreateHasPolicy calls them through pointers; FabrikamResolveEcpRoutines only looks them up.
    expect(coverageOf(source)).toEqual({ functions: 1, analysed: 1, incomplete: [], notAnalysed: [] });
  });

  it('does not multiply paths by the branches of a helper that touches no ECP state', () => {
    const file = path.resolve(__dirname, '../../fixtures/engine/branchy-plain-helper.c');
    expect(coverageOf(fs.readFileSync(file, 'utf8'), 16)).toEqual({ functions: 1, analysed: 1, incomplete: [], notAnalysed: [] });
    const r = runFixture(file);
    expect({ missing: r.missing.map((m) => `${m.code}@${m.line + 1}`), unexpected: r.unexpected.map((f) => f.code) }).toEqual({ missing: [], unexpected: [] });
  });

  it('reports a function cut by the path bound as incomplete, at its first line', () => {
    const source = fs.readFileSync(path.join(DIR, 'many-paths.c'), 'utf8');
    const coverage = coverageOf(source, 16);
    expect(coverage.functions).toBe(2);
    expect(coverage.analysed).toBe(1);
    expect(coverage.incomplete).toEqual([{ function: 'FabrikamAddHints', line: 13, reason: 'path-bound', detail: 'stopped after more than 16 paths' }]);
  });

  it('walks to the end a function whose helper has thousands of ways through that rejoin', () => {
    // A helper that returns at one of thirteen places, called three times: 2,197 paths unmerged.
    const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/engine/merge-helper-branches.c'), 'utf8');
    const coverage = coverageOf(source);
    expect(coverage.incomplete).toEqual([]);
    expect(coverage.analysed).toBe(coverage.functions);
    expect(coverage.functions).toBeGreaterThan(0);
  });

  it('walks to the end a function whose paths differ only in flags nobody reads again', () => {
    // Twelve independent options each setting a dead flag: 4,096 paths if they were not merged.
    const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/engine/merge-dead-flags.c'), 'utf8');
    expect(coverageOf(source)).toEqual({ functions: 1, analysed: 1, incomplete: [], notAnalysed: [] });
  });

  it('analyses the intact definitions inside a top-level error region, and reports no gap for them', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/engine/error-region-keeps-intact-functions.c'), 'utf8');
    expect(coverageOf(source)).toEqual({ functions: 1, analysed: 1, incomplete: [], notAnalysed: [] });
  });

  it('analyses whole the functions a conditional splits mid-statement, with one arm of each', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/engine/conditional-splits-statements.c'), 'utf8');
    expect(coverageOf(source)).toEqual({ functions: 2, analysed: 2, incomplete: [], notAnalysed: [] });
  });

  it('takes a statement macro written without its semicolon as whole, not as a parse error', () => {
    // The last statement of a block, as in Microsoft's avscan sample (AV_SET_INVALID_FILE_REFERENCE).
    const source = `extern PFLT_FILTER gFilter;\nVOID Reset(PECP_LIST List, PFILE_ID Id)\n{\n    if (Id != NULL) {\n        FABRIKAM_CLEAR_ID( *Id )\n    }\n    FltFreeExtraCreateParameterList(gFilter, List);\n}\n`;
    expect(coverageOf(source)).toEqual({ functions: 1, analysed: 1, incomplete: [], notAnalysed: [] });
  });

  it('keeps the incomplete verdict when the run comes from the cache', () => {
    const source = fs.readFileSync(path.join(DIR, 'many-paths.c'), 'utf8');
    coverageOf(source, 16);
    expect(coverageOf(`\n\n${source}`, 16).incomplete.map((g) => [g.function, g.line, g.reason])).toEqual([['FabrikamAddHints', 15, 'path-bound']]);
  });

  it('reports a function the parser folded into an error region as not analysed, with its name', () => {
    const source = fs.readFileSync(path.join(DIR, 'unparsed-region.c'), 'utf8');
    const coverage = coverageOf(source);
    expect(coverage.notAnalysed).toEqual([{ function: 'FabrikamRelease', line: 7, reason: 'parse-error', detail: expect.stringContaining('FltFreeExtraCreateParameterList') }]);
    expect(coverage.functions).toBe(1);
    expect(coverage.analysed).toBe(0);
  });

  it('reports a function whose body holds unreadable code as incomplete (parse error)', () => {
    const source = `extern PFLT_FILTER gFilter;\nVOID Half(PECP_LIST List)\n{\n    x = (;\n    FltFreeExtraCreateParameterList(gFilter, List);\n}\n`;
    expect(coverageOf(source).incomplete).toEqual([{ function: 'Half', line: 1, reason: 'parse-error', detail: expect.any(String) }]);
  });

  it('reads the macro shapes real drivers use and analyses every function whole', () => {
    // excpt.h's try/except/finally/leave in C, a #pragma between an `if` and its statement, and
    // (C++) a string macro pasted after a literal, legacy SAL on locals (`__notnull PFCB Fcb = ...;`):
    // each once broke the parse of its function.
    const RULES = path.resolve(__dirname, '../../fixtures/rules');
    const cases: [string, number][] = [
      ['control-excpt-try-finally-except-leave.c', 2],
      ['ecp-list-leak-pos-excpt-finally-failure-only.c', 1],
      ['control-pragma-between-if-and-statement.c', 1],
      ['ecp-list-leak-pos-cpp-string-macro-argument.cpp', 1],
      ['ecp-list-leak-pos-legacy-sal-locals.c', 1],
    ];
    for (const [name, functions] of cases) {
      const coverage = coverageOf(fs.readFileSync(path.join(RULES, name), 'utf8'), undefined, name);
      expect(coverage, name).toEqual({ functions, analysed: functions, incomplete: [], notAnalysed: [] });
    }
  });

  it('counts a function that only uses a status macro as no ECP user, and one whose macro calls an ECP helper as one', () => {
    const source = [
      '#define CHECK(S) if (!NT_SUCCESS(S)) { return (S); }',
      '#define ATTACH(D, L) FabrikamAttach(D, L)',
      'extern PFLT_FILTER gFilter;',
      'NTSTATUS Plain(PVOID p) { NTSTATUS s = Work(p); CHECK(s); return s; }',
      'NTSTATUS FabrikamAttach(PFLT_CALLBACK_DATA d, PECP_LIST l) { return FltSetEcpListIntoCallbackData(gFilter, d, l); }',
      'NTSTATUS Caller(PFLT_CALLBACK_DATA d, PECP_LIST l) { return ATTACH(d, l); }',
      '',
    ].join('\n');
    expect(coverageOf(source)).toEqual({ functions: 2, analysed: 2, incomplete: [], notAnalysed: [] });
  });

  it('counts no function as an ECP user for a routine named in a comment, or for FltCreateFileEx', () => {
    // FltCreateFileEx takes no driver create context; a commented-out call is no call.
    const source = fs.readFileSync(path.resolve(__dirname, '../../fixtures/rules/control-no-ecp-logger.c'), 'utf8');
    expect(coverageOf(source)).toEqual({ functions: 1, analysed: 1, incomplete: [], notAnalysed: [] });
  });

  it('ignores error regions that hold no ECP routine', () => {
    expect(coverageOf('int a = (;\nint b;\n').notAnalysed).toEqual([]);
  });
});

describe('coverage of functions no path gets through', () => {
  it('reports a function whose every path is dropped as incomplete (unsupported)', () => {
    const source = `extern PFLT_FILTER gFilter;\nVOID Jumps(PECP_LIST List)\n{\n    FltFreeExtraCreateParameterList(gFilter, List);\n    goto Nowhere;\n}\n`;
    expect(coverageOf(source).incomplete).toEqual([{ function: 'Jumps', line: 1, reason: 'unsupported', detail: 'no path could be followed to the end of the function' }]);
  });

  it('does not count a function that loops forever by design as incomplete', () => {
    const source = `extern PFLT_FILTER gFilter;\nVOID Serve(PECP_LIST List)\n{\n    for (;;) {\n        FltAcknowledgeEcp(gFilter, List);\n    }\n}\n`;
    expect(coverageOf(source).incomplete).toEqual([]);
  });
});
