/**
 * ecpLens/simulate in a workspace (real server over stdio): a wrapper defined in another file of
 * the workspace runs at its call, and its steps name that file, as `ecp-lens simulate` does.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, ROOT, type TestServer } from './harness';
import { SimulateRequest, type Trace } from '../../server/src/protocol';

const PROJECT = path.join(ROOT, 'test/fixtures/projects/c-split-minifilter');
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('ecpLens/simulate follows calls into other workspace files', () => {
  it('steps through the wrapper in ecp.c, and agrees with the CLI given the folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-simprog-'));
    for (const f of fs.readdirSync(PROJECT)) fs.copyFileSync(path.join(PROJECT, f), path.join(dir, f));
    let indexed: () => void = () => {};
    const ready = new Promise<void>((resolve) => (indexed = resolve));
    server = await startServer({ diagnosticsDelay: 0 }, { workspaceFolders: [pathToFileURL(dir).toString()], onStatus: (s) => s.state === 'ready' && indexed() });
    await ready;
    const uri = pathToFileURL(path.join(dir, 'create.c')).toString();
    await server.open(uri, fs.readFileSync(path.join(dir, 'create.c'), 'utf8'));
    const trace = await server.connection.sendRequest<Trace>(SimulateRequest, { textDocument: { uri }, function: 'TaggerOpenLeaky' });
    const ecp = pathToFileURL(path.join(dir, 'ecp.c')).toString();
    expect(trace.steps.map((s) => s.file)).toEqual(trace.steps.map(() => ecp));
    expect(trace.steps.length).toBeGreaterThan(0);
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'simulate', path.join(dir, 'create.c'), dir, '--function', 'TaggerOpenLeaky', '--format', 'json'], { encoding: 'utf8' });
    const fromCli = JSON.parse(cli.stdout) as Trace;
    expect(trace.steps.map((s) => [s.routine, s.line, s.status])).toEqual(fromCli.steps.map((s) => [s.routine, s.line, s.status]));
  });
});
