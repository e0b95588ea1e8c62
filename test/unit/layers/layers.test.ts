import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import { MAY_IMPORT, importsOf, sourcesUnder, violations } from './importGraph';

const SRC = path.resolve(__dirname, '../../../server/src');

describe('layering of the server sources', () => {
  const files = sourcesUnder(SRC);

  it('the engine, parsing, kernel, catalog and util import only from the layers below them', () => {
    expect(violations(files)).toEqual([]);
  });

  it('reads the real graph: every lower layer has files, and the engine imports the layers below it', () => {
    for (const layer of Object.keys(MAY_IMPORT)) expect([...files.keys()].some((f) => f.startsWith(`${layer}/`)), layer).toBe(true);
    const engineImports = [...files].filter(([f]) => f.startsWith('engine/')).flatMap(([, t]) => importsOf(t));
    for (const below of ['../parsing/parser', '../kernel/types', '../catalog']) expect(engineImports).toContain(below);
    // The layers above do use the engine: the check is not vacuous.
    expect(importsOf(files.get('checkFile.ts')!)).toContain('./engine/analyzeFile');
  });

  it('catches every import form a lower-layer file could use to reach upwards', () => {
    const fake = new Map([
      ['engine/a.ts', "import { x } from '../rules/syntactic';"],
      ['engine/b.ts', "import type {\n  Y,\n} from '../lifecycle/facts';"],
      ['engine/c.ts', "export * from '../features/hover';"],
      ['parsing/d.ts', "type T = import('../analysis').Finding;"],
      ['kernel/e.ts', "const m = require('../cli/run');"],
      ['util/f.ts', "import '../server';"],
      ['engine/g.ts', "import { Connection } from 'vscode-languageserver/node';"],
      ['engine/sub/h.ts', "import { k } from '../../simulate/simulate';"],
      ['kernel/i.ts', "import { p } from '../engine/state';"],
      ['engine/ok.ts', "import { a } from './state';\nimport { b } from '../kernel/types';\nimport { c } from '../catalog';\nimport * as fs from 'node:fs';"],
      ['catalog/index.ts', ''],
      ['engine/j.ts', "import { d } from '../rules';"],
      ['rules/index.ts', ''],
      ['rules/above.ts', "import { c } from '../engine/analyzeFile';"],
    ]);
    const found = violations(fake).map((v) => `${v.file}→${v.target}`);
    expect(found).toEqual(['engine/a.ts→rules', 'engine/b.ts→lifecycle', 'engine/c.ts→features', 'parsing/d.ts→<top>', 'kernel/e.ts→cli', 'util/f.ts→<top>', 'engine/g.ts→vscode-languageserver/node', 'engine/sub/h.ts→simulate', 'kernel/i.ts→engine', 'engine/j.ts→rules']);
  });
});
