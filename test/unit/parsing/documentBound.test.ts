/**
 * The document store keeps the parse (tree, masked text) and the analysis of only the most
 * recently used documents: an older one is parsed again when read, and every feature must see the
 * same parse and findings as if it had never been dropped.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { DocumentStore } from '../../../server/src/documents';
import { analyzeParsed } from '../../../server/src/analysis';

const MISTAKES = fs.readFileSync(path.join(__dirname, '../../../examples/attach-ecp-mistakes.c'), 'utf8');

beforeAll(async () => {
  await initParser();
});

function findings(store: DocumentStore, uri: string): string[] {
  const stored = store.get(uri)!;
  const result = store.cached(stored, 'analysis', () => analyzeParsed(stored.parsed, stored.document.getText(), { model: store.fileModel(stored) }));
  return result.findings.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character} ${f.fixes.map((x) => x.title).join('|')}`);
}

describe('document store bound', () => {
  it('drops the parse and analysis of the least recently used documents and re-parses them on demand', () => {
    const store = new DocumentStore(2);
    const uris = ['a', 'b', 'c'].map((n) => `file:///t/${n}.c`);
    const expected = findings((() => { const s = new DocumentStore(1); s.open('file:///t/x.c', 'c', 1, MISTAKES); return s; })(), 'file:///t/x.c');
    expect(expected.length).toBeGreaterThan(3);
    for (const uri of uris) {
      store.open(uri, 'c', 1, MISTAKES);
      expect(findings(store, uri)).toEqual(expected);
    }
    // Opening the third dropped the first; the two most recent keep theirs.
    expect(uris.map((u) => store.isParsed(u))).toEqual([false, true, true]);
    const first = store.get(uris[0])!;
    expect(first.cache.size).toBe(0);
    // Read again: the same parse and the same findings (fixes included) as a fresh open.
    const fresh = parseText(MISTAKES);
    expect(first.parsed.masked).toBe(fresh.masked);
    expect(first.parsed.tree.rootNode.toString()).toBe(fresh.tree.rootNode.toString());
    fresh.tree.delete();
    expect(findings(store, uris[0])).toEqual(expected);
    store.dispose();
  });

  it('applies an edit to a dropped document and parses the edited text', () => {
    const store = new DocumentStore(1);
    store.open('file:///t/a.c', 'c', 1, MISTAKES);
    store.open('file:///t/b.c', 'c', 1, MISTAKES);
    expect(store.isParsed('file:///t/a.c')).toBe(false);
    const line = MISTAKES.split('\n').findIndex((l) => l.includes('FltFreeExtraCreateParameterList'));
    const stored = store.change('file:///t/a.c', 2, [{ range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' }])!;
    const edited = stored.document.getText();
    expect(edited).not.toBe(MISTAKES);
    const fresh = parseText(edited);
    expect(stored.parsed.masked).toBe(fresh.masked);
    expect(stored.parsed.tree.rootNode.toString()).toBe(fresh.tree.rootNode.toString());
    fresh.tree.delete();
    store.dispose();
  });

  it('never drops a pinned document (a sliced run reads its tree across turns)', () => {
    const store = new DocumentStore(1);
    store.open('file:///t/a.c', 'c', 1, MISTAKES);
    store.pin('file:///t/a.c');
    const tree = store.get('file:///t/a.c')!.parsed.tree;
    store.open('file:///t/b.c', 'c', 1, MISTAKES);
    store.open('file:///t/c.c', 'c', 1, MISTAKES);
    expect(store.isParsed('file:///t/a.c')).toBe(true);
    // The document just opened keeps its parse too; the one before it does not.
    expect(store.isParsed('file:///t/c.c')).toBe(true);
    expect(store.isParsed('file:///t/b.c')).toBe(false);
    expect(store.get('file:///t/a.c')!.parsed.tree).toBe(tree);
    expect(tree.rootNode.type).toBe('translation_unit');
    store.unpin('file:///t/a.c');
    store.open('file:///t/d.c', 'c', 1, MISTAKES);
    expect(store.isParsed('file:///t/a.c')).toBe(false);
    store.dispose();
  });
});
