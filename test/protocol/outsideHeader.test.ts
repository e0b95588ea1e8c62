/**
 * A header found through the build's include folders outside the workspace is watched: changed
 * on disk, it re-checks the open files that read it. Through the client's watcher registration
 * for its folder when the client offers one, else through the server's own watch of the folder.
 */
import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { startIndexed, type TestServer } from './harness';
import { notesHeader, notesUser, leaks, NOTES_FREES, NOTES_KEEPS } from './notesProject';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const FREES = NOTES_FREES;
const KEEPS = NOTES_KEEPS;
const header = notesHeader;
const OPEN = notesUser('<notes.h>');

/** A workspace folder whose compile database names an include folder beside it (outside the workspace). */
function project(): { workspace: string; headerPath: string; uri: string } {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-outside-header-'));
  const workspace = path.join(top, 'driver');
  const include = path.join(top, 'shared-inc');
  fs.mkdirSync(workspace);
  fs.mkdirSync(include);
  fs.writeFileSync(path.join(include, 'notes.h'), header(FREES));
  fs.writeFileSync(path.join(workspace, 'open.c'), OPEN);
  fs.writeFileSync(path.join(workspace, 'compile_commands.json'), JSON.stringify([{ directory: workspace, file: 'open.c', arguments: ['cl.exe', '/kernel', `/I${include}`, '/c', 'open.c'] }]));
  return { workspace, headerPath: path.join(include, 'notes.h'), uri: pathToFileURL(path.join(workspace, 'open.c')).toString() };
}

function startIn(workspace: string, watchRegistration: boolean): Promise<TestServer> {
  return startIndexed({ diagnosticsDelay: 0 }, [workspace], { watchRegistration });
}

describe('a header outside the workspace, changed on disk', () => {
  it('is watched through the client (a watcher for its folder), and its change re-publishes the file that includes it', async () => {
    const { workspace, headerPath, uri } = project();
    server = await startIn(workspace, true);
    const folderUri = pathToFileURL(path.dirname(headerPath)).toString();
    const registered = server.watcher((g) => typeof g === 'object' && g !== null && (g as { baseUri?: string }).baseUri === folderUri);
    expect(leaks(await server.open(uri, OPEN))).toBe(0);
    expect(await registered).toEqual({ baseUri: folderUri, pattern: '*' });
    // The header's macro no longer frees: the list leaks.
    const leaked = server.diagnostics(uri, (p) => leaks(p) === 1);
    fs.writeFileSync(headerPath, header(KEEPS));
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(headerPath).toString(), type: FileChangeType.Changed }] });
    expect(leaks(await leaked)).toBe(1);
  });

  it('is watched by the server itself when the client registers no watchers', async () => {
    const { workspace, headerPath, uri } = project();
    server = await startIn(workspace, false);
    expect(leaks(await server.open(uri, OPEN))).toBe(0);
    const leaked = server.diagnostics(uri, (p) => leaks(p) === 1);
    fs.writeFileSync(headerPath, header(KEEPS));
    expect(leaks(await leaked)).toBe(1);
    // And back.
    const freed = server.diagnostics(uri, (p) => leaks(p) === 0);
    fs.writeFileSync(headerPath, header(FREES));
    expect(leaks(await freed)).toBe(0);
  });

  it('inside the workspace too: a header with only macros re-publishes its includers when the client says it changed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-inside-header-'));
    const headerPath = path.join(dir, 'notes.h');
    fs.writeFileSync(headerPath, header(FREES));
    fs.writeFileSync(path.join(dir, 'open.c'), OPEN.replace('<notes.h>', '"notes.h"'));
    const uri = pathToFileURL(path.join(dir, 'open.c')).toString();
    server = await startIn(dir, true);
    expect(leaks(await server.open(uri, OPEN.replace('<notes.h>', '"notes.h"')))).toBe(0);
    const leaked = server.diagnostics(uri, (p) => leaks(p) === 1);
    fs.writeFileSync(headerPath, header(KEEPS));
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(headerPath).toString(), type: FileChangeType.Changed }] });
    expect(leaks(await leaked)).toBe(1);
  });

  it("a wrapper's own header counts as read by its callers: changed on disk, the caller is re-published", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-wrapper-header-'));
    const headerPath = path.join(dir, 'wrap.h');
    const wrapHeader = (body: string) => `#pragma once\n#include <fltKernel.h>\n#define WRAP_RELEASE(f, l) ${body}\n`;
    fs.writeFileSync(headerPath, wrapHeader('FltFreeExtraCreateParameterList((f), (l))'));
    fs.writeFileSync(path.join(dir, 'wrap.c'), '#include "wrap.h"\n\nVOID\nWrapDrop(_In_ PFLT_FILTER Filter, _In_ PECP_LIST List)\n{\n    WRAP_RELEASE(Filter, List);\n}\n');
    const caller = OPEN.replace('#include <notes.h>', '#include <fltKernel.h>\nVOID WrapDrop(_In_ PFLT_FILTER Filter, _In_ PECP_LIST List);').replace('NOTES_RELEASE(Filter, list)', 'WrapDrop(Filter, list)');
    fs.writeFileSync(path.join(dir, 'open.c'), caller);
    const uri = pathToFileURL(path.join(dir, 'open.c')).toString();
    server = await startIn(dir, true);
    expect(leaks(await server.open(uri, caller))).toBe(0);
    // A second analysis finds the wrapper's model built already: it still counts the header read.
    const edited = `${caller}\n// edited\n`;
    const republished = server.diagnostics(uri);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    expect(leaks(await republished)).toBe(0);
    const leaked = server.diagnostics(uri, (p) => leaks(p) === 1);
    fs.writeFileSync(headerPath, wrapHeader('UNREFERENCED_PARAMETER(l)'));
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(headerPath).toString(), type: FileChangeType.Changed }] });
    expect(leaks(await leaked)).toBe(1);
  });
});
