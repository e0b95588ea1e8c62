/**
 * Indexing yields to requests: a hover sent while the server indexes a workspace is answered
 * before the index is complete (order, not time).
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { startServer } from './harness';
import { manyAllocations } from './heavy';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-lens-indexing-'));
for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(root, `f${i}.c`), manyAllocations(`F${i}`, 12));

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('indexing and requests', () => {
  it('answers a hover sent during indexing before the index completes', async () => {
    const order: string[] = [];
    let onReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(root).toString()] });
    try {
      server.connection.onNotification('ecpLens/status', (s: { state: string }) => {
        if (s.state !== 'ready') return;
        order.push('indexed');
        onReady();
      });
      const uri = pathToFileURL(path.join(root, 'f0.c')).toString();
      const text = fs.readFileSync(path.join(root, 'f0.c'), 'utf8');
      await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
      const line = text.split('\n').findIndex((l) => l.includes('FltAllocateExtraCreateParameterList'));
      const answer = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 16 } });
      order.push('hover');
      expect(JSON.stringify(answer?.contents)).toContain('FltAllocateExtraCreateParameterList');
      await ready;
      expect(order).toEqual(['hover', 'indexed']);
    } finally {
      await server.stop();
    }
  });
});
