import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
let entries: string[] = [];
let size = 0;

beforeAll(() => {
  // Packages the current dist/ (built by npm install / npm run build) without rebuilding it,
  // so other tests that run the built server are not disturbed.
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-vsix-')), 'ecp-lens.vsix');
  const vsce = path.join(ROOT, 'node_modules/@vscode/vsce/vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], { cwd: ROOT, stdio: 'pipe' });
  size = fs.statSync(out).size;
  const listing = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  entries = listing.split('\n').map((l) => l.trim()).filter(Boolean);
}, 120_000);

describe('the .vsix', () => {
  it('holds the bundles, the wasm files, snippets, docs, README and LICENSE', () => {
    for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/tree-sitter-c.wasm', 'dist/tree-sitter-cpp.wasm', 'dist/web-tree-sitter.wasm', 'README.md', 'LICENSE', 'package.json']) {
      expect(entries, f).toContain(f);
    }
    for (const snippet of fs.readdirSync(path.join(ROOT, 'snippets')).filter((f) => f.endsWith('.json'))) {
      expect(entries).toContain(`snippets/${snippet}`);
    }
  });

  it('holds no sources, tests, maps or node_modules', () => {
    const forbidden = entries.filter((e) => /^(client\/src|server|test|node_modules|examples|bench)\//.test(e) || e.endsWith('.ts') || e.endsWith('.map'));
    expect(forbidden).toEqual([]);
  });

  it('stays under 3 MB', () => {
    expect(size).toBeGreaterThan(100_000);
    expect(size).toBeLessThan(3 * 1024 * 1024);
  });
});
