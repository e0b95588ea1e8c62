/**
 * One file model per document version, shared by the diagnostics, hover and the simulator; the
 * analysis and the simulator copy it before adding a header's macros. Function heads are reused by their text,
 * and quick fixes may be computed when first read: neither may change what is found.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser } from '../../../server/src/parsing/parser';
import { DocumentStore } from '../../../server/src/documents';
import { analyzeParsed } from '../../../server/src/analysis';
import { clearFunctionCache } from '../../../server/src/engine/analyzeFile';
import { copyModel } from '../../../server/src/engine/fileModel';
import { makeRelevanceCache } from '../../../server/src/engine/context';
import { simulate } from '../../../server/src/simulate/simulate';
import { ecpFunctions } from '../../../server/src/simulate/select';

const MISTAKES = fs.readFileSync(path.join(__dirname, '../../../examples/attach-ecp-mistakes.c'), 'utf8');

beforeAll(async () => {
  await initParser();
});

/** A macro from a header that makes the status check of a leak-prone function a return. */
const HEADER = '#define RETURN_ON_FAIL(s) if (!NT_SUCCESS(s)) return (s)\n';
const SOURCE = `#include "checks.h"
NTSTATUS
Attach(_In_ PFLT_FILTER Filter, _In_ PFLT_CALLBACK_DATA Data)
{
    PECP_LIST list = NULL;
    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);
    RETURN_ON_FAIL(status);
    status = FltSetEcpListIntoCallbackData(Filter, Data, list);
    return status;
}
`;

describe('the file model of a version', () => {
  it('is built once per version and replaced by an edit', () => {
    const store = new DocumentStore();
    const stored = store.open('file:///t/a.c', 'c', 1, SOURCE);
    const model = store.fileModel(stored);
    expect(store.fileModel(stored)).toBe(model);
    store.change('file:///t/a.c', 2, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: ' ' }]);
    expect(store.fileModel(stored)).not.toBe(model);
    store.dispose();
  });

  it('is not changed by an analysis that adds a header, and gives the same findings as a model of its own', () => {
    const store = new DocumentStore();
    const stored = store.open('file:///t/a.c', 'c', 1, SOURCE);
    const model = store.fileModel(stored);
    const readInclude = (name: string) => (name === 'checks.h' ? HEADER : undefined);
    clearFunctionCache();
    const shared = analyzeParsed(stored.parsed, SOURCE, { readInclude, model });
    expect(model.macros.has('RETURN_ON_FAIL')).toBe(false);
    expect(shared.file.model.macros.has('RETURN_ON_FAIL')).toBe(true);
    clearFunctionCache();
    const own = analyzeParsed(stored.parsed, SOURCE, { readInclude });
    expect(JSON.stringify(shared.findings)).toBe(JSON.stringify(own.findings));
    store.dispose();
  });

  it('gives the simulator the same traces as a model of its own, and is not changed by it', () => {
    const store = new DocumentStore();
    const uri = 'file:///t/mistakes.c';
    const stored = store.open(uri, 'c', 1, MISTAKES);
    const model = store.fileModel(stored);
    const functions = model.functions.size;
    const names = ecpFunctions(model).map((fn) => fn.name);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      for (const faults of [undefined, { systematic: true }]) {
        const params = { textDocument: { uri }, function: name, ...(faults ? { faults } : {}) };
        const shared = simulate(stored.parsed, MISTAKES, uri, params, { model });
        const own = simulate(stored.parsed, MISTAKES, uri, params);
        expect(JSON.stringify(shared)).toBe(JSON.stringify(own));
      }
    }
    expect(model.functions.size).toBe(functions);
    store.dispose();
  });

  it("keeps each model's relevance of a function they share (runs on copies of one model alternate in the server)", () => {
    const store = new DocumentStore();
    const stored = store.open('file:///t/a.c', 'c', 1, SOURCE);
    const model = store.fileModel(stored);
    const fn = model.functions.get('Attach')!;
    const [one, other] = [copyModel(model), copyModel(model)];
    const first = makeRelevanceCache(one, SOURCE)(fn);
    makeRelevanceCache(other, SOURCE)(fn);
    expect(makeRelevanceCache(one, SOURCE)(fn)).toBe(first);
    store.dispose();
  });

  it('reads a changed function head again (parameters and return type follow the edit)', () => {
    const store = new DocumentStore();
    const stored = store.open('file:///t/a.c', 'c', 1, SOURCE);
    expect(store.fileModel(stored).functions.get('Attach')!.params.map((p) => p.name)).toEqual(['Filter', 'Data']);
    // `Data` → `Cbd` on line 3.
    store.change('file:///t/a.c', 2, [{ range: { start: { line: 2, character: 56 }, end: { line: 2, character: 60 } }, text: 'Cbd' }]);
    const fn = store.fileModel(stored).functions.get('Attach')!;
    expect(fn.params).toEqual([{ name: 'Filter', type: 'PFLT_FILTER' }, { name: 'Cbd', type: 'PFLT_CALLBACK_DATA' }]);
    store.dispose();
  });
});

describe('quick fixes computed when first read', () => {
  it('equal the fixes computed at once, finding by finding', () => {
    const store = new DocumentStore();
    const stored = store.open('file:///t/m.c', 'c', 1, MISTAKES);
    const eager = analyzeParsed(stored.parsed, MISTAKES);
    const lazy = analyzeParsed(stored.parsed, MISTAKES, { lazyFixes: true });
    expect(eager.findings.length).toBeGreaterThan(5);
    expect(eager.findings.some((f) => f.fixes.length > 2)).toBe(true);
    expect(JSON.stringify(lazy.findings)).toBe(JSON.stringify(eager.findings));
    store.dispose();
  });
});
