/**
 * ecpLens/simulate and the "Simulate pool" code lenses over real JSON-RPC (node dist/server.js
 * --stdio): the request answers with the same trace as `ecp-lens simulate --format json`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';
import { SimulateRequest, type Trace } from '../../server/src/protocol';

const FILE = path.join(ROOT, 'test/fixtures/simulate/seven-step.c');
const TEXT = fs.readFileSync(FILE, 'utf8');
const URI = 'file:///w/seven-step.c';

function cliTrace(args: string[]): Trace {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'simulate', FILE, '--format', 'json', ...args], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as Trace;
}

function withoutUri(t: Trace): Omit<Trace, 'uri'> {
  const { uri, ...rest } = t;
  void uri;
  return rest;
}

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
  await server.open(URI, TEXT);
});

afterAll(async () => {
  await server?.stop();
});

describe('ecpLens/simulate over stdio', () => {
  it('returns the same trace as simulate --format json (uri aside)', async () => {
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri: URI }, function: 'AttachForgetsFree' });
    expect(trace.uri).toBe(URI);
    expect(withoutUri(trace)).toEqual(withoutUri(cliTrace(['--function', 'AttachForgetsFree'])));
    expect(trace.final.leaks).toHaveLength(2);
  });

  it('with a fault plan, the same as --fail-alloc', async () => {
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, {
      textDocument: { uri: URI }, function: 'AttachLeaksOnError', path: { kind: 'faults' }, faults: { failAllocations: [2], failTags: [] },
    });
    expect(withoutUri(trace)).toEqual(withoutUri(cliTrace(['--function', 'AttachLeaksOnError', '--fail-alloc', '2'])));
  });

  it('a pool tag fails its allocation typed either way round, and the trace says which allocation it matched', async () => {
    for (const tag of ['kcrT', 'Trck']) {
      const trace = await server.connection.sendRequest<Trace>(SimulateRequest, {
        textDocument: { uri: URI }, function: 'AttachLeaksOnError', path: { kind: 'faults' }, faults: { failAllocations: [], failTags: [tag] },
      });
      expect(trace.faultMatches?.map((m) => [m.allocation, m.line, m.tag]), tag).toEqual([[2, 112, 'Trck']]);
      expect(trace.steps[1].status, tag).toBe('STATUS_INSUFFICIENT_RESOURCES');
    }
  });

  it('a fault plan past the path\'s allocations is an error that gives the count, never a clean trace', async () => {
    await expect(server.connection.sendRequest(SimulateRequest, {
      textDocument: { uri: URI }, function: 'AttachLeaksOnError', path: { kind: 'faults' }, faults: { failAllocations: [99], failTags: [] },
    })).rejects.toThrow(/allocation #99 is never attempted: on this path AttachLeaksOnError makes 2 allocation attempts/);
    await expect(server.connection.sendRequest(SimulateRequest, {
      textDocument: { uri: URI }, function: 'AttachLeaksOnError', path: { kind: 'faults' }, faults: { failAllocations: [1, 1, 1], failTags: [] },
    })).rejects.toMatchObject({ code: -32602 });
  });

  it('picks the function at a position and lists explored paths in systematic mode', async () => {
    const line = TEXT.split('\n').findIndex((l) => l.includes('AttachLeaksOnError(')) + 3;
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, {
      textDocument: { uri: URI }, position: { line, character: 4 }, faults: { systematic: true },
    });
    expect(trace.function).toBe('AttachLeaksOnError');
    expect(trace.explored?.map((e) => e.leaks)).toEqual([0, 1]);
  });

  it('answers bad params with an error and keeps serving', async () => {
    const bad = [
      { textDocument: {} },
      { textDocument: { uri: URI }, faults: { failAllocations: ['x'] } },
      { textDocument: { uri: URI }, path: { kind: 'nope' } },
      { textDocument: { uri: 'file:///w/not-open.c' } },
      { textDocument: { uri: URI }, function: 'Missing' },
      'garbage',
    ];
    for (const params of bad) {
      await expect(server.connection.sendRequest(SimulateRequest, params)).rejects.toMatchObject({ code: -32602 });
    }
    await expect(server.connection.sendRequest(SimulateRequest, { textDocument: { uri: URI }, function: 'Missing' })).rejects.toThrow(/AttachClean \(line 22\)/);
    const ok = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri: URI }, function: 'AttachClean' });
    expect(ok.final.verdict).toMatch(/^No leak/);
    expect(server.process.exitCode).toBeNull();
  });

  it('simulates the current version after an edit', async () => {
    const uri = 'file:///w/edited.c';
    await server.open(uri, TEXT, 'c', 1);
    const before = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, function: 'AttachForgetsFree' });
    expect(before.final.leaks).toHaveLength(2);
    const lines = TEXT.split('\n');
    const at = lines.findIndex((l, i) => i > lines.findIndex((x) => x.includes('AttachForgetsFree(')) && /^\s+return status;\s*$/.test(l) && lines[i + 1] === '}');
    const published = server.diagnostics(uri, (p) => p.version === 2);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, text: '    FltFreeExtraCreateParameterList(Filter, ecpList);\n' }],
    });
    await published;
    const after = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, function: 'AttachForgetsFree' });
    expect(after.final.leaks).toEqual([]);
    expect(after.steps.at(-1)?.routine).toBe('FltFreeExtraCreateParameterList');
  });

  it('offers a "Simulate pool" code lens above each function that calls ECP routines', async () => {
    expect(server.initializeResult.capabilities.codeLensProvider).toBeTruthy();
    const lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } });
    expect(lenses?.map((l) => [l.range.start.line + 1, l.command?.title, l.command?.command, l.command?.arguments])).toEqual([
      [22, '▶ Simulate pool (simulated)', 'ecpLens.openPoolSimulator', [URI, 'AttachClean', { line: 21, character: 9 }]],
      [62, '▶ Simulate pool (simulated)', 'ecpLens.openPoolSimulator', [URI, 'AttachForgetsFree', { line: 61, character: 9 }]],
      [99, '▶ Simulate pool (simulated)', 'ecpLens.openPoolSimulator', [URI, 'AttachLeaksOnError', { line: 98, character: 9 }]],
    ]);
  });
});

describe('code lens setting', () => {
  it('shows no lens when ecpLens.codeLens is false', async () => {
    const off = await startServer({ diagnosticsDelay: 0, codeLens: false });
    try {
      await off.open(URI, TEXT);
      expect(await off.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } })).toEqual([]);
    } finally {
      await off.stop();
    }
  });
});
