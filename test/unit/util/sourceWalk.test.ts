/**
 * The CLI and the workspace index find their sources with one walk (`util/sourceWalk.ts`), so a
 * folder is the same program to both: the same build-output, dependency and dot folders are
 * passed over by `ecp-lens check DIR` and by the editor's index of DIR.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initParser } from '../../../server/src/parsing/parser';
import { collectSources } from '../../../server/src/cli/files';
import { WorkspaceIndex } from '../../../server/src/workspace';

let dir: string;
const FILES = ['src/Alpha.c', 'src/sub/Beta.h', 'Docs/Gamma.c', 'Debug/Delta.c', 'x64/Release/Epsilon.c', 'Release/Zeta.c', '.cache/Eta.c', 'node_modules/pkg/Theta.c', 'out/Iota.c', '.vscode/Kappa.h'];

beforeAll(async () => {
  await initParser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-walk-'));
  for (const f of FILES) {
    fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    // Each file names itself in a GUID, so the index tells which files it read.
    fs.writeFileSync(path.join(dir, f), `DEFINE_GUID(GUID_${path.basename(f).replace(/\.\w+$/, '')}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);\n`);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('source discovery shared by the CLI and the workspace index', () => {
  it('both read the same files of a folder and pass over the same folders', async () => {
    const cli = collectSources([dir]).files.map((f) => path.basename(f.path).replace(/\.\w+$/, '')).sort();
    const index = new WorkspaceIndex(20_000, path.join(dir, 'no-such-worker.js'));
    await index.indexFolders([pathToFileURL(dir).toString()], { begin() {}, report() {}, done() {} });
    const indexed = index.guids().map((g) => g.replace(/^GUID_/, '')).sort();
    expect(cli).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(indexed).toEqual(cli);
  });
});
