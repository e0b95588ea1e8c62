/**
 * Line breaks as LSP counts them (`\n`, `\r\n`, a lone `\r`) over real JSON-RPC: a file saved with
 * old Mac (CR-only) or mixed line endings gets its diagnostics, related steps, code lenses and
 * simulator steps on the same lines as the LF file (tree-sitter alone counts only `\n`).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, CodeLensRequest, DidChangeTextDocumentNotification, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, ROOT, type TestServer } from './harness';
import { SimulateRequest, type Trace } from '../../server/src/protocol';
import { withLineEndings } from '../lineEndings';

const LEAK = fs.readFileSync(path.join(ROOT, 'test/fixtures/rules/ecp-list-leak-pos-set-failure.c'), 'utf8');
const SEVEN = fs.readFileSync(path.join(ROOT, 'test/fixtures/simulate/seven-step.c'), 'utf8');

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
});

afterAll(async () => {
  await server?.stop();
});

function shape(diagnostics: Diagnostic[]) {
  return diagnostics.map((d) => ({ code: d.code, range: d.range, message: d.message, related: d.relatedInformation?.map((r) => [r.location.range, r.message]) }));
}

async function simulate(uri: string, fn: string): Promise<Trace> {
  return server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, function: fn });
}

describe('line endings over stdio', () => {
  it('diagnostics and their related steps sit on the same lines with CR-only and mixed endings', async () => {
    const lf = await server.open('file:///le/lf.c', LEAK);
    expect(lf.diagnostics.length).toBeGreaterThan(0);
    expect(lf.diagnostics[0].range.start.line).toBe(28); // the `// expect:` line, 0-based
    for (const style of ['cr', 'mixed'] as const) {
      const other = await server.open(`file:///le/${style}.c`, withLineEndings(LEAK, style));
      expect(shape(other.diagnostics)).toEqual(shape(lf.diagnostics));
    }
  });

  it('simulator steps, the function range and code lenses agree with the LF file', async () => {
    await server.open('file:///le/seven-lf.c', SEVEN);
    await server.open('file:///le/seven-cr.c', withLineEndings(SEVEN, 'cr'));
    await server.open('file:///le/seven-mixed.c', withLineEndings(SEVEN, 'mixed'));
    const lf = await simulate('file:///le/seven-lf.c', 'AttachForgetsFree');
    expect(lf.steps.length).toBeGreaterThan(3);
    const lenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: 'file:///le/seven-lf.c' } });
    for (const style of ['cr', 'mixed']) {
      const uri = `file:///le/seven-${style}.c`;
      const other = await simulate(uri, 'AttachForgetsFree');
      expect(other.steps.map((s) => [s.line, s.range, s.routine])).toEqual(lf.steps.map((s) => [s.line, s.range, s.routine]));
      expect(other.range).toEqual(lf.range);
      expect(other.final.leaks.map((l) => l.line)).toEqual(lf.final.leaks.map((l) => l.line));
      expect(other.functions).toEqual(lf.functions);
      const otherLenses = await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
      expect(otherLenses?.map((l) => [l.range, l.command?.title])).toEqual(lenses?.map((l) => [l.range, l.command?.title]));
    }
  });

  it('an incremental edit that adds a CR-terminated line moves the finding down by one line', async () => {
    const uri = 'file:///le/edit-cr.c';
    const before = await server.open(uri, withLineEndings(LEAK, 'cr'));
    expect(before.diagnostics.map((d) => d.range.start.line)).toEqual([28]);
    const after = server.diagnostics(uri, (p) => p.version === 2);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// added\r' }],
    });
    const moved = (await after).diagnostics;
    expect(moved.map((d) => d.range.start.line)).toEqual(before.diagnostics.map((d) => d.range.start.line + 1));
  });

  it('a suppression inserted into a CR-only file keeps CR line ends and silences the finding', async () => {
    const uri = 'file:///le/suppress-cr.c';
    const text = withLineEndings(LEAK, 'cr');
    const { diagnostics } = await server.open(uri, text);
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics: [diagnostics[0]] } })) as CodeAction[];
    const ignore = actions.find((a) => a.title.startsWith('Ignore ecp-list-leak on this line'))!;
    const edits = ignore.edit!.changes![uri];
    expect(edits[0].newText).toMatch(/ecp-lens-ignore-next-line ecp-list-leak\r$/);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'c', 1, text), edits);
    expect(fixed).not.toContain('\n');
    const again = await server.open('file:///le/suppressed-cr.c', fixed);
    expect(again.diagnostics).toEqual([]);
  });
});
