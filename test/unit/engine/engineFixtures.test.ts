/**
 * Engine fixtures: inline expectations like the rule fixtures, for behaviour of the path walk
 * itself (where a path ends, which branches are explored) rather than of one rule's quick fix.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser } from '../../../server/src/parsing/parser';
import { runFixture } from '../rules/fixtureRunner';

const DIR = path.resolve(__dirname, '../../fixtures/engine');
const files = fs.readdirSync(DIR).filter((f) => /\.(c|cpp)$/.test(f)).sort();

beforeAll(async () => {
  await initParser();
});

describe('engine fixtures: every function walked to the end, every finding expected, every expectation found', () => {
  for (const file of files) {
    it(file, () => {
      // As the CLI runs: the statement and path bounds apply, the wall clock of a busy machine does not.
      const r = runFixture(path.join(DIR, file), undefined, { deterministic: true });
      expect(r.none || r.expected.length > 0).toBe(true);
      expect({ missing: r.missing.map((m) => `${m.code}@${m.line + 1}`), unexpected: r.unexpected.map((f) => `${f.code}@${f.range.start.line + 1}`), incomplete: r.incomplete }).toEqual({ missing: [], unexpected: [], incomplete: [] });
    });
  }
});
