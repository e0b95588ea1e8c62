import { describe, it, expect, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { startServer, startIndexed, ROOT, projectCopy, type TestServer } from './harness';

const PROJECT = path.join(ROOT, 'test/fixtures/projects/c-split-minifilter');
let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the program: functions of other workspace files run at their call sites', () => {
  it('reports a leak through a wrapper of another file, with steps located in that file', async () => {
    const dir = projectCopy(PROJECT);
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const uri = pathToFileURL(path.join(dir, 'create.c')).toString();
    const text = fs.readFileSync(path.join(dir, 'create.c'), 'utf8');
    const leak = server.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'ecp-list-leak'));
    await server.open(uri, text);
    const d = (await leak).diagnostics.find((x) => x.code === 'ecp-list-leak')!;
    expect(d.range.start.line).toBe(text.split('\n').findIndex((l) => l.includes('TaggerMakeList(&list); // expect')));
    const wrapperUri = pathToFileURL(path.join(dir, 'ecp.c')).toString();
    const inWrapper = d.relatedInformation?.filter((r) => r.location.uri === wrapperUri) ?? [];
    expect(inWrapper.length).toBeGreaterThan(0);
    const ecpLines = fs.readFileSync(path.join(dir, 'ecp.c'), 'utf8').split('\n');
    expect(inWrapper.some((r) => ecpLines[r.location.range.start.line].includes('FltAllocateExtraCreateParameterList'))).toBe(true);
  });

  it('editing the wrapper file changes the diagnostics published for the caller file', async () => {
    const dir = projectCopy(PROJECT);
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const callerUri = pathToFileURL(path.join(dir, 'create.c')).toString();
    const wrapperUri = pathToFileURL(path.join(dir, 'ecp.c')).toString();
    const wrapper = fs.readFileSync(path.join(dir, 'ecp.c'), 'utf8');
    const leak = server.diagnostics(callerUri, (p) => p.diagnostics.some((d) => d.code === 'ecp-list-leak'));
    await server.open(callerUri, fs.readFileSync(path.join(dir, 'create.c'), 'utf8'));
    await leak;
    await server.open(wrapperUri, wrapper);
    // The wrapper no longer allocates: the caller's list is whatever an unknown routine returns.
    const lines = wrapper.split('\n');
    const at = lines.findIndex((l) => l.includes('return FltAllocateExtraCreateParameterList'));
    const cleared = server.diagnostics(callerUri, (p) => !p.diagnostics.some((d) => d.code === 'ecp-list-leak'));
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: wrapperUri, version: 2 },
      contentChanges: [{ range: { start: { line: at, character: 0 }, end: { line: at, character: lines[at].length } }, text: '    return TaggerBackendMakeList(List);' }],
    });
    expect((await cleared).diagnostics.filter((d) => d.code === 'ecp-list-leak')).toEqual([]);
  });

  for (const [project, names] of [
    ['c-split-minifilter', ['create.c', 'driver.c', 'ecp.c']],
    // The wrapper module's private header decides the callers' findings (a macro, an inline helper, a lookaside delete).
    ['callee-headers', ['open.c', 'driver.c', 'notes.c']],
    // Registrations in #if arms its compile database decides (the CLI is given the database, the editor finds it).
    ['build-arm-registration', ['callbacks.c', 'driver.c']],
    // Each file under its own entry: gcc and MSVC spellings (-I, -D, /I, /D), one file compiled as C++ (/TP).
    ['build-flag-spellings', ['open.c', 'policy.c', 'wrap.c']],
    // Each call runs the function its own file means (same-name statics in several files).
    ['static-name-clash', ['caller.c', 'wrap.c', 'drop.c']],
    ['macro-name-clash', ['caller.c', 'wrap.c']],
    ['lifecycle-static-clash', ['driver.c', 'ecp.c', 'lookaside.c', 'ops.c']],
  ] as const) {
    it(`agrees with the CLI given the folder (${project})`, async () => {
      const dir = projectCopy(path.join(ROOT, 'test/fixtures/projects', project));
      const db = path.join(dir, 'compile_commands.json');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', '--format', 'json', ...(fs.existsSync(db) ? ['--compile-commands', db] : []), dir], { encoding: 'utf8' });
      const report = JSON.parse(r.stdout) as { files: { path: string; findings: { code: string; range: { start: { line: number } } }[] }[] };
      server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
      for (const name of names) {
        const file = path.join(dir, name);
        const uri = pathToFileURL(file).toString();
        const fromCli = (report.files.find((f) => path.resolve(f.path) === file)?.findings.map((f) => `${f.code}@${f.range.start.line}`) ?? []).sort();
        // What the fixture expects inline is what both must say.
        const expected = fs.readFileSync(file, 'utf8').split('\n').flatMap((l, i) => [...l.matchAll(/expect: ([a-z-]+)/g)].map((m) => `${m[1]}@${i}`)).sort();
        expect(fromCli).toEqual(expected);
        // Once the index is complete the server publishes again; it must come to the CLI's answer.
        const agreed = server.diagnostics(uri, (p) => JSON.stringify(p.diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort()) === JSON.stringify(fromCli));
        await server.open(uri, fs.readFileSync(file, 'utf8'));
        await agreed;
      }
    });
  }

  it('under a compile database: a C++ caller of a C wrapper gets the steps in the wrapper file, and editing the wrapper re-publishes the callers', async () => {
    const dir = projectCopy(path.join(ROOT, 'test/fixtures/projects/build-flag-spellings'));
    server = await startIndexed({ diagnosticsDelay: 0 }, [dir]);
    const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).toString();
    const textOf = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
    const leakLines = (p: { diagnostics: { code?: string | number; range: { start: { line: number } } }[] }) => p.diagnostics.filter((d) => d.code === 'ecp-list-leak').map((d) => d.range.start.line);
    // policy.c is C++ by its entry (/TP), whatever its name and languageId say.
    const policy = await server.open(uriOf('policy.c'), textOf('policy.c'));
    const leak = policy.diagnostics.find((d) => d.code === 'ecp-list-leak')!;
    expect(leak.range.start.line).toBe(textOf('policy.c').split('\n').findIndex((l) => l.includes('FlagsMakeList(filter_, &list)')));
    const wrapLines = textOf('wrap.c').split('\n');
    const inWrapper = (leak.relatedInformation ?? []).filter((r) => r.location.uri === uriOf('wrap.c'));
    expect(inWrapper.map((r) => wrapLines[r.location.range.start.line].trim())).toEqual(['return FltAllocateExtraCreateParameterList(Filter, 0, List);']);
    const open = textOf('open.c');
    expect(leakLines(await server.open(uriOf('open.c'), open))).toEqual([open.split('\n').findIndex((l) => l.includes('OPEN_MAKE(Filter, &list)'))]);
    // The wrapper's buffer no longer frees under its build: open.c's caller now leaks the list.
    await server.open(uriOf('wrap.c'), textOf('wrap.c'));
    const at = wrapLines.findIndex((l) => l.includes('#ifdef WRAP_FREES_LIST'));
    const useLine = open.split('\n').findIndex((l) => l.includes('FlagsMakeList(Filter, &list)'));
    const republished = server.diagnostics(uriOf('open.c'), (p) => leakLines(p).includes(useLine));
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf('wrap.c'), version: 2 },
      contentChanges: [{ range: { start: { line: at, character: 0 }, end: { line: at, character: wrapLines[at].length } }, text: '#ifdef WRAP_FREES_NOTHING' }],
    });
    expect(leakLines(await republished).sort((a, b) => a - b)).toEqual([useLine, open.split('\n').findIndex((l) => l.includes('OPEN_MAKE(Filter, &list)'))].sort((a, b) => a - b));
  });

  it("editing a static helper of the wrapper's file re-publishes the caller (the helper runs at the caller's call)", async () => {
    const dir = projectCopy(path.join(ROOT, 'test/fixtures/projects/static-name-clash'));
    server = await startIndexed({ diagnosticsDelay: 0 }, [dir]);
    const callerUri = pathToFileURL(path.join(dir, 'caller.c')).toString();
    const wrapUri = pathToFileURL(path.join(dir, 'wrap.c')).toString();
    const leaks = (p: { diagnostics: { code?: string | number }[] }) => p.diagnostics.filter((d) => d.code === 'ecp-list-leak').length;
    const leaked = server.diagnostics(callerUri, (p) => leaks(p) === 1);
    await server.open(callerUri, fs.readFileSync(path.join(dir, 'caller.c'), 'utf8'));
    await leaked;
    const wrap = fs.readFileSync(path.join(dir, 'wrap.c'), 'utf8');
    await server.open(wrapUri, wrap);
    // wrap.c's static Finish now frees the list it is given: the wrapper returns a freed list, nothing leaks.
    const lines = wrap.split('\n');
    const at = lines.findIndex((l) => l.includes('UNREFERENCED_PARAMETER(List);'));
    const cleared = server.diagnostics(callerUri, (p) => leaks(p) === 0);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: wrapUri, version: 2 },
      contentChanges: [{ range: { start: { line: at, character: 0 }, end: { line: at, character: lines[at].length } }, text: '    FltFreeExtraCreateParameterList(Filter, List);' }],
    });
    expect(leaks(await cleared)).toBe(0);
  });
});
