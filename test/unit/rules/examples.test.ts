import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser } from '../../../server/src/parsing/parser';
import { runFixture, EXAMPLE_MARKER } from './fixtureRunner';

const DIR = path.resolve(__dirname, '../../../examples');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.c')).sort();

beforeAll(async () => {
  await initParser();
});

describe('examples/ produce exactly the findings their comments describe', () => {
  it('has examples, one of them with mistakes', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files).toContain('attach-ecp-mistakes.c');
  });
  for (const file of files) {
    it(file, () => {
      const r = runFixture(path.join(DIR, file), EXAMPLE_MARKER);
      const show = (f: { code: string; range: { start: { line: number } }; message: string }) => `${f.code}@${f.range.start.line + 1}: ${f.message}`;
      expect({ missing: r.missing.map((m) => `${m.code}@${m.line + 1}`), unexpected: r.unexpected.map(show) }).toEqual({ missing: [], unexpected: [] });
      if (file === 'attach-ecp-mistakes.c') expect(r.expected.length).toBeGreaterThanOrEqual(5);
    });
  }
});
