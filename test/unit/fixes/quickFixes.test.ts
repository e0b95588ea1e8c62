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

describe('double-free and unchecked-status fixes in detail', () => {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const only = (source: string, code: string) => analyse(source).filter((f) => f.code === code);
  const newOnes = (before: Finding[], after: Finding[]) => after.filter((f) => !before.some((b) => key(b) === key(f))).map((f) => f.code);

  it('a double free in one block: removing the second free is preferred, clearing after the first comes next; both fix', () => {
    const source = read('ecp-double-free-pos-freed-twice-in-sequence.c');
    const before = analyse(source);
    const [finding] = before.filter((f) => f.code === 'ecp-double-free');
    expect(finding.fixes.map((f) => [f.title, f.preferred === true])).toEqual([
      ['Remove the second free of tagEcp', true],
      ['Set tagEcp to NULL after the first free', false],
      ['Ignore ecp-double-free on this line', false],
      ['Ignore ecp-double-free in this file', false],
    ]);
    const removed = applyFix(source, finding.fixes[0]);
    expect(removed.split('\n').filter((l) => /FltFreeExtraCreateParameter\(/.test(l))).toHaveLength(1);
    expect(removed.split('\n')).toHaveLength(source.split('\n').length - 1);
    for (const fix of finding.fixes.slice(0, 2)) {
      const after = analyse(applyFix(source, fix));
      expect(only(applyFix(source, fix), 'ecp-double-free'), fix.title).toEqual([]);
      expect(newOnes(before, after), fix.title).toEqual([]);
    }
  });

  it('a second free that is another path\'s cleanup is not removed: only the pointer is cleared', () => {
    for (const name of ['ecp-double-free-pos-context-freed-twice.c', 'ecp-double-free-pos-list-freed-twice-when-flag.c']) {
      const [finding] = only(read(name), 'ecp-double-free');
      expect(finding.fixes.some((f) => /^Remove the second free/.test(f.title)), name).toBe(false);
      expect(finding.fixes[0].preferred, name).toBe(true);
    }
  });

  it('the status check goes right after the call that failed, not after a free in an earlier error branch', () => {
    const source = read('ecp-unchecked-status-pos-error-branch-free-between.c');
    const [finding] = only(source, 'ecp-unchecked-status');
    const fix = finding.fixes[0];
    expect(fix.title).toBe('Check the status of FltAllocateExtraCreateParameter before using its result');
    const lines = source.split('\n');
    const allocEnd = lines.findIndex((l) => l.includes('(PVOID *)&tagEcp);'));
    expect(fix.edits).toHaveLength(1);
    expect(fix.edits[0].range.start.line).toBe(allocEnd);
    const fixed = applyFix(source, fix).split('\n');
    expect(fixed.slice(allocEnd + 1, allocEnd + 4).map((l) => l.trim())).toEqual(['if (!NT_SUCCESS(status)) {', 'return status;', '}']);
    expect(fixed[allocEnd + 4].trim()).toMatch(/^listStatus = FltAllocateExtraCreateParameterList/);
  });
});
