/**
 * Driver lifecycle rules in the editor (real server over JSON-RPC): the callback file's
 * diagnostics follow the registration file, edited in another buffer.
 */
import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, projectCopy, type TestServer } from './harness';

const PROJECT = path.join(ROOT, 'test/fixtures/projects/c-lifecycle-minifilter');
let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('lifecycle rules follow the registration file', () => {
  it('editing the operation registration changes the diagnostics published for the callback file', async () => {
    const dir = projectCopy(PROJECT, 'ecp-lifecycle-');
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const callbacksUri = pathToFileURL(path.join(dir, 'callbacks.c')).toString();
    const registrationUri = pathToFileURL(path.join(dir, 'registration.c')).toString();
    const callbacks = fs.readFileSync(path.join(dir, 'callbacks.c'), 'utf8');
    const registration = fs.readFileSync(path.join(dir, 'registration.c'), 'utf8');
    const readLine = callbacks.split('\n').findIndex((l) => l.includes('status = FltGetEcpListFromCallbackData'));
    const onRead = (p: { diagnostics: { code?: string | number; range: { start: { line: number } } }[] }) =>
      p.diagnostics.some((d) => d.code === 'ecp-create-only-routine' && d.range.start.line === readLine);

    const reported = server.diagnostics(callbacksUri, onRead);
    await server.open(callbacksUri, callbacks);
    const d = (await reported).diagnostics.find((x) => x.code === 'ecp-create-only-routine' && x.range.start.line === readLine)!;
    const entryLine = registration.split('\n').findIndex((l) => l.includes('{ IRP_MJ_READ, 0, AuditPreRead, NULL }'));
    expect(d.relatedInformation?.[0].location.uri).toBe(registrationUri);
    expect(d.relatedInformation?.[0].location.range.start.line).toBe(entryLine);

    await server.open(registrationUri, registration);
    const cleared = server.diagnostics(callbacksUri, (p) => !onRead(p));
    const at = registration.split('\n')[entryLine].indexOf('IRP_MJ_READ');
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: registrationUri, version: 2 },
      contentChanges: [{ range: { start: { line: entryLine, character: at }, end: { line: entryLine, character: at + 'IRP_MJ_READ'.length } }, text: 'IRP_MJ_CREATE' }],
    });
    const after = await cleared;
    // The other finding (the logger reached from post-cleanup) stays.
    expect(after.diagnostics.filter((x) => x.code === 'ecp-create-only-routine')).toHaveLength(1);
  });
});
