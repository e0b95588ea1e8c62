import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeFile } from '../../../server/src/checkFile';
import { includeReaderFor } from '../../../server/src/analysis';
import { BuildConfiguration } from '../../../server/src/build/buildConfig';

const DIR = path.resolve(__dirname, '../../fixtures/projects/build-config-driver');
const FILE = path.join(DIR, 'src/tagger.c');

beforeAll(async () => {
  await initParser();
});

function analyse(defines: string[]) {
  const config = new BuildConfiguration(undefined, [], { includePaths: [path.join(DIR, 'include')], defines });
  const fb = config.forFile(FILE)!;
  const text = fs.readFileSync(FILE, 'utf8');
  const parsed = parseText(text, 'c');
  try {
    const r = analyzeFile(parsed, text, { readInclude: includeReaderFor(FILE, DIR, fb.includePaths), build: fb.facts });
    return { analysed: r.analysedFunctions, cached: r.cachedFunctions, leaks: r.findings.map((f) => f.site.line + 1).sort((a, b) => a - b) };
  } finally {
    parsed.tree.delete();
  }
}

describe('the function cache and the build configuration', () => {
  it('the same configuration is served from the cache; another one re-analyses with its own arms', () => {
    const first = analyse(['USE_ECP_V2', 'TAG_LAYOUT=2']);
    const again = analyse(['USE_ECP_V2', 'TAG_LAYOUT=2']);
    expect(again.analysed).toBe(0);
    expect(again.leaks).toEqual(first.leaks);
    const other = analyse(['TAG_LAYOUT=2']);
    expect(other.cached).toBe(0);
    expect(first.leaks).toEqual([14, 38, 71]);
    expect(other.leaks).toEqual([38]);
  });
});
