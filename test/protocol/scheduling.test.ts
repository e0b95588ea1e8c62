/**
 * Head-of-line blocking and cancellation over real JSON-RPC: simulations run in slices, so hover
 * is answered ahead of queued simulations, `$/cancelRequest` stops one (RequestCancelled), even a
 * fault injection run already under way (it ends before an equal run beside it), and an edit of
 * the document stops one that reads its old tree (ContentModified). The setup of a simulation
 * pauses too, and so does the analysis inside one large function: the order of the answers shows
 * it (no wall-clock figure is asserted).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { CancellationTokenSource, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, HoverRequest } from 'vscode-languageserver-protocol/node';
import { startServer, type TestServer } from './harness';
import { SimulateRequest, type Trace } from '../../server/src/protocol';
import { manyAllocations, setupHeavy } from './heavy';

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

describe('work that used to run without a pause', () => {
  it('answers a hover sent behind a simulation whose work is its setup first, and a cancel then stops the simulation', async () => {
    const uri = 'file:///w/setup-heavy.c';
    // 6,000 ECP calls the setup reads; the simulated function itself runs a handful of statements.
    await server.open(uri, setupHeavy(200, 30));
    const order: string[] = [];
    const source = new CancellationTokenSource();
    const simulation = server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, function: 'Small' }, source.token).then(
      () => order.push('simulation answered'),
      (err: { code?: number }) => order.push(`simulation error ${err.code}`),
    );
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 30 } });
    order.push('hover');
    source.cancel();
    await simulation;
    expect(order).toEqual(['hover', 'simulation error -32800']);
    // Not cancelled, the same simulation runs to its trace.
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, function: 'Small' });
    expect(trace.final.leaks).toEqual([]);
  });

  it("answers a simulation sent after a document with one large function is opened before that document's diagnostics", async () => {
    const light = 'file:///w/light.c';
    await server.open(light, manyAllocations('Light', 30, true));
    const large = 'file:///w/one-large-function.c';
    const order: string[] = [];
    const published = server.diagnostics(large).then((p) => {
      order.push('diagnostics of the large function');
      return p;
    });
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: large, languageId: 'c', version: 1, text: manyAllocations('Large', 400, true) } });
    // Fault injection over 30 sites: a few dozen slices; the analysis of 400 sites, hundreds.
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri: light }, function: 'Light', faults: { systematic: true } });
    order.push('simulation');
    await published;
    expect(trace.explored).toHaveLength(30);
    expect(order).toEqual(['simulation', 'diagnostics of the large function']);
  });
});
