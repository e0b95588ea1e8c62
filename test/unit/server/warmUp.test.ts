/** The warm-up at initialize runs the real engine on its built-in text, and only on it. */
import { describe, it, expect, beforeAll } from 'vitest';
import { initParser } from '../../../server/src/parsing/parser';
import { warmUp } from '../../../server/src/warmUp';

beforeAll(async () => {
  await initParser();
});

describe('warm-up', () => {
  it('analyses every copy of its text to the findings it was written with, and serialises them', () => {
    const wired: unknown[] = [];
    const report = warmUp((f) => {
      wired.push(f);
      return { code: f.code };
    });
    // Each copy has one function with a list leaked on an early return and a context freed twice.
    const copies = new Set(report.findings.map((f) => f.functionName));
    expect(copies.size).toBeGreaterThan(1);
    for (const name of copies) {
      expect(name).toMatch(/^WarmUpLeak_w\d+$/);
      expect(report.findings.filter((f) => f.functionName === name).map((f) => f.code).sort()).toEqual(['ecp-double-free', 'ecp-list-leak']);
    }
    expect(wired).toHaveLength(report.findings.length);
  });
});
