/**
 * Head-of-line blocking and cancellation over real JSON-RPC: simulations run in slices, so hover
 * is answered ahead of queued simulations, `$/cancelRequest` stops one (RequestCancelled), even a
 * fault injection run already under way (it ends before an equal run beside it), and an edit of
 * the document stops one that reads its old tree (ContentModified).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CancellationTokenSource, DidChangeTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { startServer, type TestServer } from './harness';
import { SimulateRequest, type Trace } from '../../server/src/protocol';
import { manyAllocations } from './heavy';

const URI = 'file:///w/heavy.c';
// Every fault path runs to the end of the function: each simulation is long on any machine.
const TEXT = manyAllocations('Heavy', 60, true);
const SYSTEMATIC = { textDocument: { uri: URI }, function: 'Heavy', faults: { systematic: true } };
const ALLOC_LINE = TEXT.split('\n').findIndex((l) => l.includes('FltAllocateExtraCreateParameterList'));

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
  await server.open(URI, TEXT);
});

afterAll(async () => {
  await server?.stop();
});

describe('scheduling of long requests', () => {
  it('answers a hover sent after five heavy simulations before any of them', async () => {
    const order: string[] = [];
    // Distinct params, so no simulation is answered from the per-version cache.
    const sims = [1, 2, 3, 4, 5].map((n) =>
      server.connection.sendRequest<Trace>(SimulateRequest, { ...SYSTEMATIC, faults: { systematic: true, failAllocations: [n] } }).then((t) => {
        order.push(`simulate${n}`);
        return t;
      }));
    const hover = server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: ALLOC_LINE, character: 16 } }).then((h) => {
      order.push('hover');
      return h;
    });
    const [traces, answer] = await Promise.all([Promise.all(sims), hover]);
    expect(JSON.stringify(answer?.contents)).toContain('FltAllocateExtraCreateParameterList');
    expect(traces.map((t) => t.explored?.length)).toEqual([60, 60, 60, 60, 60]);
    expect(order[0]).toBe('hover');
  });

  it('answers a cancelled simulation with RequestCancelled and keeps serving', async () => {
    const source = new CancellationTokenSource();
    const cancelled = server.connection.sendRequest<Trace>(SimulateRequest, { ...SYSTEMATIC, faults: { systematic: true, failAllocations: [6] } }, source.token);
    source.cancel();
    await expect(cancelled).rejects.toMatchObject({ code: -32800 });
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri: URI }, function: 'Heavy' });
    expect(trace.final.leaks).toEqual([]);
  });

  it('stops a running fault injection run when cancelled, before an equal run beside it ends', async () => {
    const order: string[] = [];
    const source = new CancellationTokenSource();
    const cancelled = server.connection.sendRequest<Trace>(SimulateRequest, { ...SYSTEMATIC, faults: { systematic: true, failAllocations: [7] } }, source.token).then(
      () => order.push('cancelled run answered'),
      (err: { code?: number }) => order.push(`cancelled run error ${err.code}`),
    );
    const beside = server.connection.sendRequest<Trace>(SimulateRequest, { ...SYSTEMATIC, faults: { systematic: true, failAllocations: [8] } }).then((t) => {
      order.push('other run answered');
      return t;
    });
    // The hover's answer shows both runs have started and are pausing; only then the cancel.
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: ALLOC_LINE, character: 16 } });
    source.cancel();
    await cancelled;
    const trace = await beside;
    expect(order).toEqual(['cancelled run error -32800', 'other run answered']);
    expect(trace.explored).toHaveLength(60);
  });

  it('answers ContentModified when the document changes during a simulation', async () => {
    const uri = 'file:///w/heavy-edited.c';
    await server.open(uri, TEXT);
    const running = server.connection.sendRequest<Trace>(SimulateRequest, { ...SYSTEMATIC, textDocument: { uri } });
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '/* edited */\n' }],
    });
    await expect(running).rejects.toMatchObject({ code: -32801 });
    const again = await server.connection.sendRequest<Trace>(SimulateRequest, { ...SYSTEMATIC, textDocument: { uri } });
    expect(again.explored).toHaveLength(60);
    expect(again.range.start.line).toBe(1);
  });
});
