/**
 * Systematic fault injection resumes each fault path from the state the shared prefix reached
 * just before the failed attempt. Over every ECP function of the simulator fixtures, the examples
 * and the rule fixtures, the table it gives equals the one from running each fault path from the
 * function's start.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { simulate, SimulateError } from '../../../server/src/simulate/simulate';
import type { Trace } from '../../../server/src/protocol';
import { manyAllocations } from '../../protocol/heavy';

const ROOT = join(__dirname, '../../..');
const DIRS = ['test/fixtures/simulate', 'examples', 'test/fixtures/rules', 'test/fixtures/engine'];

function sources(): { name: string; text: string }[] {
  return DIRS.flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.c')).map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(ROOT, dir, f), 'utf8') })));
}

/** The explored table of each ECP function, or the error the simulation gave. */
function tables(name: string, text: string, sharePrefix: boolean): Record<string, Trace['explored'] | string> {
  const parsed = parseText(text);
  const uri = `file:///${name}`;
  const out: Record<string, Trace['explored'] | string> = {};
  try {
    let functions: string[];
    try {
      functions = simulate(parsed, text, uri, { textDocument: { uri } }).functions.map((f) => f.name);
    } catch {
      return out;
    }
    for (const fn of functions) {
      try {
        const t = simulate(parsed, text, uri, { textDocument: { uri }, function: fn, faults: { systematic: true } }, { faultBounds: { sharePrefix, maxMs: Infinity } });
        out[fn] = t.explored;
      } catch (err) {
        if (!(err instanceof SimulateError)) throw err;
        out[fn] = err.message;
      }
    }
  } finally {
    parsed.tree.delete();
  }
  return out;
}

describe('systematic fault injection shares the prefix of its fault paths', () => {
  it('gives the table of runs from the start on every fixture function', async () => {
    await initParser();
    let compared = 0;
    for (const { name, text } of sources()) {
      const shared = tables(name, text, true);
      expect(shared, name).toEqual(tables(name, text, false));
      compared += Object.values(shared).filter((t) => Array.isArray(t) && t.length > 0).length;
    }
    // The corpus has functions with allocations to fail, not only trivial ones.
    expect(compared).toBeGreaterThan(50);
  }, 120_000);

  it('fails 100 sites within a work bound that runs from the start exceed', async () => {
    await initParser();
    const text = manyAllocations('Many', 100);
    const parsed = parseText(text);
    const systematic = (sharePrefix: boolean) =>
      simulate(parsed, text, 'file:///many.c', { textDocument: { uri: 'file:///many.c' }, function: 'Many', faults: { systematic: true } }, { faultBounds: { sharePrefix, maxMs: Infinity, maxStatements: 10_000 } });
    try {
      // The statement count is the work, the same on every machine: the prefix runs once, and
      // each fault path adds only its failed call and return.
      const shared = systematic(true);
      expect(shared.explored?.map((e) => e.failedAllocation)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(shared.explored?.every((e) => e.leaks === 0 && e.bugCheck === null)).toBe(true);
      expect(shared.exploredBound).toBeUndefined();
      // Each fault path from the start runs the prefix again: the same bound stops it, and says so.
      const rerun = systematic(false);
      expect(rerun.exploredBound).toMatch(/^stopped after \d+ of 100 allocation sites: the budget of 10000 statements ran out; the other \d+ were not failed$/);
      expect(rerun.explored).toEqual(shared.explored?.slice(0, rerun.explored?.length));
    } finally {
      parsed.tree.delete();
    }
  });
});
