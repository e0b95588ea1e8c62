import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initParser, loadLanguage } from '../../../server/src/parsing/parser';
import { includeReaderFor } from '../../../server/src/analysis';
import { WorkspaceIndex } from '../../../server/src/workspace';
import { BuildConfiguration } from '../../../server/src/build/buildConfig';
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
    // A project with a compile database is read under it, as the editor and the CLI read it.
    const db = path.join(dir, 'compile_commands.json');
    const config = fs.existsSync(db) ? BuildConfiguration.load(db) : undefined;
    const viewOf = (f: string) => {
      const fb = config?.forFile(f);
      return { readInclude: includeReaderFor(f, dir, fb?.includePaths), build: fb?.facts };
    };
    let index: WorkspaceIndex | undefined;
    const program = (): WorkspaceIndex => {
      if (index) return index;
      index = WorkspaceIndex.ofFiles(files.map((f) => ({ uri: pathToFileURL(f).toString(), text: fs.readFileSync(f, 'utf8'), view: viewOf(f) })));
      // A wrapper's file reads its own headers, as in the editor and the CLI.
      index.program.includeReaderFor = (uri) => viewOf(fileURLToPath(uri)).readInclude;
      index.program.buildFor = (uri) => viewOf(fileURLToPath(uri)).build;
      return index;
    };
    for (const file of files.filter((f) => !/\.h(pp)?$/.test(f))) {
      it(`${project}/${path.basename(file)}`, () => {
        const workspace = program().factsFor(pathToFileURL(file).toString());
        const r = runFixture(file, undefined, { workspace, ...viewOf(file) });
        expect(r.none || r.expected.length > 0, 'fixture declares its expectations').toBe(true);
        const show = (f: { code: string; range: { start: { line: number } }; message: string }) => `${f.code}@${f.range.start.line + 1}: ${f.message}`;
        expect({ missing: r.missing.map((m) => `${m.code}@${m.line + 1}`), unexpected: r.unexpected.map(show) }).toEqual({ missing: [], unexpected: [] });
      });
    }
  }
});
