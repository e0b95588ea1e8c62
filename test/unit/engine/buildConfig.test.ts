import { describe, it, expect, beforeAll } from 'vitest';
import * as path from 'node:path';
import { initParser, loadLanguage } from '../../../server/src/parsing/parser';
import { includeReaderFor } from '../../../server/src/analysis';
import { BuildConfiguration } from '../../../server/src/build/buildConfig';
import { runFixture } from '../rules/fixtureRunner';

const DIR = path.resolve(__dirname, '../../fixtures/projects/build-config-driver');

beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
});

function check(file: string, config: BuildConfiguration) {
  const fb = config.forFile(file);
  return runFixture(file, undefined, { readInclude: includeReaderFor(file, DIR, fb?.includePaths), build: fb?.facts });
}

const show = (r: ReturnType<typeof check>) => ({
  missing: r.missing.map((m) => `${m.code}@${m.line + 1}`),
  unexpected: r.unexpected.map((f) => `${f.code}@${f.range.start.line + 1}: ${f.message}`),
});

describe('a project configured by its compile database', () => {
  const config = BuildConfiguration.load(path.join(DIR, 'compile_commands.json'));

  for (const file of config.files()) {
    it(`${path.relative(DIR, file)} meets its inline expectations under the database`, () => {
      const r = check(file, config);
      expect(r.expected.length).toBeGreaterThan(0);
      expect(show(r)).toEqual({ missing: [], unexpected: [] });
    });
  }

  it('the database parses policy.h as C++ (the C grammar cannot read its class)', () => {
    const file = path.join(DIR, 'src/policy.h');
    expect(config.forFile(file)!.facts.language).toBe('cpp');
    const asC = runFixture(file, undefined, { readInclude: includeReaderFor(file, DIR) });
    expect(asC.findings).toEqual([]);
  });

  const lines = (r: ReturnType<typeof check>) => r.findings.map((f) => `${f.code}@${f.range.start.line + 1}`);
  const tagger = path.join(DIR, 'src/tagger.c');

  it('a configuration without USE_ECP_V2 drops the V2 arms: their leaks are not reported', () => {
    const entries = [{ file: tagger, directory: DIR, includePaths: [path.join(DIR, 'include')], macros: [{ name: 'TAG_LAYOUT', value: '2' }], forcedIncludes: [] }];
    expect(lines(check(tagger, new BuildConfiguration(undefined, entries)))).toEqual(['ecp-context-leak@38']);
  });

  it('an #ifdef of a name the angle-included header defines counts as defined', () => {
    const entries = [{ file: tagger, directory: DIR, includePaths: [path.join(DIR, 'include')], macros: [], forcedIncludes: [] }];
    expect(lines(check(tagger, new BuildConfiguration(undefined, entries)))).toContain('ecp-context-leak@38');
  });

  it('without the include folder: the header macro is unknown (no V2 leak through it), and a name the lost header may define is not taken as undefined', () => {
    const entries = [{ file: tagger, directory: DIR, includePaths: [], macros: [{ name: 'USE_ECP_V2', value: '1' }, { name: 'TAG_LAYOUT', value: '2' }], forcedIncludes: [] }];
    const r = check(tagger, new BuildConfiguration(undefined, entries));
    expect(lines(r)).toEqual(['ecp-context-leak@38', 'ecp-context-leak@71']);
  });

  it('a forced include (-include, /FI) is read before the file: its status macro applies', () => {
    const forced = path.join(DIR, 'include/tagdefs.h');
    const entries = [{ file: tagger, directory: DIR, includePaths: [], macros: [{ name: 'USE_ECP_V2', value: '1' }], forcedIncludes: [forced] }];
    expect(lines(check(tagger, new BuildConfiguration(undefined, entries)))).toContain('ecp-context-leak@14');
    expect(lines(check(tagger, new BuildConfiguration(undefined, [{ ...entries[0], forcedIncludes: [] }])))).not.toContain('ecp-context-leak@14');
  });
});
