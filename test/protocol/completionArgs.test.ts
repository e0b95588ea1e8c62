/**
 * Completion inside call arguments over real JSON-RPC: an empty or whitespace-only argument is
 * still that argument (the Flags of FltAllocateExtraCreateParameterList offers its flag, not routine
 * names), snippets never appear inside an argument list, and each snippet prefix is offered once
 * with its own description.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompletionRequest, CompletionItemKind, CompletionTriggerKind, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';

const LIST_FLAGS = ['0', 'FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA'];

function doc(call: string): string {
  return [
    '#include <fltKernel.h>',
    'NTSTATUS Build(PFLT_FILTER Filter)',
    '{',
    '    PECP_LIST ecpList = NULL;',
    `    NTSTATUS status = ${call}`,
    '    return status;',
    '}',
    '',
  ].join('\n');
}

let server: TestServer;
let n = 0;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
});

afterAll(async () => {
  await server?.stop();
});

/** Completion at the `|` of `call` (the mark is removed), optionally as a trigger character. */
function complete(call: string, trigger?: string): Promise<CompletionItem[]> {
  return completeAtMark(doc(call), trigger);
}

async function completeAtMark(text: string, trigger?: string): Promise<CompletionItem[]> {
  const offset = text.indexOf('|');
  const uri = `file:///completion/args-${n++}.c`;
  await server.open(uri, text.replace('|', ''));
  const before = text.slice(0, offset).split('\n');
  const result = (await server.connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position: { line: before.length - 1, character: before.at(-1)!.length },
    ...(trigger ? { context: { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: trigger } } : {}),
  })) as CompletionList;
  return result.items;
}

async function completeAtTop(): Promise<CompletionItem[]> {
  const uri = `file:///completion/top-${n++}.c`;
  await server.open(uri, '#include <fltKernel.h>\nPFLT_FILTER gFilter;\n\n');
  return ((await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 0 } })) as CompletionList).items;
}

const labels = (items: CompletionItem[]) => items.map((i) => String(i.label)).sort();

describe('completion in arguments over stdio', () => {
  it('a whitespace-only or empty Flags argument offers the list flags, not routine names', async () => {
    for (const call of [
      'FltAllocateExtraCreateParameterList(Filter, |, &ecpList);',
      'FltAllocateExtraCreateParameterList(Filter, |,&ecpList);',
      'FltAllocateExtraCreateParameterList(Filter,|, &ecpList);',
      'FltAllocateExtraCreateParameterList(Filter,   |  , &ecpList);',
      'FltAllocateExtraCreateParameterList(Filter, |',
      'FltAllocateExtraCreateParameterList(\n        Filter,\n        |\n        &ecpList);',
    ]) {
      expect(labels(await complete(call)), call).toEqual(LIST_FLAGS);
    }
    expect(labels(await complete('FltAllocateExtraCreateParameterList(Filter, |, &ecpList);', ','))).toEqual(LIST_FLAGS);
  });

  it('never offers snippets inside an argument list', async () => {
    for (const call of ['FltAllocateExtraCreateParameterList(|', 'FltAllocateExtraCreateParameterList(Filter, 0, |);', 'RtlZeroMemory(|);', 'Helper(Filter, ecp|);']) {
      const items = await complete(call);
      expect(items.filter((i) => i.kind === CompletionItemKind.Snippet).map((i) => i.label), call).toEqual([]);
    }
  });
});

describe('snippet prefixes', () => {
  it('each prefix is offered once, by the server only, each with its own description', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.contributes.snippets).toBeUndefined();
    const items = (await complete('0;\n    |')).filter((i) => i.kind === CompletionItemKind.Snippet);
    expect(items.length).toBeGreaterThan(0);
    const prefixes = items.map((i) => i.filterText);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    const descriptions = items.map((i) => i.detail ?? '');
    expect(descriptions.every((d) => d.length > 0)).toBe(true);
    expect(new Set(descriptions).size).toBe(descriptions.length);
    // Every prefix of the snippet file is one the server serves (at file scope or in a body).
    const fileScope = (await completeAtTop()).filter((i) => i.kind === CompletionItemKind.Snippet).map((i) => i.filterText);
    const known = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets/ecp.json'), 'utf8')) as Record<string, { prefix: string }>;
    const flt = Object.values(known).map((s) => s.prefix).filter((p) => !/fsrtl|-return$|precreate|find/.test(p));
    expect(flt.filter((p) => !prefixes.includes(p) && !fileScope.includes(p))).toEqual([]);
  });
});

/** A pre-create callback with one name of each kind in scope, and a call typed at `|`. */
function callbackDoc(call: string): string {
  return [
    '#include <fltKernel.h>',
    "#define CONTOSO_TAG 'xEcp'",
    '#define CONTOSO_LIMIT 16',
    'typedef struct _CONTOSO_CTX { ULONG Size; } CONTOSO_CTX, *PCONTOSO_CTX;',
    'PFLT_FILTER gFilter;',
    'NPAGED_LOOKASIDE_LIST gLookaside;',
    'VOID ContosoCleanup(PVOID EcpContext, LPCGUID EcpType) { UNREFERENCED_PARAMETER(EcpContext); UNREFERENCED_PARAMETER(EcpType); }',
    'VOID NotACallback(PVOID A) { UNREFERENCED_PARAMETER(A); }',
    'FLT_PREOP_CALLBACK_STATUS Pre(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Completion)',
    '{',
    '    PECP_LIST ecpList = NULL;',
    '    PCONTOSO_CTX ctx = NULL;',
    '    PVOID raw = NULL;',
    '    UNICODE_STRING name;',
    '    ULONG size = 0;',
    '    NTSTATUS status;',
    `    status = ${call}`,
    '    return FLT_PREOP_SUCCESS_NO_CALLBACK;',
    '}',
    '',
  ].join('\n');
}

function completeIn(call: string, trigger?: string): Promise<CompletionItem[]> {
  return completeAtMark(callbackDoc(call), trigger);
}

describe('completion in pointer arguments of ECP routines', () => {
  const cases: Array<[string, string[]]> = [
    // The list of an insert, a free, a find: the PECP_LIST names in scope.
    ['FltInsertExtraCreateParameter(gFilter, |, ctx);', ['ecpList']],
    ['FltFreeExtraCreateParameterList(gFilter, |);', ['ecpList']],
    ['FltFreeExtraCreateParameterList(gFilter, ecp|);', ['ecpList']],
    // The context of an insert or a free: the context pointers, not the list, filter or string.
    ['FltInsertExtraCreateParameter(gFilter, ecpList, |);', ['ctx', 'raw']],
    ['FltFreeExtraCreateParameter(gFilter, |);', ['ctx', 'raw']],
    // Out-parameters: the address, cast for a typed context.
    ['FltAllocateExtraCreateParameterList(gFilter, 0, |);', ['&ecpList']],
    ['FltAllocateExtraCreateParameterList(gFilter, 0, &|);', ['&ecpList']],
    ["FltAllocateExtraCreateParameter(gFilter, &GUID_ECP_NETWORK_OPEN_CONTEXT, 8, 0, NULL, CONTOSO_TAG, |);", ['&raw', '(PVOID *)&ctx']],
    ["FltAllocateExtraCreateParameter(gFilter, &GUID_ECP_NETWORK_OPEN_CONTEXT, 8, 0, NULL, CONTOSO_TAG, (PVOID *)|);", ['&ctx', '&raw']],
    ['FltFindExtraCreateParameter(gFilter, ecpList, &GUID_ECP_NETWORK_OPEN_CONTEXT, |, NULL);', ['&raw', '(PVOID *)&ctx', 'NULL']],
    // Optional out-parameter of a find: the ULONG's address or NULL.
    ['FltFindExtraCreateParameter(gFilter, ecpList, &GUID_ECP_NETWORK_OPEN_CONTEXT, &raw, |);', ['&size', 'NULL']],
    // The get-next cursor is optional: NULL first time.
    ['FltGetNextExtraCreateParameter(gFilter, ecpList, |, NULL, &raw, NULL);', ['NULL', 'ctx', 'raw']],
    // The filter: the global and the related objects' field; the callback data by its type.
    ['FltFreeExtraCreateParameterList(|, ecpList);', ['FltObjects->Filter', 'gFilter']],
    ['FltGetEcpListFromCallbackData(gFilter, |, &ecpList);', ['Data']],
    // Cleanup callback, pool tag and lookaside.
    ["FltAllocateExtraCreateParameter(gFilter, &GUID_ECP_NETWORK_OPEN_CONTEXT, 8, 0, |, CONTOSO_TAG, &raw);", ['ContosoCleanup', 'NULL']],
    ["FltAllocateExtraCreateParameter(gFilter, &GUID_ECP_NETWORK_OPEN_CONTEXT, 8, 0, NULL, |, &raw);", ['CONTOSO_TAG']],
    ["FltInitExtraCreateParameterLookasideList(gFilter, |, 0, 8, CONTOSO_TAG);", ['&gLookaside']],
    // A size, or an expression under way: nothing (never the routine list).
    ["FltAllocateExtraCreateParameter(gFilter, &GUID_ECP_NETWORK_OPEN_CONTEXT, |, 0, NULL, CONTOSO_TAG, &raw);", []],
    ['FltFreeExtraCreateParameter(gFilter, ctx->|);', []],
  ];
  for (const [call, expected] of cases) {
    it(call, async () => {
      const items = await completeIn(call);
      expect(labels(items)).toEqual([...expected].sort());
    });
  }

  it('offers the same after a trigger comma, with an edit that replaces the typed & and word', async () => {
    expect(labels(await completeIn('FltInsertExtraCreateParameter(gFilter, ecpList, |);', ','))).toEqual(['ctx', 'raw']);
    const items = await completeIn('FltAllocateExtraCreateParameterList(gFilter, 0, &ecp|);', '&');
    expect(items.map((i) => i.label)).toEqual(['&ecpList']);
    const edit = items[0].textEdit as { range: { start: { character: number }; end: { character: number } }; newText: string };
    const line = callbackDoc('FltAllocateExtraCreateParameterList(gFilter, 0, &ecp|);').split('\n').find((l) => l.includes('|'))!;
    expect(edit.range.start.character).toBe(line.indexOf('&ecp'));
    expect(edit.range.end.character).toBe(line.indexOf('|'));
  });
});
