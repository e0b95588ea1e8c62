/**
 * A header open in the editor is read from its buffer, not from disk, by the analysis of the
 * files that include it; editing it re-analyses and re-publishes them, and closing it unsaved
 * goes back to the disk's text.
 */
import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidCloseTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { startIndexed, type TestServer } from './harness';
import { notesHeader, notesUser, leaks, NOTES_KEEPS } from './notesProject';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const HEADER = notesHeader();
const OPEN = notesUser();

describe('an open header with unsaved edits', () => {
  it('is what the files including it are analysed with, and they are re-published when it changes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-open-header-'));
    fs.writeFileSync(path.join(dir, 'notes.h'), HEADER);
    fs.writeFileSync(path.join(dir, 'open.c'), OPEN);
    server = await startIndexed({ diagnosticsDelay: 0 }, [dir]);
    const uri = pathToFileURL(path.join(dir, 'open.c')).toString();
    const headerUri = pathToFileURL(path.join(dir, 'notes.h')).toString();
    expect(leaks(await server.open(uri, OPEN))).toBe(0);
    await server.open(headerUri, HEADER);
    // The macro no longer frees, in the buffer only: the caller's list leaks.
    const line = 2;
    const leaked = server.diagnostics(uri, (p) => leaks(p) === 1);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: headerUri, version: 2 },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: HEADER.split('\n')[line].length } }, text: NOTES_KEEPS }],
    });
    expect(leaks(await leaked)).toBe(1);
    // Closed without saving: the disk's macro frees again.
    const freed = server.diagnostics(uri, (p) => leaks(p) === 0);
    await server.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: headerUri } });
    expect(leaks(await freed)).toBe(0);
  });
});
