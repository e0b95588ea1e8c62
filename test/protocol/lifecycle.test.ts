import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import { startServer, type TestServer } from './harness';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
});

afterAll(async () => {
  await server?.stop();
});

describe('server lifecycle over stdio', () => {
  it('initializes with its name, version and incremental sync', () => {
    const r = server.initializeResult;
    expect(r.serverInfo?.name).toBe('ecp-lens');
    expect(r.serverInfo?.version).toMatch(/^\d+\.\d+\.\d+$/);
    const sync = r.capabilities.textDocumentSync as { change: number; openClose: boolean };
    expect(sync.change).toBe(TextDocumentSyncKind.Incremental);
    expect(sync.openClose).toBe(true);
  });

  it('publishes diagnostics for an opened document, for its version', async () => {
    const uri = 'file:///w/open.c';
    const published = await server.open(uri, 'NTSTATUS F(_In_ PVOID p) { return 0; }\n', 'c', 3);
    expect(published.uri).toBe(uri);
    expect(published.version).toBe(3);
    expect(Array.isArray(published.diagnostics)).toBe(true);
  });

  it('applies incremental changes and republishes for the new version', async () => {
    const uri = 'file:///w/change.c';
    await server.open(uri, 'int a;\n', 'c', 1);
    const next = server.diagnostics(uri, (p) => p.version === 2);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: 'renamed' }],
    });
    expect((await next).version).toBe(2);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = 'file:///w/close.c';
    await server.open(uri, 'int a;\n');
    const cleared = server.diagnostics(uri);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    expect((await cleared).diagnostics).toEqual([]);
  });

  it('answers a malformed request with an error and keeps serving', async () => {
    await expect(server.connection.sendRequest('textDocument/hover', { nonsense: true })).rejects.toBeTruthy();
    await expect(server.connection.sendRequest('ecpLens/noSuchRequest', {})).rejects.toMatchObject({ code: -32601 });
    const uri = 'file:///w/after-error.c';
    const published = await server.open(uri, 'void f(void) {}\n');
    expect(published.uri).toBe(uri);
    expect(server.process.exitCode).toBeNull();
  });
});
