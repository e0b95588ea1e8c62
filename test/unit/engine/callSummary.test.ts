/**
 * Call summaries must change how much work a run does, never what it finds: every fixture and
 * example is run function by function with and without them, and the findings (with their
 * paths), the paths completed and the bounds must be the same.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText, languageFor } from '../../../server/src/parsing/parser';
import { buildFileModel } from '../../../server/src/engine/fileModel';
import { runFunction, type FunctionRun } from '../../../server/src/engine/analyzeFunction';

beforeAll(async () => {
  await initParser();
});

const ROOT = path.resolve(__dirname, '../../..');
const DIRS = ['test/fixtures/rules', 'test/fixtures/engine', 'test/fixtures/coverage', 'examples'];
const files = DIRS.flatMap((d) => {
  const dir = path.join(ROOT, d);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.(c|cpp)$/.test(f)).map((f) => path.join(d, f)) : [];
}).sort();

function outcome(run: FunctionRun) {
  return {
    findings: run.findings.map((f) => ({ code: f.code, site: f.site, message: f.message, related: f.related })),
    completed: run.completed.length,
    ended: run.completed.map((p) => p.ended?.site.line),
    boundHit: run.boundHit,
    endlessLoops: run.endlessLoops,
  };
}

function runBoth(text: string, language: 'c' | 'cpp', only?: string) {
  const parsed = parseText(text, language);
  const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
  const limits = { maxMillis: Infinity };
  return [...model.functions.values()].filter((fn) => !only || fn.name === only).map((fn) => ({
    name: fn.name,
    with: runFunction(model, fn, text, { limits }),
    without: runFunction(model, fn, text, { limits, summaries: false }),
  }));
}

describe('call summaries', () => {
  it('covers the fixtures', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  let reused = 0;
  for (const file of files) {
    it(`finds the same with and without them: ${file}`, () => {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const r of runBoth(text, languageFor(file) === 'cpp' ? 'cpp' : 'c')) {
        expect({ fn: r.name, ...outcome(r.with) }).toEqual({ fn: r.name, ...outcome(r.without) });
        reused += r.with.calls.reused;
      }
      // many-paths.c runs to the statement bound twice: seconds on a quiet machine, more under load.
    }, 120_000);
  }

  it('was compared on runs that reused summaries', () => {
    console.log(`call summaries reused across the fixtures: ${reused}`);
    expect(reused).toBeGreaterThan(20);
  });

  it('a helper entered again in a state it cannot tell apart is not run again', () => {
    const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/engine/summary-caller-flags.c'), 'utf8');
    const [r] = runBoth(text, 'c', 'FabrikamOpenWithHints');
    expect(r.with.boundHit).toBeNull();
    expect(r.with.findings.map((f) => f.code)).toEqual(r.without.findings.map((f) => f.code));
    // Sixteen caller paths reach the helper in one state it can see: its body runs once.
    expect(r.without.calls).toEqual({ ran: 16, reused: 0 });
    expect(r.with.calls).toEqual({ ran: 1, reused: 15 });
    expect(r.with.statements).toBeLessThan(r.without.statements);
  });

  it('a path that forks inside a helper counts once towards the path bound, not again at the return', () => {
    const text = `
      extern PFLT_FILTER gFilter;
      static const GUID G1 = { 1, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };
      static const GUID G2 = { 2, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };
      static const GUID G3 = { 3, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };
      static ULONG ReadHints(PECP_LIST List) {
        PVOID c;
        ULONG hints = 0;
        if (NT_SUCCESS(FltFindExtraCreateParameter(gFilter, List, &G1, &c, NULL))) hints |= 1;
        if (NT_SUCCESS(FltFindExtraCreateParameter(gFilter, List, &G2, &c, NULL))) hints |= 2;
        if (NT_SUCCESS(FltFindExtraCreateParameter(gFilter, List, &G3, &c, NULL))) hints |= 4;
        return hints;
      }
      VOID Caller(PECP_LIST List) { ReadHints(List); }
    `;
    for (const r of runBoth(text, 'c', 'Caller')) {
      expect(r.with.completed.length).toBe(8);
      expect(r.with.paths).toBe(8);
      expect(r.without.paths).toBe(8);
    }
  });
});
