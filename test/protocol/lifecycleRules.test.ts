/**
 * LSP's lifecycle over a real child process: requests before initialize get ServerNotInitialized,
 * requests after shutdown and a second initialize get InvalidRequest, a didOpen after shutdown is
 * not analysed; null params get InvalidParams.
 */
import { describe, it, expect } from 'vitest';
import { startRaw, INITIALIZE } from './raw';

const HOVER = (id: number, params: unknown = { textDocument: { uri: 'file:///w/a.c' }, position: { line: 0, character: 0 } }) =>
  ({ jsonrpc: '2.0', id, method: 'textDocument/hover', params });
const OPEN = (uri: string) => ({
  jsonrpc: '2.0', method: 'textDocument/didOpen',
  params: { textDocument: { uri, languageId: 'c', version: 1, text: 'void f(void) { FltAllocateExtraCreateParameterList(0, 0, 0); }\n' } },
});

async function initialized(server: ReturnType<typeof startRaw>): Promise<void> {
  server.send({ ...INITIALIZE, params: { ...INITIALIZE.params, initializationOptions: { settings: { diagnosticsDelay: 0 } } } });
  await server.next((m) => m.id === 1);
  server.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
}

describe('lifecycle rules', () => {
  it('answers requests before initialize with ServerNotInitialized and drops notifications', async () => {
    const server = startRaw();
    try {
      server.send(OPEN('file:///w/early.c'));
      server.send(HOVER(7));
      expect((await server.next((m) => m.id === 7)).error?.code).toBe(-32002);
      await initialized(server);
      // The early didOpen was dropped: the document is unknown, so hover answers null.
      server.send(HOVER(8, { textDocument: { uri: 'file:///w/early.c' }, position: { line: 0, character: 20 } }));
      expect(await server.next((m) => m.id === 8)).toMatchObject({ result: null });
      expect(server.received.some((m) => m.method === 'textDocument/publishDiagnostics')).toBe(false);
    } finally {
      server.kill();
    }
  });

  it('answers requests after shutdown with InvalidRequest, analyses no late didOpen, and exits 0 on exit', async () => {
    const server = startRaw();
    try {
      await initialized(server);
      server.send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
      expect(await server.next((m) => m.id === 2)).toMatchObject({ result: null });
      server.send(OPEN('file:///w/late.c'));
      server.send(HOVER(3, { textDocument: { uri: 'file:///w/late.c' }, position: { line: 0, character: 20 } }));
      expect((await server.next((m) => m.id === 3)).error?.code).toBe(-32600);
      server.send({ jsonrpc: '2.0', id: 4, method: 'shutdown' });
      expect((await server.next((m) => m.id === 4)).error?.code).toBe(-32600);
      server.send({ jsonrpc: '2.0', method: 'exit' });
      expect((await server.exited).code).toBe(0);
      expect(server.received.filter((m) => m.method === 'textDocument/publishDiagnostics')).toEqual([]);
    } finally {
      server.kill();
    }
  });

  it('answers a second initialize with InvalidRequest and goes on serving the first session', async () => {
    const server = startRaw();
    try {
      await initialized(server);
      server.send(OPEN('file:///w/kept.c'));
      server.send({ ...INITIALIZE, id: 5 });
      expect((await server.next((m) => m.id === 5)).error?.code).toBe(-32600);
      server.send(HOVER(6, { textDocument: { uri: 'file:///w/kept.c' }, position: { line: 0, character: 20 } }));
      expect(JSON.stringify((await server.next((m) => m.id === 6)).result)).toContain('FltAllocateExtraCreateParameterList');
    } finally {
      server.kill();
    }
  });

  it('answers null params with InvalidParams', async () => {
    const server = startRaw();
    try {
      await initialized(server);
      const methods = ['textDocument/hover', 'textDocument/completion', 'textDocument/signatureHelp', 'textDocument/codeAction', 'textDocument/codeLens', 'ecpLens/simulate'];
      methods.forEach((method, i) => server.send({ jsonrpc: '2.0', id: 10 + i, method, params: null }));
      for (let i = 0; i < methods.length; i++) expect((await server.next((m) => m.id === 10 + i)).error?.code).toBe(-32602);
    } finally {
      server.kill();
    }
  });
});
