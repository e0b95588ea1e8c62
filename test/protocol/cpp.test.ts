/**
 * A C++ document over LSP: the server loads the C++ grammar when the first C++ file opens and
 * every feature (diagnostics, hover, signature help, completion, code lens, simulate) works in it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, CompletionRequest, HoverRequest, SignatureHelpRequest, type CompletionItem, type CompletionList, type Hover, type MarkupContent, type SignatureHelp } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';
import { SimulateRequest, type Trace } from '../../server/src/protocol';

const FIXTURE = path.join(ROOT, 'test/fixtures/rules/ecp-list-leak-pos-cpp-member-function.cpp');
const TEXT = fs.readFileSync(FIXTURE, 'utf8');
const URI = 'file:///w/cpp/builder.cpp';
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
});

afterAll(async () => {
  await server?.stop();
});

function position(needle: string, delta = 0) {
  const at = TEXT.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in text`);
  const before = TEXT.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - (before.lastIndexOf('\n') + 1) };
}

describe('a .cpp document', () => {
  it('is checked with the C++ grammar: the member function in a namespace has its leak and nothing else', async () => {
    const { diagnostics } = await server.open(URI, TEXT, 'cpp');
    expect(diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`)).toEqual(['ecp-list-leak@17']);
  });

  it('a .h document the client calls cpp is parsed as C++ too', async () => {
    const { diagnostics } = await server.open('file:///w/cpp/builder.h', TEXT, 'cpp');
    expect(diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`)).toEqual(['ecp-list-leak@17']);
  });

  it('answers hover and signature help on a global-scope call', async () => {
    const hover = (await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: position('FltAllocateExtraCreateParameterList', 5) })) as Hover | null;
    expect((hover?.contents as MarkupContent).value).toContain('FltAllocateExtraCreateParameterList');
    const help = (await server.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri: URI }, position: position('contoso::Filter, 0', 'contoso::Filter, '.length) })) as SignatureHelp | null;
    expect(help?.signatures[0].label).toContain('FltAllocateExtraCreateParameterList');
    expect(help?.activeParameter).toBe(1);
  });

  it('completes the flags argument', async () => {
    const result = (await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: position('contoso::Filter, 0', 'contoso::Filter, 0'.length) })) as CompletionList | CompletionItem[] | null;
    const items = Array.isArray(result) ? result : result?.items ?? [];
    expect(items.map((i) => i.label).sort()).toEqual(['0', 'FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA']);
  });

  it('shows the code lens above the member function and simulates it', async () => {
    const lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } });
    expect(lenses?.map((l) => [l.range.start.line + 1, l.command?.arguments?.[1]])).toEqual([[14, 'EcpBuilder::Attach']]);
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri: URI }, function: 'EcpBuilder::Attach' });
    expect(trace.function).toBe('EcpBuilder::Attach');
    expect(trace.steps.map((s) => s.routine)).toContain('FltAllocateExtraCreateParameterList');
  });
});
