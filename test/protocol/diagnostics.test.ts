import { describe, it, expect, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { CodeActionRequest, type Diagnostic, type CodeAction, DidChangeConfigurationNotification, DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';

const MISTAKES = path.join(ROOT, 'examples/attach-ecp-mistakes.c');
let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function cliFindings(file: string): string[] {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', '--format', 'json', file], { encoding: 'utf8' });
  const report = JSON.parse(r.stdout);
  return report.files[0].findings.map((f: { code: string; range: { start: { line: number } } }) => `${f.code}@${f.range.start.line}`).sort();
}

describe('diagnostics over LSP', () => {
  it('publishes ECP findings with codes, documentation links and the path as related locations', async () => {
    server = await startServer({ diagnosticsDelay: 0 });
    const uri = pathToFileURL(MISTAKES).toString();
    const { diagnostics } = await server.open(uri, fs.readFileSync(MISTAKES, 'utf8'));
    expect(diagnostics.length).toBeGreaterThanOrEqual(5);
    for (const d of diagnostics) {
      expect(d.source).toBe('ecp-lens');
      expect(String(d.code)).toMatch(/^ecp-/);
      // A link that resolves offline: the installed docs/rules.md, at the rule's heading.
      const href = new URL(d.codeDescription!.href);
      expect(href.protocol).toBe('file:');
      // `#L<n>`: the editor opens the file at the rule's heading line (1-based).
      const line = Number(/^#L(\d+)$/.exec(href.hash)?.[1]);
      expect(fs.readFileSync(fileURLToPath(href), 'utf8').split('\n')[line - 1]).toBe(`## ${d.code}`);
    }
    const leak = diagnostics.find((d) => d.code === 'ecp-list-leak' || d.code === 'ecp-context-leak');
    expect(leak, 'a leak finding').toBeDefined();
    const messages = leak!.relatedInformation!.map((r) => r.message);
    expect(messages[0]).toMatch(/allocated here/);
    expect(messages[messages.length - 1]).toMatch(/returns here without freeing/);
    expect(leak!.relatedInformation!.every((r) => r.location.uri === uri)).toBe(true);
  });

  it('agrees with the CLI on every example', async () => {
    server = await startServer({ diagnosticsDelay: 0 });
    for (const name of fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.c'))) {
      const file = path.join(ROOT, 'examples', name);
      const { diagnostics } = await server.open(pathToFileURL(file).toString(), fs.readFileSync(file, 'utf8'));
      const editor = diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();
      expect(editor, name).toEqual(cliFindings(file));
    }
  });

  it('offers a quick fix that frees a leaked list, and the fix removes the finding', async () => {
    server = await startServer({ diagnosticsDelay: 0 });
    const text = [
      '#include <fltKernel.h>',
      'PFLT_FILTER gFilter;',
      'NTSTATUS Attach(void)',
      '{',
      '    PECP_LIST list = NULL;',
      '    NTSTATUS status = FltAllocateExtraCreateParameterList(gFilter, 0, &list);',
      '    if (!NT_SUCCESS(status)) {',
      '        return status;',
      '    }',
      '    return STATUS_SUCCESS;',
      '}',
      '',
    ].join('\n');
    const uri = 'file:///w/leak.c';
    const { diagnostics } = await server.open(uri, text);
    const leak = diagnostics.find((d) => d.code === 'ecp-list-leak') as Diagnostic;
    expect(leak.range.start.line).toBe(5);
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: leak.range,
      context: { diagnostics: [leak] },
    })) as CodeAction[];
    // Offered first, but not preferred: the same return may be reached on paths that already freed.
    const fix = actions[0];
    expect(fix.isPreferred).toBeFalsy();
    expect(fix.title).toContain('FltFreeExtraCreateParameterList');
    const edit = fix.edit!.changes![uri][0];
    const lines = text.split('\n');
    lines.splice(edit.range.start.line, 0, edit.newText.replace(/\n$/, ''));
    expect(lines[edit.range.start.line]).toBe('    FltFreeExtraCreateParameterList(gFilter, list);');
    const fixed = await server.open('file:///w/leak-fixed.c', lines.join('\n'));
    expect(fixed.diagnostics.filter((d) => d.code === 'ecp-list-leak')).toEqual([]);
    expect(actions.some((a) => a.title.includes('Ignore ecp-list-leak on this line'))).toBe(true);
  });

  it('honours suppression comments and per-rule settings', async () => {
    server = await startServer({ diagnosticsDelay: 0, rules: { 'ecp-double-free': 'off', 'ecp-list-leak': 'warning' } });
    const text = fs.readFileSync(MISTAKES, 'utf8');
    const { diagnostics } = await server.open('file:///w/settings.c', text);
    expect(diagnostics.some((d) => d.code === 'ecp-double-free')).toBe(false);
    for (const d of diagnostics.filter((x) => x.code === 'ecp-list-leak')) expect(d.severity).toBe(2);
    const suppressed = text.replace(/^(.*\/\/ ECP Lens: ecp-flag-family.*)$/m, '    // ecp-lens-ignore-next-line ecp-flag-family\n$1');
    const again = await server.open('file:///w/suppressed.c', suppressed);
    expect(again.diagnostics.some((d) => d.code === 'ecp-flag-family')).toBe(false);
  });

  it('re-publishes when the settings change', async () => {
    const settings: Record<string, unknown> = { diagnosticsDelay: 0 };
    server = await startServer(settings);
    const uri = 'file:///w/live-settings.c';
    const first = await server.open(uri, fs.readFileSync(MISTAKES, 'utf8'));
    expect(first.diagnostics.some((d) => d.code === 'ecp-double-free')).toBe(true);
    settings.rules = { 'ecp-double-free': 'off' };
    const next = server.diagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'ecp-double-free'));
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { ecpLens: settings } });
    expect((await next).diagnostics.length).toBe(first.diagnostics.length - first.diagnostics.filter((d) => d.code === 'ecp-double-free').length);
  });
});

describe('workspace index', () => {
  const INIT = [
    '#include <fltKernel.h>',
    'PFLT_FILTER gFilter; NPAGED_LOOKASIDE_LIST gLookaside;',
    'NTSTATUS Setup(void)',
    '{',
    "    FltInitExtraCreateParameterLookasideList(gFilter, &gLookaside, FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL, 64, 'xpcE');",
    '    return STATUS_SUCCESS;',
    '}',
    '',
  ].join('\n');
  const DELETE = [
    '#include <fltKernel.h>',
    'extern PFLT_FILTER gFilter; extern NPAGED_LOOKASIDE_LIST gLookaside;',
    'VOID Teardown(void)',
    '{',
    '    FltDeleteExtraCreateParameterLookasideList(gFilter, &gLookaside, 0);',
    '}',
    '',
  ].join('\n');

  function workspace(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-ws-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it('sees a delete in another file, with progress, and checks the flags across files', async () => {
    const dir = workspace({ 'setup.c': INIT, 'teardown.c': DELETE });
    const progress: unknown[] = [];
    let ended: () => void = () => {};
    const indexed = new Promise<void>((resolve) => (ended = resolve));
    server = await startServer({ diagnosticsDelay: 0 }, {
      workspaceFolders: [pathToFileURL(dir).toString()],
      onProgress: (v) => {
        progress.push(v);
        if ((v as { kind: string }).kind === 'end') ended();
      },
    });
    await indexed;
    expect(progress.some((p) => (p as { kind: string }).kind === 'begin')).toBe(true);
    const setupUri = pathToFileURL(path.join(dir, 'setup.c')).toString();
    const settled = server.diagnostics(setupUri, (p) => !p.diagnostics.some((d) => d.code === 'ecp-lookaside-not-deleted'));
    await server.open(setupUri, INIT);
    expect((await settled).diagnostics).toEqual([]);
    const teardownUri = pathToFileURL(path.join(dir, 'teardown.c')).toString();
    const { diagnostics } = await server.open(teardownUri, DELETE);
    expect(diagnostics.map((d) => d.code)).toEqual(['ecp-lookaside-flags']);
    expect(diagnostics[0].relatedInformation?.[0].message).toBe('initialised here');
  });

  it('follows unsaved edits of another open file: removing its delete re-checks the init', async () => {
    const dir = workspace({ 'setup.c': INIT, 'teardown.c': DELETE });
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const setupUri = pathToFileURL(path.join(dir, 'setup.c')).toString();
    const teardownUri = pathToFileURL(path.join(dir, 'teardown.c')).toString();
    const clean = server.diagnostics(setupUri, (p) => p.diagnostics.length === 0);
    await server.open(setupUri, INIT);
    await clean;
    await server.open(teardownUri, DELETE);
    const reported = server.diagnostics(setupUri, (p) => p.diagnostics.some((d) => d.code === 'ecp-lookaside-not-deleted'));
    const lines = DELETE.split('\n');
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: teardownUri, version: 2 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: lines[4].length } }, text: '    /* delete removed */' }],
    });
    expect((await reported).diagnostics.map((d) => d.code)).toEqual(['ecp-lookaside-not-deleted']);
  });

  it('reports a lookaside that no file of the workspace deletes', async () => {
    const dir = workspace({ 'setup.c': INIT, 'other.c': 'int unrelated;\n' });
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const uri = pathToFileURL(path.join(dir, 'setup.c')).toString();
    const reported = server.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'ecp-lookaside-not-deleted'));
    await server.open(uri, INIT);
    const d = (await reported).diagnostics.find((x) => x.code === 'ecp-lookaside-not-deleted')!;
    expect(d.message).toContain('anywhere in the workspace');
  });
});
