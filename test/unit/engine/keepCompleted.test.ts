/**
 * A diagnostics run needs the findings, not the finished paths: with `keepCompleted: false` it
 * counts them and keeps none, and finds the same.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { buildFileModel } from '../../../server/src/engine/fileModel';
import { runFunction } from '../../../server/src/engine/analyzeFunction';

beforeAll(async () => {
  await initParser();
});

describe('finished paths of a run', () => {
  it('are counted but not kept when the caller wants only the findings', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../fixtures/engine/summary-caller-flags.c'), 'utf8');
    const parsed = parseText(text);
    const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
    const fn = model.functions.get('FabrikamOpenWithHints')!;
    const kept = runFunction(model, fn, text, { limits: { maxMillis: Infinity } });
    const counted = runFunction(model, fn, text, { limits: { maxMillis: Infinity }, keepCompleted: false });
    expect(kept.completed.length).toBeGreaterThan(16);
    expect(kept.completedCount).toBe(kept.completed.length);
    expect(counted.completed).toEqual([]);
    expect(counted.completedCount).toBe(kept.completedCount);
    expect(counted.findings).toEqual(kept.findings);
  });
});
