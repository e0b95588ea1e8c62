/**
 * The workspace index reads and parses files in a worker thread (the built `dist/indexWorker.js`)
 * and must learn exactly what indexing on the server's own thread learns; a worker that dies
 * leaves nothing out: the files it did not answer for are indexed on the server's thread.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initParser, loadLanguage } from '../../../server/src/parsing/parser';
import { WorkspaceIndex, type IndexProgress } from '../../../server/src/workspace';

const ROOT = path.resolve(__dirname, '../../..');
const WORKER = path.join(ROOT, 'dist/indexWorker.js');
const PROJECTS = path.join(ROOT, 'test/fixtures/projects');
const quiet: IndexProgress = { begin() {}, report() {}, done() {} };

let dir: string;
beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-index-worker-'));
  // Both fixture projects (C and C++), and a file the index must report as unreadable.
  for (const project of fs.readdirSync(PROJECTS)) fs.cpSync(path.join(PROJECTS, project), path.join(dir, project), { recursive: true });
  fs.writeFileSync(path.join(dir, 'huge.c'), 'int x;\n'.repeat(1_300_000));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What an index knows, as comparable data: facts seen from each file, GUIDs, completeness. */
async function learn(script: string): Promise<{ count: number; reason: string | undefined; problem: string | undefined; facts: unknown[]; guids: string[] }> {
  const index = new WorkspaceIndex(20_000, script);
  const count = await index.indexFolders([pathToFileURL(dir).toString()], quiet);
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(c|cpp|h)$/.test(f)).sort();
  const facts = files.map((f) => {
    const seen = index.factsFor(pathToFileURL(path.join(dir, f)).toString());
    const definer = ['TaggerMakeList', 'WrapMakeList', 'DriverEntry'].map((name) => seen.program?.definer(name));
    return { f, deletes: [...seen.lookasideDeletes].sort(), inits: [...seen.lookasideInits.keys()].sort(), definer, key: seen.programKey };
  });
  return { count, reason: index.incompleteReason, problem: index.workerProblem, facts, guids: index.guids() };
}

describe('workspace index worker', () => {
  it('learns the same facts as indexing on the server thread', async () => {
    expect(fs.existsSync(WORKER)).toBe(true);
    const inWorker = await learn(WORKER);
    const here = await learn(path.join(dir, 'no-such-worker.js'));
    expect(inWorker.problem).toBeUndefined();
    expect(inWorker).toEqual(here);
    // Not vacuous: the projects' wrappers are found in other files, and the huge file is reported.
    expect(inWorker.facts.some((f) => (f as { definer: unknown[] }).definer.some((d) => typeof d === 'string'))).toBe(true);
    expect(inWorker.reason).toMatch(/could not be read/);
  });

  it('indexes on the server thread what a failed worker did not answer for', async () => {
    const dying = path.join(dir, 'dying-worker.js');
    fs.writeFileSync(dying, 'process.exit(3);\n');
    const afterFailure = await learn(dying);
    expect(afterFailure.problem).toMatch(/exit code 3/);
    const here = await learn(path.join(dir, 'no-such-worker.js'));
    expect({ ...afterFailure, problem: undefined }).toEqual(here);
  });
});

describe('a file the index cannot take', () => {
  it('leaves the index incomplete (its lookaside delete may be the one that counts)', async () => {
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'ecp-index-throw-'));
    try {
      fs.writeFileSync(path.join(tree, 'setup.c'), "NPAGED_LOOKASIDE_LIST g;\nVOID S(VOID) { FsRtlInitExtraCreateParameterLookasideList(&g, 0, 64, 'pcEx'); }\n");
      fs.writeFileSync(path.join(tree, 'teardown.c'), 'extern NPAGED_LOOKASIDE_LIST g;\nVOID T(VOID) { FsRtlDeleteExtraCreateParameterLookasideList(&g, 0); }\n');
      // On the server's thread (no worker script), reading teardown.c's facts throws (its
      // language is asked first, and answered).
      const index = new WorkspaceIndex(20_000, path.join(tree, 'no-such-worker.js'));
      let asked = 0;
      index.viewOf = (file) => {
        if (file.endsWith('teardown.c') && asked++ > 0) throw new Error('cannot take this file');
        return undefined;
      };
      await index.indexFolders([pathToFileURL(tree).toString()], quiet);
      expect(index.incompleteReason).toContain('teardown.c: could not be indexed (cannot take this file)');
      expect(index.factsFor(pathToFileURL(path.join(tree, 'setup.c')).toString()).complete).toBe(false);
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });
});
