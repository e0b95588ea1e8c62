import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, loadLanguage } from '../../../server/src/parsing/parser';
import { RULE_CODES } from '../../../server/src/rules/registry';
import { runFixture } from './fixtureRunner';

const DIR = path.resolve(__dirname, '../../fixtures/rules');
const files = fs.readdirSync(DIR).filter((f) => /\.(c|cpp)$/.test(f)).sort();

beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
});

describe('rule fixtures: every finding expected, every expectation found', () => {
  for (const file of files) {
    it(file, () => {
      const r = runFixture(path.join(DIR, file));
      expect(r.none || r.expected.length > 0, 'fixture declares its expectations').toBe(true);
      const show = (f: { code: string; range: { start: { line: number } }; message: string }) => `${f.code}@${f.range.start.line + 1}: ${f.message}`;
      expect({ missing: r.missing.map((m) => `${m.code}@${m.line + 1}`), unexpected: r.unexpected.map(show) }).toEqual({ missing: [], unexpected: [] });
    });
  }
});

describe('fixture coverage', () => {
  it('has a positive and a negative fixture for every rule', () => {
    for (const code of RULE_CODES) {
      expect(files.some((f) => f.startsWith(`${code}-pos-`)), `${code} positive`).toBe(true);
      expect(files.some((f) => f.startsWith(`${code}-neg-`)), `${code} negative`).toBe(true);
    }
  });
});
