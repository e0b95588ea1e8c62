/**
 * Every preferred quick fix on every positive rule fixture is applied and the file re-analysed:
 * the finding it fixes is gone and no finding appears that was not there before.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed, type Finding } from '../../../server/src/analysis';
import { applyFix } from './applyFix';

const dir = path.join(__dirname, '../../fixtures/rules');
const positives = fs.readdirSync(dir).filter((n) => /-pos-/.test(n));

/** Rules that must offer a real fix on each of their positive fixtures. */
const MECHANICAL = ['ecp-flag-family', 'ecp-double-free', 'ecp-free-inserted', 'ecp-unchecked-status', 'ecp-create-context', 'ecp-wrong-free', 'ecp-api-family-mix', 'ecp-null-list', 'ecp-lookaside-flags'];

beforeAll(async () => {
  await initParser();
});

function analyse(source: string): Finding[] {
  const parsed = parseText(source);
  try {
    return analyzeParsed(parsed, source).findings;
  } finally {
    parsed.tree.delete();
  }
}

const key = (f: Finding) => `${f.code}:${f.functionName}`;

describe('preferred quick fixes fix', () => {
  for (const name of positives) {
    it(name, () => {
      const source = fs.readFileSync(path.join(dir, name), 'utf8');
      const before = analyse(source);
      for (const finding of before) {
        const preferred = finding.fixes.filter((f) => f.preferred);
        expect(preferred.length, `${finding.code}: at most one preferred fix`).toBeLessThanOrEqual(1);
        const suppressions = finding.fixes.filter((f) => /^Ignore /.test(f.title));
        expect(suppressions.every((s) => !s.preferred), 'a suppression is never preferred').toBe(true);
        expect(finding.fixes.slice(-suppressions.length)).toEqual(suppressions);
        if (MECHANICAL.includes(finding.code) || (finding.code === 'ecp-context-leak' && /failed insert/.test(finding.message))) {
          expect(preferred, `${name}: ${finding.code} has a real fix`).toHaveLength(1);
        }
        if (!preferred[0]) continue;
        expect(finding.fixes[0]).toBe(preferred[0]);
        const fixed = applyFix(source, preferred[0]);
        const after = analyse(fixed);
        const remaining = after.filter((f) => key(f) === key(finding));
        const beforeSame = before.filter((f) => key(f) === key(finding));
        expect(remaining.length, `${preferred[0].title} removes the ${finding.code}\n${fixed}`).toBe(beforeSame.length - 1);
        const known = new Set(before.map(key));
        expect(after.filter((f) => !known.has(key(f))).map((f) => `${f.code}@${f.range.start.line + 1}: ${f.message}`), `${preferred[0].title}\n${fixed}`).toEqual([]);
      }
    });
  }
});
