/**
 * Half-typed code over real JSON-RPC: typing `if (x {` into a function, one character per
 * version, publishes for that function only what it had when it last parsed (here: nothing), and
 * the other functions' findings stay where they are; once the code parses again it is analysed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DidChangeTextDocumentNotification, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { startServer, type TestServer } from './harness';

const TEXT = [
  '#include <fltKernel.h>',
  '',
  'NTSTATUS Leaky(PFLT_FILTER Filter)',
  '{',
  '    PECP_LIST list = NULL;',
  '    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);',
  '    if (!NT_SUCCESS(status)) return status;',
  '    return STATUS_SUCCESS;',
  '}',
  '',
  'NTSTATUS Careful(PFLT_FILTER Filter, ULONG x)',
  '{',
  '    PECP_LIST list = NULL;',
  '    NTSTATUS status = FltAllocateExtraCreateParameterList(Filter, 0, &list);',
  '    if (!NT_SUCCESS(status)) return status;',
  '    ', //                                       line 15: the user types here
  '    if (list != NULL) FltFreeExtraCreateParameterList(Filter, list);',
  '    return STATUS_SUCCESS;',
  '}',
  '',
].join('\n');
const TYPING_LINE = 15;

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
});

afterAll(async () => {
  await server?.stop();
});

const shape = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}`);

describe('half-typed code', () => {
  it('typing `if (x {` keeps the last good findings of the function being edited', async () => {
    const uri = 'file:///half/typed.c';
    const first = await server.open(uri, TEXT);
    expect(shape(first.diagnostics)).toEqual(['ecp-list-leak@5']);
    let version = 1;
    let column = 4;
    const published: string[][] = [];
    for (const ch of 'if (x {') {
      version++;
      const next = server.diagnostics(uri, (p) => p.version === version);
      await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: TYPING_LINE, character: column }, end: { line: TYPING_LINE, character: column } }, text: ch }],
      });
      column++;
      published.push(shape((await next).diagnostics));
    }
    // Every version while typing: only Leaky's leak, never a finding of the broken Careful.
    expect(published).toEqual(published.map(() => ['ecp-list-leak@5']));
    // Completing the statement: it parses again and is analysed again.
    version++;
    const done = server.diagnostics(uri, (p) => p.version === version);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: TYPING_LINE, character: column - 2 }, end: { line: TYPING_LINE, character: column } }, text: ') { }' }],
    });
    expect(shape((await done).diagnostics)).toEqual(['ecp-list-leak@5']);
  });

  it('a function that never parsed cleanly keeps its findings (nothing is hidden from the start)', async () => {
    const broken = TEXT.replace('    \n    if (list', '    x = = 1;\n    return STATUS_SUCCESS;\n    if (list');
    const { diagnostics } = await server.open('file:///half/from-start.c', broken);
    expect(shape(diagnostics)).toContain('ecp-list-leak@13');
  });
});
