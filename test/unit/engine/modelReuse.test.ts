/**
 * The file model after an edit carries over what its unchanged functions read from their text
 * (text, digest, body identifiers) from the model before the edit. Random edits through the
 * document store must leave a model, and findings, equal to a model built from nothing.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser } from '../../../server/src/parsing/parser';
import { DocumentStore } from '../../../server/src/documents';
import { buildFileModel, functionText, functionDigest, bodyText, bodyIdentifiers, type FileModel } from '../../../server/src/engine/fileModel';
import { analyzeParsed } from '../../../server/src/analysis';
import { clearFunctionCache } from '../../../server/src/engine/analyzeFile';
import { random, randomChanges, type RawEdit } from '../../randomEdits';

const examples = path.join(__dirname, '../../../examples');
const BASE = ['attach-ecp-mistakes.c', 'lookaside.c', 'precreate-ecp.c'].map((f) => fs.readFileSync(path.join(examples, f), 'utf8')).join('\n');

beforeAll(async () => {
  await initParser();
});

/** Everything a model says about its functions, including what is read from their text. */
function described(model: FileModel): string[] {
  return [...model.functions.values()].map((fn) =>
    JSON.stringify([fn.name, fn.node.startIndex, fn.body.startIndex, fn.params, fn.returnType, fn.annotations, fn.startIrql, functionText(fn), functionDigest(fn), bodyText(fn), [...bodyIdentifiers(fn)].sort()]),
  );
}

function findings(result: ReturnType<typeof analyzeParsed>): string {
  return JSON.stringify(result.findings.map((f) => [f.code, f.range, f.message, f.related]));
}

describe('the file model after an edit', () => {
  for (const seed of [21, 22, 23, 24]) {
    it(`random edits (seed ${seed}) give the model and findings of a model built afresh`, () => {
      const rnd = random(seed);
      const store = new DocumentStore();
      const uri = 'file:///t/reuse.c';
      let text = seed % 2 === 0 ? BASE.replace(/\n/g, '\r\n') : BASE;
      const stored = store.open(uri, 'c', 1, text);
      store.fileModel(stored);
      const undo: RawEdit[] = [];
      for (let step = 0; step < 60; step++) {
        const next = randomChanges(text, rnd, undo);
        const changes = next.changes;
        text = next.text;
        store.change(uri, step + 2, changes);
        // Some versions are never modelled (edits typed faster than the diagnostics run).
        if (rnd() < 0.3) continue;
        const parsed = stored.parsed;
        const reused = store.fileModel(stored);
        const fresh = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
        expect(described(reused), `step ${step}`).toEqual(described(fresh));
        if (step % 6 === 0) {
          clearFunctionCache();
          const withReused = findings(analyzeParsed(parsed, text, { model: reused }));
          clearFunctionCache();
          expect(withReused, `step ${step}`).toBe(findings(analyzeParsed(parsed, text, { model: fresh })));
        }
      }
      store.dispose();
    });
  }

  it('reads only the edited function from the tree again', () => {
    const store = new DocumentStore();
    const uri = 'file:///t/carry.c';
    const stored = store.open(uri, 'c', 1, BASE);
    const before = store.fileModel(stored);
    for (const fn of before.functions.values()) functionDigest(fn);
    const edited = before.functions.get('ContosoOpenDoubleFree')!;
    const line = edited.body.startPosition.row + 1;
    store.change(uri, 2, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }]);
    const after = store.fileModel(stored);
    const unread = new Set<string>();
    for (const fn of after.functions.values()) {
      // A node's text read again from the tree throws: only the edited function may do so.
      Object.defineProperty(fn.node, 'text', { get: () => { unread.add(fn.name); throw new Error('read from the tree'); } });
      try {
        functionDigest(fn);
      } catch {
        // counted above
      }
    }
    expect([...unread]).toEqual(['ContosoOpenDoubleFree']);
    expect(after.functions.size).toBeGreaterThan(8);
    store.dispose();
  });
});
