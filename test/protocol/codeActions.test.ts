/** Code actions over stdio against the real built server: order, documentation, fix-all. */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { CodeActionRequest, DidChangeTextDocumentNotification, ExecuteCommandRequest, ShowDocumentRequest, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/rules/ecp-wrong-free-pos-exfreepool-on-context.c');
let server: TestServer;

afterAll(async () => {
  await server?.stop();
});

async function actionsFor(uri: string, diagnostic: Diagnostic, only?: string[]): Promise<CodeAction[]> {
  return (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only } })) as CodeAction[];
}

describe('code actions', () => {
  it('lists the real fix first and preferred, then the documentation, the suppressions last', async () => {
    server = await startServer({ diagnosticsDelay: 0 });
    expect(server.initializeResult.capabilities.codeActionProvider).toMatchObject({ codeActionKinds: expect.arrayContaining(['quickfix', 'source.fixAll.ecpLens']) });
    const uri = pathToFileURL(FIXTURE).href;
    const { diagnostics } = await server.open(uri, fs.readFileSync(FIXTURE, 'utf8'));
    const wrongFree = diagnostics.find((d) => d.code === 'ecp-wrong-free')!;
    const actions = await actionsFor(uri, wrongFree);
    expect(actions.map((a) => a.title)).toEqual([
      'Use FltFreeExtraCreateParameter',
      'Show documentation for ecp-wrong-free',
      'Ignore ecp-wrong-free on this line',
      'Ignore ecp-wrong-free in this file',
    ]);
    expect(actions.map((a) => a.isPreferred ?? false)).toEqual([true, false, false, false]);
    expect(actions[0].edit!.changes![uri][0].newText).toBe('FltFreeExtraCreateParameter(gFilterHandle, nameEcp)');
    expect(actions[1].command).toEqual({ title: 'Show documentation for ecp-wrong-free', command: 'ecpLens.showRuleDoc', arguments: ['ecp-wrong-free'] });
  });

  it('a double free in one block offers the removal of the second free first, the clearing after it', async () => {
    const file = path.join(ROOT, 'test/fixtures/rules/ecp-double-free-pos-freed-twice-in-sequence.c');
    const uri = pathToFileURL(file).href;
    const { diagnostics } = await server.open(uri, fs.readFileSync(file, 'utf8'));
    const actions = await actionsFor(uri, diagnostics.find((d) => d.code === 'ecp-double-free')!);
    expect(actions.slice(0, 2).map((a) => [a.title, a.isPreferred ?? false])).toEqual([
      ['Remove the second free of tagEcp', true],
      ['Set tagEcp to NULL after the first free and free it again only when not NULL', false],
    ]);
    const line = diagnostics.find((d) => d.code === 'ecp-double-free')!.range.start.line;
    expect(actions[0].edit!.changes![uri]).toEqual([{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }]);
  });

  it('opens docs/rules.md at the rule heading when the documentation command runs', async () => {
    const shown: { uri: string; selection?: { start: { line: number } } }[] = [];
    server.connection.onRequest(ShowDocumentRequest.type, (params) => {
      shown.push(params);
      return { success: true };
    });
    expect(server.initializeResult.capabilities.executeCommandProvider?.commands).toContain('ecpLens.showRuleDoc');
    await server.connection.sendRequest(ExecuteCommandRequest.type, { command: 'ecpLens.showRuleDoc', arguments: ['ecp-null-list'] });
    expect(shown).toHaveLength(1);
    const lines = fs.readFileSync(fileURLToPath(shown[0].uri), 'utf8').split('\n');
    expect(lines[shown[0].selection!.start.line]).toBe('## ecp-null-list');
  });

  it('answers source.fixAll.ecpLens with the safe fixes in one edit', async () => {
    const file = path.join(ROOT, 'test/fixtures/rules/ecp-flag-family-pos-lookaside-flag-to-ecp-allocator.c');
    const uri = pathToFileURL(file).href;
    const { diagnostics } = await server.open(uri, fs.readFileSync(file, 'utf8'));
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    expect(actions).toHaveLength(1);
    expect(actions[0].kind).toBe('source.fixAll.ecpLens');
    expect(actions[0].edit!.changes![uri].map((e) => e.newText)).toEqual(['FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL']);
    expect(diagnostics.some((d) => d.code === 'ecp-flag-family')).toBe(true);
  });

  it('the preferred fix, applied as an editor applies it, takes its diagnostic away and brings none', async () => {
    const cases: [string, string][] = [
      ['ecp-unchecked-status-pos-no-status-local.c', 'ecp-unchecked-status'],
      ['ecp-empty-list-pos-best-effort-allocation.c', 'ecp-empty-list'],
      ['ecp-empty-list-pos-no-ecp-inserted.c', 'ecp-empty-list'],
      ['ecp-free-inserted-pos-freed-before-list-free.c', 'ecp-free-inserted'],
      ['ecp-free-inserted-pos-freed-before-handoff.c', 'ecp-free-inserted'],
    ];
    for (const [name, code] of cases) {
      const uri = pathToFileURL(path.join(ROOT, 'test/fixtures/rules', name)).href;
      const { diagnostics } = await server.open(uri, fs.readFileSync(path.join(ROOT, 'test/fixtures/rules', name), 'utf8'));
      const target = diagnostics.find((d) => d.code === code)!;
      const [first] = await actionsFor(uri, target);
      expect(first.isPreferred, `${name}: ${first.title}`).toBe(true);
      expect(first.title, name).not.toMatch(/^Ignore /);
      // An editor applies a workspace edit's edits as incremental changes, the last one first.
      const edits: TextEdit[] = [...first.edit!.changes![uri]].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
      const published = server.diagnostics(uri, (p) => p.version === 2);
      await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })) });
      const after = (await published).diagnostics;
      const count = (list: Diagnostic[], c: string) => list.filter((d) => d.code === c).length;
      expect(count(after, code), `${name}: ${first.title}`).toBe(count(diagnostics, code) - 1);
      expect(after.filter((d) => !diagnostics.some((b) => b.code === d.code)).map((d) => d.code), name).toEqual([]);
    }
  });
});
