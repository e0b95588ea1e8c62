/**
 * The CLI installs as users install CLIs: `npm pack`, then `npm install -g` of the tarball into a
 * fresh prefix, with no devDependencies, no build step and no network (dist/ ships built and
 * bundles what it needs). The installed `ecp-lens` then checks an example.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './helpers';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack + npm install -g', () => {
  it('installs a working ecp-lens from the packed tarball', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-pack-'));
    // dist/ is already built for the suite: pack it as it stands.
    const packed = JSON.parse(execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }));
    const names: string[] = packed[0].files.map((f: { path: string }) => f.path);
    expect(names).toContain('dist/cli.js');
    expect(names).toContain('dist/cli-worker.js');
    // The server's index worker: without it the server indexes in its own thread (other LSP clients run dist/server.js).
    expect(names).toContain('dist/indexWorker.js');
    expect(names).toContain('dist/tree-sitter-c.wasm');
    expect(names.filter((n) => n.startsWith('server/') || n.startsWith('test/') || n.endsWith('.map'))).toEqual([]);
    const prefix = path.join(work, 'prefix');
    execFileSync(NPM, ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(work, packed[0].filename)], { cwd: work, encoding: 'utf8' });
    const bin = path.join(prefix, 'bin', 'ecp-lens');
    const r = spawnSync(bin, ['check', path.join(ROOT, 'examples/attach-ecp-mistakes.c')], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('attach-ecp-mistakes.c:29:14: error: ');
    expect(r.stdout).toContain('[ecp-list-leak]');
    // Two files with --jobs 2 run in the installed worker threads.
    const pair = spawnSync(bin, ['check', '--jobs', '2', path.join(ROOT, 'examples/attach-ecp-mistakes.c'), path.join(ROOT, 'examples/lookaside.c')], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(pair.stderr).toBe('');
    expect(pair.stdout).toContain('attach-ecp-mistakes.c:29:14: error: ');
  }, 120_000);

  it('ships every bundle the build writes, in the npm package and in the VS Code extension alike', () => {
    // The index worker was built but left out of both whitelists: the installed extension indexed
    // the workspace in the server's own thread, and answered hovers behind it.
    const bundles = [...fs.readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8').matchAll(/outfile: `\$\{outdir\}\/([\w.-]+\.(?:js|css))`/g)].map((m) => `dist/${m[1]}`);
    expect(bundles).toEqual(expect.arrayContaining(['dist/server.js', 'dist/indexWorker.js', 'dist/cli-worker.js', 'dist/webview.js']));
    const npmFiles: string[] = JSON.parse(execFileSync(NPM, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }))[0].files.map((f: { path: string }) => f.path);
    const vsixFiles = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).split('\n').map((l) => l.trim());
    for (const bundle of bundles) {
      expect(npmFiles, `npm package ships ${bundle}`).toContain(bundle);
      expect(vsixFiles, `VS Code extension ships ${bundle}`).toContain(bundle);
    }
  }, 120_000);
});
