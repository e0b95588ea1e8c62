/**
 * Functions not fully analysed, over real JSON-RPC: the ecpLens/coverage notification that feeds
 * the status item and its list, and the code lens on each such function.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, DidCloseTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';
import { CoverageNotification, SHOW_INCOMPLETE_COMMAND, type DocumentCoverage } from '../../server/src/protocol';

const MANY = fs.readFileSync(path.join(ROOT, 'test/fixtures/coverage/many-paths.c'), 'utf8');
const REGION = fs.readFileSync(path.join(ROOT, 'test/fixtures/coverage/unparsed-region.c'), 'utf8');

let server: TestServer;
const received: DocumentCoverage[] = [];

function nextCoverage(uri: string): Promise<DocumentCoverage> {
  return new Promise((resolve) => {
    const seen = received.length;
    const timer = setInterval(() => {
      const hit = received.slice(seen).find((c) => c.uri === uri);
      if (hit) {
        clearInterval(timer);
        resolve(hit);
      }
    }, 10);
  });
}

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0, maxPathsPerFunction: 16 });
  server.connection.onNotification(CoverageNotification, (c: DocumentCoverage) => {
    received.push(c);
  });
});

afterAll(async () => {
  await server.stop();
});

describe('ecpLens/coverage', () => {
  it('names each function cut by the path bound, with its line and reason', async () => {
    const uri = 'file:///w/many-paths.c';
    const coming = nextCoverage(uri);
    await server.open(uri, MANY);
    const coverage = await coming;
    expect(coverage.functions).toBe(2);
    expect(coverage.gaps).toEqual([{ function: 'FabrikamAddHints', line: 13, reason: 'path-bound', kind: 'incomplete', detail: 'stopped after more than 16 paths' }]);
    const lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    const gapLenses = lenses?.filter((l) => l.command?.command === SHOW_INCOMPLETE_COMMAND).map((l) => [l.range.start.line, l.command?.title]);
    expect(gapLenses).toEqual([[13, '⚠ analysis incomplete: path bound']]);
  });

  it('reports a function lost in a parse error as not analysed, and clears the entry on close', async () => {
    const uri = 'file:///w/unparsed-region.c';
    const coming = nextCoverage(uri);
    await server.open(uri, REGION);
    expect((await coming).gaps).toEqual([{ function: 'FabrikamRelease', line: 7, reason: 'parse-error', kind: 'notAnalysed', detail: expect.stringContaining('FltFreeExtraCreateParameterList') }]);
    const lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    expect(lenses?.map((l) => l.command?.title)).toContain('⚠ not analysed: parse error');
    const cleared = nextCoverage(uri);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    expect(await cleared).toEqual({ uri, functions: 0, gaps: [] });
  });
});
