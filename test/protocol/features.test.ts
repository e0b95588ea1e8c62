/** Hover, signature help and completion over stdio against the real built server. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CompletionRequest,
  CompletionTriggerKind,
  DidChangeTextDocumentNotification,
  HoverRequest,
  SignatureHelpRequest,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type MarkupContent,
  type SignatureHelp,
} from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';
import { catalog, routine, routineList } from '../../server/src/catalog';
import { initParser, parseText, syntaxErrors } from '../../server/src/parsing/parser';
import { analyzeParsed } from '../../server/src/analysis';
import { expandSnippet } from '../../server/src/features/snippetExpand';

const FIXTURE = fs.readFileSync(path.join(ROOT, 'test/fixtures/features/minifilter.c'), 'utf8');
const URI = 'file:///w/features/minifilter.c';
let server: TestServer;

beforeAll(async () => {
  await initParser();
  server = await startServer({ diagnosticsDelay: 0 });
  await server.open(URI, FIXTURE);
});

afterAll(async () => {
  await server?.stop();
});

function position(text: string, needle: string, delta = 0, occurrence = 1) {
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - (before.lastIndexOf('\n') + 1) };
}

async function hoverAt(needle: string, delta = 2, occurrence = 1): Promise<string> {
  const h = (await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: position(FIXTURE, needle, delta, occurrence) })) as Hover | null;
  return (h?.contents as MarkupContent | undefined)?.value ?? '';
}

describe('capabilities', () => {
  it('declares hover, signature help and completion', () => {
    const caps = server.initializeResult.capabilities;
    expect(caps.hoverProvider).toBe(true);
    expect(caps.signatureHelpProvider).toEqual({ triggerCharacters: ['(', ','], retriggerCharacters: [','] });
    expect(caps.completionProvider).toEqual({ triggerCharacters: ['_', '&', '(', ','], resolveProvider: false });
  });
});

describe('hover', () => {
  it('shows FltAllocateExtraCreateParameter with prototype, IRQL, return codes and counterpart', async () => {
    const v = await hoverAt('FltAllocateExtraCreateParameter(', 5);
    const r = routine('FltAllocateExtraCreateParameter')!;
    expect(v).toContain(r.prototype);
    expect(v).toContain('**IRQL:** <= APC_LEVEL');
    expect(v).toContain('STATUS_INSUFFICIENT_RESOURCES');
    expect(v).toContain('**Counterpart:** `FsRtlAllocateExtraCreateParameter`');
  });

  it('shows a flag with its hex value and the routines that accept it', async () => {
    const v = await hoverAt('FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL');
    expect(v).toContain('**Value:** 0x00000002');
    for (const r of catalog.flagFamilies.get('FSRTL_ALLOCATE_ECP_FLAGS')!.acceptedBy) expect(v).toContain(`\`${r}\``);
  });

  it('shows GUID_ECP_NETWORK_OPEN_CONTEXT with its value and structure', async () => {
    const v = await hoverAt('GUID_ECP_NETWORK_OPEN_CONTEXT');
    expect(v).toContain('{c584edbf-00df-4d28-b884-35baca8911e8}');
    expect(v).toContain('`NETWORK_OPEN_ECP_CONTEXT`');
    // A GUID is not C code: no c block colours it.
    expect(v).toContain('**GUID_ECP_NETWORK_OPEN_CONTEXT** `{c584edbf-00df-4d28-b884-35baca8911e8}`');
    expect(v).not.toContain('```c');
  });

  it('shows a status code and the bug check', async () => {
    expect(await hoverAt('STATUS_OBJECT_NAME_NOT_FOUND')).toMatch(/0xC0000034.*Severity:\*\* error/);
    expect(await hoverAt('FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION')).toContain('**Bug check 0x0000010C: FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION**');
  });

  it('shows the simulated state of a variable holding an ECP list', async () => {
    const v = await hoverAt('driverContext.ExtraCreateParameter = ecpList', 'driverContext.ExtraCreateParameter = '.length + 1);
    expect(v).toContain('**ecpList** — ECP_LIST allocated at line 35 (simulated)');
    expect(v).toContain('a live list with 1 context inserted on all paths');
    expect(v).toContain('At the end of ContosoOpenSideFile: freed on all paths.');
  });
});

describe('signature help', () => {
  it.each(routineList.map((r) => [r.name] as const))('%s: signature and active parameter after commas', async (name) => {
    const r = routine(name)!;
    const uri = `file:///w/features/sig-${name}.c`;
    const args = r.params.slice(0, Math.max(0, r.params.length - 1)).map((p) => p.name.toLowerCase());
    const call = `${name}(${args.map((a) => `${a}, `).join('')}`;
    const text = `#include <fltKernel.h>\n\nVOID\nCaller(VOID)\n{\n    ${call}\n}\n`;
    await server.open(uri, text);
    const request = async (delta: number) =>
      (await server.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri }, position: position(text, call, delta) })) as SignatureHelp | null;
    const first = await request(name.length + 1);
    expect(first?.signatures[0].label).toContain(`${name}(`);
    expect(first?.activeParameter).toBe(0);
    expect(first?.signatures[0].parameters).toHaveLength(r.params.length);
    const last = await request(call.length);
    expect(last?.activeParameter).toBe(args.length);
  });
});

async function complete(uri: string, text: string, needle: string, delta: number, trigger?: string): Promise<CompletionItem[]> {
  const context = trigger ? { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: trigger } : { triggerKind: CompletionTriggerKind.Invoked };
  const list = (await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: position(text, needle, delta), context })) as CompletionList;
  expect(list.isIncomplete).toBe(false);
  return list.items;
}

describe('completion', () => {
  it('offers exactly the ECP allocation flags in the Flags argument of FltAllocateExtraCreateParameter', async () => {
    const items = await complete(URI, FIXTURE, 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', 'FSRTL_'.length);
    expect(items.map((i) => i.label).sort()).toEqual(['0', 'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA', 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL']);
  });

  it('offers system GUIDs and the GUIDs the file defines in EcpType', async () => {
    const labels = (await complete(URI, FIXTURE, '&GUID_ECP_CONTOSO_SIDE', 1, '&')).map((i) => i.label);
    expect(labels).toContain('&GUID_ECP_CONTOSO_SIDE');
    expect(labels).toContain('&GUID_ECP_CONTOSO_AUDIT');
    expect(labels).toContain('&GUID_ECP_NETWORK_OPEN_CONTEXT');
  });

  it('offers snippets with the names in scope at statement start, following the Cleanup label, and they analyse clean', async () => {
    const uri = 'file:///w/features/snippet-host.c';
    const text = `#include <fltKernel.h>

PFLT_FILTER gFilterHandle;

DEFINE_GUID(GUID_ECP_CONTOSO_SIDE,
    0x4f1f2a9e, 0x3c1b, 0x4d6a, 0x9b, 0x2e, 0x51, 0x7c, 0x0e, 0x3a, 0x66, 0x10);

typedef struct _CONTOSO_ECP_CONTEXT {
    ULONG Flags;
} CONTOSO_ECP_CONTEXT;

NTSTATUS
ContosoOpen(
    _In_ PFLT_INSTANCE SideInstance,
    _In_ POBJECT_ATTRIBUTES SideAttributes
    )
{
    NTSTATUS status = STATUS_SUCCESS;

    ecp

Cleanup:
    return status;
}
`;
    await server.open(uri, text);
    const items = await complete(uri, text, '    ecp\n', 7);
    const attach = items.find((i) => i.filterText === 'ecp-attach-flt')!;
    expect(attach.label).toBe('ecp-attach-flt (uses gFilterHandle, SideInstance, SideAttributes)');
    const body = (attach.textEdit as { newText: string }).newText;
    expect(body).toContain('${1:gFilterHandle}');
    expect(body).toContain('${8:SideInstance}');
    expect(body).toContain('goto Cleanup;');
    const snippets = items.filter((i) => i.insertTextFormat === 2);
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    for (const item of snippets) {
      const applied = applyItem(text, item);
      const parsed = parseText(applied);
      const problems = [...syntaxErrors(parsed.tree).map((n) => `syntax ${n.startPosition.row + 1}`), ...analyzeParsed(parsed, applied).findings.map((f) => `${f.code}@${f.range.start.line + 1}`)];
      parsed.tree.delete();
      expect({ item: item.label, problems }).toEqual({ item: item.label, problems: [] });
    }
  });

  it('does not offer snippets inside an expression', async () => {
    const items = await complete(URI, FIXTURE, 'RtlZeroMemory(ecpContext', 'RtlZeroMemory(ecp'.length);
    expect(items.some((i) => i.insertTextFormat === 2)).toBe(false);
  });

  it('answers from the current version after an edit', async () => {
    const uri = 'file:///w/features/edited.c';
    await server.open(uri, 'int x;\n');
    const text = 'VOID F(VOID)\n{\n    FltAcknowledgeEcp(gFilterHandle, e);\n}\n';
    const published = server.diagnostics(uri, (p) => p.version === 2);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    await published;
    const h = (await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: position(text, 'FltAcknowledgeEcp', 3) })) as Hover | null;
    expect((h?.contents as MarkupContent).value).toContain('FltAcknowledgeEcp');
  });

  it('answers structurally malformed params with InvalidParams, unknown documents with nothing, and keeps serving', async () => {
    const bad = { textDocument: { uri: 'file:///nowhere.c' }, position: { line: -5, character: 'x' } };
    for (const type of [HoverRequest.type, SignatureHelpRequest.type, CompletionRequest.type]) {
      await expect(server.connection.sendRequest(type as never, bad as never)).rejects.toMatchObject({ code: -32602 });
    }
    const unknown = { textDocument: { uri: 'file:///nowhere.c' }, position: { line: 0, character: 0 } };
    expect(await server.connection.sendRequest(HoverRequest.type, unknown)).toBeNull();
    expect(await server.connection.sendRequest(SignatureHelpRequest.type, unknown)).toBeNull();
    expect(((await server.connection.sendRequest(CompletionRequest.type, unknown)) as CompletionList).items).toEqual([]);
    const past = { textDocument: { uri: URI }, position: { line: 100_000, character: 3 } };
    expect(await server.connection.sendRequest(HoverRequest.type, past)).toBeNull();
    expect(await hoverAt('FltAllocateExtraCreateParameter(', 5)).toContain('FltAllocateExtraCreateParameter');
  });
});

/** The text after accepting a completion item with its defaults (the editor's indentation rule). */
function applyItem(text: string, item: CompletionItem): string {
  const lines = text.split('\n');
  const toOffset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const main = item.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
  const indent = /^[ \t]*/.exec(lines[main.range.start.line])![0];
  const expanded = expandSnippet(main.newText).replace(/^\t+/gm, (t) => '    '.repeat(t.length)).replace(/\n(?=[^\n])/g, `\n${indent}`);
  const edits = [{ start: toOffset(main.range.start), end: toOffset(main.range.end), text: expanded }, ...(item.additionalTextEdits ?? []).map((e) => ({ start: toOffset(e.range.start), end: toOffset(e.range.end), text: e.newText }))];
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
