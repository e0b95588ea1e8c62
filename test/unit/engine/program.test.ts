import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initParser, loadLanguage } from '../../../server/src/parsing/parser';
import { includeReaderFor } from '../../../server/src/analysis';
import { WorkspaceIndex } from '../../../server/src/workspace';
import { runFixture } from '../rules/fixtureRunner';

const ROOT = path.resolve(__dirname, '../../fixtures/projects');
const projects = fs.readdirSync(ROOT).filter((d) => fs.statSync(path.join(ROOT, d)).isDirectory()).sort();

function sourcesOf(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.(c|cpp|h|hpp)$/.test(f)).sort().map((f) => path.join(dir, f));
}

beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
});

describe('multi-file projects: each file analysed as part of its program', () => {
  for (const project of projects) {
    const dir = path.join(ROOT, project);
    const files = sourcesOf(dir);
    let index: WorkspaceIndex | undefined;
    const program = () => (index ??= WorkspaceIndex.ofFiles(files.map((f) => ({ uri: pathToFileURL(f).toString(), text: fs.readFileSync(f, 'utf8') }))));
    for (const file of files.filter((f) => !/\.h(pp)?$/.test(f))) {
      it(`${project}/${path.basename(file)}`, () => {
        const workspace = program().factsFor(pathToFileURL(file).toString());
        const r = runFixture(file, undefined, { workspace, readInclude: includeReaderFor(file, dir) });
        expect(r.none || r.expected.length > 0, 'fixture declares its expectations').toBe(true);
        const show = (f: { code: string; range: { start: { line: number } }; message: string }) => `${f.code}@${f.range.start.line + 1}: ${f.message}`;
        expect({ missing: r.missing.map((m) => `${m.code}@${m.line + 1}`), unexpected: r.unexpected.map(show) }).toEqual({ missing: [], unexpected: [] });
      });
    }
  }
});
