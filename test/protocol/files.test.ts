/**
 * How the server reads the workspace from disk: only regular files inside the workspace folders
 * (a link to /dev/zero or a FIFO must never be opened), and an index that stopped at its file cap
 * never backs a "deleted nowhere in the workspace" finding.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  LogMessageNotification,
  FileChangeType,
  HoverRequest,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { startServer, type StartOptions, type TestServer } from './harness';

type Status = Parameters<NonNullable<StartOptions['onStatus']>>[0];

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const INIT = [
  'NPAGED_LOOKASIDE_LIST g_lookaside;',
  'VOID Setup(VOID)',
  '{',
  '    FsRtlInitExtraCreateParameterLookasideList(&g_lookaside, 0, 64, \'pcEx\');',
  '}',
  '',
].join('\n');

const DELETE = [
  'extern NPAGED_LOOKASIDE_LIST g_lookaside;',
  'VOID Teardown(VOID)',
  '{',
  '    FsRtlDeleteExtraCreateParameterLookasideList(&g_lookaside, 0);',
  '}',
  '',
].join('\n');

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-files-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Starts a server on `dir` and resolves once indexing has finished, with the ready status. */
async function startIndexed(dir: string, env: Record<string, string> = {}): Promise<Status> {
  let ready: (s: Status) => void = () => {};
  const readyStatus = new Promise<Status>((resolve) => (ready = resolve));
  server = await startServer({ diagnosticsDelay: 0 }, {
    workspaceFolders: [pathToFileURL(dir).toString()],
    env,
    onStatus: (s) => s.state === 'ready' && ready(s),
  });
  return readyStatus;
}

function residentMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe('reading the workspace from disk', () => {
  it('never opens a link to /dev/zero or a FIFO: on index, close and watched-file events', async () => {
    const dir = workspace({ 'good.c': INIT });
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.c'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.c')]);
    const status = await startIndexed(dir);
    expect(status.indexed).toBe(1);
    // Neither is a source: the program is whole (a link to a device once left it incomplete).
    expect(status.incomplete).toBeUndefined();
    const s = server!;
    const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).toString();
    // Closing an editor re-reads the file from disk; so does a watched-file event.
    await s.open(uriOf('zero.c'), 'int z;\n');
    await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf('zero.c') } });
    await s.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [
        { uri: uriOf('zero.c'), type: FileChangeType.Changed },
        { uri: uriOf('pipe.c'), type: FileChangeType.Created },
      ],
    });
    const goodUri = uriOf('good.c');
    await s.open(goodUri, INIT);
    const hover = (await s.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: goodUri },
      position: { line: 3, character: 10 },
    })) as Hover | null;
    expect(JSON.stringify(hover?.contents)).toContain('FsRtlInitExtraCreateParameterLookasideList');
    // Reading /dev/zero grew the server by gigabytes; a bounded server stays far below this.
    expect(residentMiB(s.process.pid!)).toBeLessThan(400);
    expect(s.stderr()).toBe('');
  });

  it('names an included header that is a FIFO or a device in the log, once, and analyses the file', async () => {
    const text = `#include "pipe.h"\n#include "zero.h"\n${INIT}`;
    const dir = workspace({ 'a.c': text });
    execFileSync('mkfifo', [path.join(dir, 'pipe.h')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.h'));
    await startIndexed(dir);
    const logs: string[] = [];
    server!.connection.onNotification(LogMessageNotification.type, (p) => {
      logs.push(p.message);
    });
    const uri = pathToFileURL(path.join(dir, 'a.c')).toString();
    await server!.open(uri, text);
    // An edit analyses again: the header is not named a second time.
    await server!.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: `${text}\n` }] });
    await server!.diagnostics(uri);
    const unread = logs.filter((l) => l.includes('not read'));
    expect(unread).toEqual([
      `${uri}: header ${path.join(dir, 'pipe.h')} not read: a FIFO (named pipe), not a regular file; what it defines is not known to the analysis`,
      `${uri}: header ${path.join(dir, 'zero.h')} not read: a device, not a regular file; what it defines is not known to the analysis`,
    ]);
    expect(server!.stderr()).toBe('');
  });

  it('does not read a linked file outside the workspace, and then holds back cross-file findings', async () => {
    const outside = workspace({ 'teardown.c': DELETE });
    const dir = workspace({ 'setup.c': INIT });
    fs.symlinkSync(path.join(outside, 'teardown.c'), path.join(dir, 'teardown.c'));
    const status = await startIndexed(dir);
    expect(status.indexed).toBe(1);
    expect(status.message).toBe('ECP Lens is ready (1 file indexed; index incomplete)');
    expect(status.incomplete).toContain('outside the workspace');
    const uri = pathToFileURL(path.join(dir, 'setup.c')).toString();
    const { diagnostics } = await server!.open(uri, INIT);
    expect(diagnostics.map((d) => d.code)).not.toContain('ecp-lookaside-not-deleted');
  });

  it('follows a link to a file inside the workspace', async () => {
    const dir = workspace({ 'setup.c': INIT, 'real-teardown.txt': DELETE });
    fs.mkdirSync(path.join(dir, 'src'));
    fs.symlinkSync(path.join(dir, 'real-teardown.txt'), path.join(dir, 'src', 'teardown.c'));
    const status = await startIndexed(dir);
    expect(status).toMatchObject({ indexed: 2 });
    expect(status.incomplete).toBeUndefined();
    const uri = pathToFileURL(path.join(dir, 'setup.c')).toString();
    const { diagnostics } = await server!.open(uri, INIT);
    expect(diagnostics.map((d) => d.code)).toEqual([]);
  });
});

describe('the index file cap', () => {
  it('past the cap the index says it is incomplete and reports no lookaside as never deleted', async () => {
    const dir = workspace({ 'a.c': 'int a;\n', 'b.c': 'int b;\n', 'setup.c': INIT, 'teardown.c': DELETE });
    const status = await startIndexed(dir, { ECP_LENS_INDEX_MAX_FILES: '2' });
    expect(status.indexed).toBe(2);
    expect(status.message).toContain('index incomplete');
    expect(status.incomplete).toContain('more than 2 C/C++ files');
    const uri = pathToFileURL(path.join(dir, 'setup.c')).toString();
    const { diagnostics } = await server!.open(uri, INIT);
    expect(diagnostics.map((d) => d.code)).not.toContain('ecp-lookaside-not-deleted');
  });

  it('under the cap the same workspace is complete and the delete in another file counts', async () => {
    const dir = workspace({ 'a.c': 'int a;\n', 'setup.c': INIT });
    const status = await startIndexed(dir, { ECP_LENS_INDEX_MAX_FILES: '2' });
    expect(status.incomplete).toBeUndefined();
    const uri = pathToFileURL(path.join(dir, 'setup.c')).toString();
    const { diagnostics } = await server!.open(uri, INIT);
    expect(diagnostics.map((d) => d.code)).toContain('ecp-lookaside-not-deleted');
  });
});
