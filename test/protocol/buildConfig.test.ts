/** The real server honours the workspace's compile database: found, named by the setting, and followed when it changes. */
import { describe, it, expect, afterEach } from 'vitest';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, DidChangeConfigurationNotification, FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { startServer, ROOT, type TestServer } from './harness';
import { wrapperProject, CALLER } from '../cli/wrapperProject';

const PROJECT = path.join(ROOT, 'test/fixtures/projects/build-config-driver');
let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** A copy of the fixture project with its database moved to `db` (relative), or removed. */
function projectCopy(db: string | null = 'compile_commands.json'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-build-'));
  fs.cpSync(PROJECT, dir, { recursive: true });
  const original = path.join(dir, 'compile_commands.json');
  if (db === null) fs.rmSync(original);
  else if (db !== 'compile_commands.json') {
    fs.mkdirSync(path.dirname(path.join(dir, db)), { recursive: true });
    // Entries are relative to the database's folder: point them back at the project.
    const rel = path.relative(path.dirname(path.join(dir, db)), dir) || '.';
    fs.writeFileSync(path.join(dir, db), fs.readFileSync(original, 'utf8').replace(/"directory": "\."/g, `"directory": ${JSON.stringify(rel)}`));
    fs.rmSync(original);
  }
  return dir;
}

const leakLines = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'ecp-context-leak').map((d) => d.range.start.line + 1).sort((a, b) => a - b);
const same = (a: number[], b: number[]) => JSON.stringify(a) === JSON.stringify(b);

async function openTagger(dir: string, settings: Record<string, unknown>, expected: number[]): Promise<{ uri: string; lines: number[] }> {
  // The same object answers the server's configuration requests: a test may change it.
  server = await startServer(Object.assign(settings, { diagnosticsDelay: 0 }), { workspaceFolders: [pathToFileURL(dir).toString()] });
  const uri = pathToFileURL(path.join(dir, 'src/tagger.c')).toString();
  const published = server.diagnostics(uri, (p) => same(leakLines(p), expected));
  await server.open(uri, fs.readFileSync(path.join(dir, 'src/tagger.c'), 'utf8'));
  return { uri, lines: leakLines(await published) };
}

describe('the compile database in the editor', () => {
  it('is found at the workspace root: angle include, USE_ECP_V2 and the file-scope arm are applied', async () => {
    const { lines } = await openTagger(projectCopy(), {}, [14, 38, 71]);
    expect(lines).toEqual([14, 38, 71]);
  });

  it('is found in build/', async () => {
    const { lines } = await openTagger(projectCopy('build/compile_commands.json'), {}, [14, 38, 71]);
    expect(lines).toEqual([14, 38, 71]);
  });

  it('is read from where ecpLens.compileCommands says (relative to the workspace folder)', async () => {
    const { lines } = await openTagger(projectCopy('cfg/driver-db.json'), { compileCommands: 'cfg/driver-db.json' }, [14, 38, 71]);
    expect(lines).toEqual([14, 38, 71]);
  });

  it('without a database the file reads as before: no include folders, every arm explored', async () => {
    const { lines } = await openTagger(projectCopy(null), {}, [38]);
    expect(lines).toEqual([38]);
  });

  it('a .h the database compiles as C++ is parsed as C++, whatever languageId the client sends', async () => {
    const dir = projectCopy();
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const uri = pathToFileURL(path.join(dir, 'src/policy.h')).toString();
    const published = server.diagnostics(uri, (p) => leakLines(p).length > 0);
    await server.open(uri, fs.readFileSync(path.join(dir, 'src/policy.h'), 'utf8'), 'c');
    expect(leakLines(await published)).toEqual([12]);
  });

  it('a change of the database on disk is re-read and the open documents re-published', async () => {
    const dir = projectCopy();
    const { uri } = await openTagger(dir, {}, [14, 38, 71]);
    const db = path.join(dir, 'compile_commands.json');
    fs.writeFileSync(db, fs.readFileSync(db, 'utf8').replace('"/DUSE_ECP_V2", ', ''));
    const republished = server!.diagnostics(uri, (p) => same(leakLines(p), [38]));
    await server!.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(db).toString(), type: FileChangeType.Changed }] });
    expect(leakLines(await republished)).toEqual([38]);
  });

  it('a change of the setting switches databases', async () => {
    const dir = projectCopy('cfg/driver-db.json');
    const settings: Record<string, unknown> = { diagnosticsDelay: 0, compileCommands: '' };
    const { uri } = await openTagger(dir, settings, [38]);
    const republished = server!.diagnostics(uri, (p) => same(leakLines(p), [14, 38, 71]));
    settings.compileCommands = '${workspaceFolder}/cfg/driver-db.json';
    await server!.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { ecpLens: settings } });
    expect(leakLines(await republished)).toEqual([14, 38, 71]);
  });

  it('a malformed database is reported to the user and the files are analysed without it', async () => {
    const dir = projectCopy();
    fs.writeFileSync(path.join(dir, 'compile_commands.json'), '[{"directory": ".", "file": "src/tagger.c"}]');
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()] });
    const warned = new Promise<string>((resolve) => server!.connection.onNotification('window/showMessage', (p: { message: string }) => resolve(p.message)));
    const uri = pathToFileURL(path.join(dir, 'src/tagger.c')).toString();
    const published = server.diagnostics(uri, (p) => same(leakLines(p), [38]));
    await server.open(uri, fs.readFileSync(path.join(dir, 'src/tagger.c'), 'utf8'));
    expect(await warned).toMatch(/compile_commands\.json: entry 1 has neither an "arguments" array nor a "command" string/);
    expect(leakLines(await published)).toEqual([38]);
  });

  it('a callee of another workspace file runs under that file\'s configuration, as in the CLI', async () => {
    const dir = wrapperProject('caller.c');
    let indexed: () => void = () => {};
    const ready = new Promise<void>((resolve) => (indexed = resolve));
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()], onStatus: (s) => s.state === 'ready' && (s.indexed ?? 0) > 0 && indexed() });
    await ready;
    const uri = pathToFileURL(path.join(dir, 'caller.c')).toString();
    const db = path.join(dir, 'compile_commands.json');
    const listLeaks = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'ecp-list-leak').length;
    // The wrapper is indexed and built without V2 (the caller's own V2 does not apply to it): no leak.
    expect(listLeaks(await server.open(uri, CALLER))).toBe(0);
    // Now the wrapper's build gains V2: its allocation exists and the caller leaks.
    fs.writeFileSync(db, fs.readFileSync(db, 'utf8').replace('"arguments":["cl.exe","wrap.c"]', '"arguments":["cl.exe","/DUSE_LIST_V2","wrap.c"]'));
    const leaked = server.diagnostics(uri, (p) => listLeaks(p) === 1);
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(db).toString(), type: FileChangeType.Changed }] });
    expect(listLeaks(await leaked)).toBe(1);
  });

  it('the background index reads a file not open under its own database entry: the CLI and the editor agree', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-arm-'));
    fs.cpSync(path.join(ROOT, 'test/fixtures/projects/build-arm-teardown'), dir, { recursive: true });
    const driver = path.join(dir, 'driver.c');
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', '--format', 'json', '--compile-commands', path.join(dir, 'compile_commands.json'), dir], { encoding: 'utf8' });
    const report = JSON.parse(cli.stdout) as { files: { path: string; findings: { code: string; range: { start: { line: number } } }[] }[] };
    const fromCli = report.files.find((f) => path.resolve(f.path) === driver)!.findings.map((f) => `${f.code}@${f.range.start.line}`);
    const initLine = fs.readFileSync(driver, 'utf8').split('\n').findIndex((l) => l.includes('expect: ecp-lookaside-not-deleted'));
    expect(fromCli).toEqual([`ecp-lookaside-not-deleted@${initLine}`]);
    let indexed: () => void = () => {};
    const ready = new Promise<void>((resolve) => (indexed = resolve));
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()], onStatus: (s) => s.state === 'ready' && (s.indexed ?? 0) > 0 && indexed() });
    await ready;
    // teardown.c is never opened: only the index, reading it with /DNOTES_KEEP_LOOKASIDE, knows its delete is not compiled.
    const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
    const uri = pathToFileURL(driver).toString();
    expect(codes(await server.open(uri, fs.readFileSync(driver, 'utf8')))).toEqual(fromCli);
    // Without the define the delete is compiled: the database change re-indexes and the finding goes.
    const db = path.join(dir, 'compile_commands.json');
    const cleared = server.diagnostics(uri, (p) => codes(p).length === 0);
    fs.writeFileSync(db, fs.readFileSync(db, 'utf8').replace('"/DNOTES_KEEP_LOOKASIDE", ', ''));
    await server.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(db).toString(), type: FileChangeType.Changed }] });
    expect(codes(await cleared)).toEqual([]);
  });
});
