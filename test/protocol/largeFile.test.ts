/**
 * A 1 MB file on one line with about 6,800 functions does not block the server: its analysis
 * pauses after each function, so hover, completion and signature help sent right after didOpen,
 * and again once those are answered, are all answered before the document's diagnostics. Every
 * message about the file stays bounded, though one finding quotes a 50,000-character argument.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidOpenTextDocumentNotification,
  HoverRequest,
  SignatureHelpRequest,
  type CodeAction,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';
import { MAX_MESSAGE_CHARS } from '../../server/src/util/clip';

const FUNCTIONS = 6_800;
const LEAK_EVERY = 100;

/** The lookaside fixture (init non-paged, delete with flags 0) with its delete's flags 50,000 characters long, on one line. */
function lookasidePart(): string {
  const fixture = fs.readFileSync(path.join(ROOT, 'test/fixtures/rules/ecp-lookaside-flags-pos-nonpaged-deleted-as-paged.c'), 'utf8');
  const longFlags = `(0 /* ${'no flags '.repeat(6_250)}*/)`;
  return fixture
    .replace(/\/\*[\s\S]*?\*\//, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/^#include.*$/m, '')
    .replace('&gContosoEcpLookaside, 0);', `&gContosoEcpLookaside, ${longFlags});`)
    .replace(/\s+/g, ' ');
}

/** Function i: allocates a list and frees it; every LEAK_EVERY-th returns without freeing it on success. */
function generated(i: number, prefix: string): string {
  const end = i % LEAK_EVERY === 0 ? 'return STATUS_SUCCESS;' : 'FltFreeExtraCreateParameterList(f,l);return STATUS_SUCCESS;';
  return `NTSTATUS ${prefix}${i}(PFLT_FILTER f){PECP_LIST l=NULL;NTSTATUS s=FltAllocateExtraCreateParameterList(f,0,&l);if(!NT_SUCCESS(s))return s;${end}}`;
}

function oneLine(prefix: string): string {
  return [lookasidePart(), ...Array.from({ length: FUNCTIONS }, (_, i) => generated(i, prefix))].join(' ');
}

const TEXT = oneLine('Gen');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-large-'));
const FILE = path.join(dir, 'one-line.c');
fs.writeFileSync(FILE, TEXT);
const URI = pathToFileURL(FILE).href;

/** The column just after `text` in generated function i. */
function after(i: number, text: string): number {
  const start = TEXT.indexOf(`NTSTATUS Gen${i}(`);
  return TEXT.indexOf(text, start) + text.length;
}

let server: TestServer;
/** The other notifications about the file (logs, messages, coverage), for the length bound. */
const others: unknown[] = [];

beforeAll(async () => {
  server = await startServer({ diagnosticsDelay: 0 });
  for (const method of ['window/logMessage', 'window/showMessage', 'ecpLens/coverage']) server.connection.onNotification(method, (params: unknown) => void others.push(params));
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Hover, completion and signature help in function i; resolves once all three are answered. */
function requests(i: number): Promise<unknown[]> {
  const textDocument = { uri: URI };
  return Promise.all([
    server.connection.sendRequest(HoverRequest.type, { textDocument, position: { line: 0, character: after(i, 's=Flt') } }),
    server.connection.sendRequest(CompletionRequest.type, { textDocument, position: { line: 0, character: after(i, 's=FltAllocateExtra') } }),
    server.connection.sendRequest(SignatureHelpRequest.type, { textDocument, position: { line: 0, character: after(i, 'FltAllocateExtraCreateParameterList(') } }),
  ]);
}

/** Every string in a value, with its place, except URIs. */
function strings(value: unknown, at = ''): { at: string; length: number }[] {
  if (typeof value === 'string') return at.endsWith('.uri') || at.endsWith('.href') ? [] : [{ at, length: value.length }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

describe('a 1 MB file on one line', () => {
  it('is about 1 MB on a single line', () => {
    expect(TEXT.length).toBeGreaterThan(1_000_000);
    expect(TEXT).not.toContain('\n');
  });

  it('answers requests sent after didOpen, and those sent after their answers, before its diagnostics', async () => {
    const order: string[] = [];
    const published = server.diagnostics(URI).then((p) => {
      order.push('diagnostics');
      return p;
    });
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'c', version: 1, text: TEXT } });
    const first = await requests(10);
    order.push('first answers');
    // Sent only now: the analysis has started, and it pauses for them.
    const second = await requests(FUNCTIONS - 10);
    order.push('second answers');
    const diagnostics: PublishDiagnosticsParams = await published;
    expect(order).toEqual(['first answers', 'second answers', 'diagnostics']);

    for (const answers of [first, second]) {
      const [hover, completion, signature] = answers as [{ contents: unknown } | null, { label: string }[] | { items: { label: string }[] } | null, { signatures: { label: string }[] } | null];
      expect(JSON.stringify(hover?.contents)).toContain('FltAllocateExtraCreateParameterList');
      const items = Array.isArray(completion) ? completion : completion?.items ?? [];
      expect(items.map((c) => c.label)).toContain('FltAllocateExtraCreateParameterList');
      expect(signature?.signatures[0]?.label).toContain('FltAllocateExtraCreateParameterList');
    }

    // The whole file was analysed: each leaking function, and the lookaside delete.
    const leaks = diagnostics.diagnostics.filter((d) => d.code === 'ecp-list-leak');
    expect(leaks).toHaveLength(FUNCTIONS / LEAK_EVERY);
    const flags = diagnostics.diagnostics.find((d) => d.code === 'ecp-lookaside-flags');
    expect(flags?.message).toMatch(/^gContosoEcpLookaside is deleted with flags \(0 \/\* no flags no flags.*…$/);

    // Every message the server sent about the file is bounded, whatever it quotes of it (the
    // answers above carry the catalog's own documentation, which is not the file's text).
    const all = [...strings(diagnostics, 'diagnostics'), ...strings(others, 'notifications')];
    expect(all.filter((s) => s.length > MAX_MESSAGE_CHARS)).toEqual([]);
    expect(String(flags!.message).length).toBe(MAX_MESSAGE_CHARS);
    expect(others.length).toBeGreaterThan(0);
  }, 120_000);

  it('a cancelled code lens request waiting for the analysis gets RequestCancelled; the analysis goes on', async () => {
    // Other names: nothing of the first file's analysis is reused.
    const text = oneLine('Alt');
    const uri = pathToFileURL(path.join(dir, 'other.c')).href;
    const published = server.diagnostics(uri);
    await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
    const source = new CancellationTokenSource();
    const order: string[] = [];
    const lens = server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }, source.token).then(
      () => order.push('lens answered'),
      (err: { code?: number }) => order.push(`lens error ${err.code}`),
    );
    // A hover answered means the analysis has started and is pausing; then the lens is cancelled.
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: text.indexOf('FltAllocateExtraCreateParameterList') + 3 } });
    source.cancel();
    await lens;
    const diagnostics = await published;
    order.push('diagnostics');
    expect(order).toEqual(['lens error -32800', 'diagnostics']);
    expect(diagnostics.diagnostics.filter((d) => d.code === 'ecp-list-leak')).toHaveLength(FUNCTIONS / LEAK_EVERY);
    // A code action now reads the finished analysis.
    const leak = diagnostics.diagnostics.find((d) => d.code === 'ecp-list-leak')!;
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: leak.range, context: { diagnostics: [leak] } })) as CodeAction[];
    expect(actions.map((a) => a.title)).toContain('Ignore ecp-list-leak on this line');
  }, 120_000);
});
