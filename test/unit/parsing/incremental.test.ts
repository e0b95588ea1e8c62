/**
 * The edit path against a fresh open: random LSP range edits applied through the document store
 * (incremental re-mask, tree edits from the change ranges, incremental parse) must leave exactly
 * the masked text, annotations, tree and findings that opening the final text gives.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { initParser, loadLanguage, parseText, type ParsedText, type Tree } from '../../../server/src/parsing/parser';
import { maskAnnotations, lonelyCrToLf } from '../../../server/src/parsing/mask';
import { DocumentStore } from '../../../server/src/documents';
import { analyzeParsed } from '../../../server/src/analysis';
import { random, randomChanges, type RawEdit } from '../../randomEdits';

const examples = path.join(__dirname, '../../../examples');

beforeAll(async () => {
  await initParser();
  await loadLanguage('cpp');
});

/** Every node with its type and both kinds of position: a wrong edit point shows up here. */
function dump(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.walk();
  for (;;) {
    const n = cursor.currentNode;
    out.push(`${n.type}${n.isMissing ? '!' : ''} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}`);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return out.join('\n');
      }
    }
  }
}

function findings(parsed: ParsedText, text: string): string[] {
  return analyzeParsed(parsed, text).findings.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`);
}

/** CRLF line ends (a backslash continuation keeps its LF: the grammar reads no `\\` CR LF). */
function crlf(text: string): string {
  return text.replace(/(?<!\\)\r?\n/g, '\r\n');
}

const BASE = [
  fs.readFileSync(path.join(examples, 'attach-ecp-mistakes.c'), 'utf8'),
  '/* a comment\n   over _In_ lines */\n_When_(Flags != 0,\n   _In_) VOID F(_In_ PVOID p) { char *s = "a \\\n _Out_ b"; }\n',
  crlf(fs.readFileSync(path.join(examples, 'lookaside.c'), 'utf8')),
].join('\n');

/** Every node's row and column agree with its offset, lines counted as LSP counts them (a lone CR ends one too). */
function positionsAgree(tree: Tree, original: string): string | undefined {
  const text = lonelyCrToLf(original);
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const point = (o: number) => {
    let row = starts.length - 1;
    while (starts[row] > o) row--;
    return `${row}:${o - starts[row]}`;
  };
  for (const line of dump(tree).split('\n')) {
    const [, span, pos] = line.split(' ');
    const [a, b] = span.split('-').map(Number);
    if (pos !== `${point(a)}-${point(b)}`) return line;
  }
  return undefined;
}

describe('incremental edits from LSP change ranges', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random range edits (seed ${seed}) end as a fresh open of the final text does`, () => {
      const rnd = random(seed);
      const store = new DocumentStore();
      const uri = 'file:///t/random.c';
      let text = seed % 2 === 0 ? crlf(BASE) : BASE;
      store.open(uri, 'c', 1, text);
      // Edits are undone as often as made, so the text keeps coming back to code without syntax
      // errors, where the tree must be exactly a fresh parse's (with errors, tree-sitter's own
      // incremental recovery may legitimately differ from a fresh parse).
      const undo: RawEdit[] = [];
      let exact = 0;
      for (let step = 0; step < 80; step++) {
        const next = randomChanges(text, rnd, undo);
        const changes = next.changes;
        text = next.text;
        const stored = store.change(uri, step + 2, changes)!;
        expect(stored.document.getText()).toBe(text);
        const fresh = parseText(text);
        try {
          expect(stored.parsed.mask.text).toBe(maskAnnotations(text).text);
          expect(stored.parsed.mask.annotations).toEqual(fresh.mask.annotations);
          expect(stored.parsed.mask.spans).toEqual(fresh.mask.spans);
          expect(positionsAgree(stored.parsed.tree, text)).toBeUndefined();
          if (!fresh.tree.rootNode.hasError) {
            exact++;
            expect(stored.parsed.masked).toBe(fresh.masked);
            expect(dump(stored.parsed.tree)).toBe(dump(fresh.tree));
            if (exact % 10 === 0) expect(findings(stored.parsed, text)).toEqual(findings(fresh, text));
          }
        } finally {
          fresh.tree.delete();
        }
      }
      expect(exact).toBeGreaterThan(10);
      store.dispose();
    });
  }

  it('edits on the later lines of multi-line comments, annotations and strings keep rows right', () => {
    const store = new DocumentStore();
    const uri = 'file:///t/lines.c';
    const base = 'int a;\n/* one\n   two _In_ */\n_When_(Flags != 0,\n   _In_ x)\nVOID F(_In_ PVOID p)\n{\n    char *s = "a \\\n b";\n    int c = reinterpret_cast<\n        int>(p);\n}\n';
    let version = 1;
    for (const eol of ['\n', '\r\n']) {
      const text = eol === '\n' ? base : base.replace(/(?<!\\)\n/g, '\r\n');
      store.open(uri, 'c', version++, text);
      const doc = TextDocument.create(uri, 'c', 0, text);
      for (let at = 0; at < text.length; at++) {
        if (text[at - 1] === '\r' && text[at] === '\n') continue;
        const p = doc.positionAt(at);
        const typed = text.slice(0, at) + 'x' + text.slice(at);
        const stored = store.change(uri, version++, [{ range: { start: p, end: p }, text: 'x' }])!;
        const fresh = parseText(typed);
        expect(stored.parsed.masked).toBe(fresh.masked);
        expect(positionsAgree(stored.parsed.tree, typed)).toBeUndefined();
        if (!fresh.tree.rootNode.hasError) expect(dump(stored.parsed.tree)).toBe(dump(fresh.tree));
        fresh.tree.delete();
        const back = TextDocument.create(uri, 'c', 0, typed);
        store.change(uri, version++, [{ range: { start: back.positionAt(at), end: back.positionAt(at + 1) }, text: '' }]);
        expect(dump(store.get(uri)!.parsed.tree)).toBe(dump(parseText(text).tree));
      }
    }
    store.dispose();
  });

  it('re-masks a multi-line annotation as a whole when its closing line is edited', () => {
    const store = new DocumentStore();
    const uri = 'file:///t/multi.c';
    const text = '_When_(Flags != 0,\n   _In_)\nVOID F(PVOID p);\n';
    store.open(uri, 'c', 1, text);
    // Deleting the closing parenthesis on line 2 un-masks line 1 as well.
    const stored = store.change(uri, 2, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 8 } }, text: '' }])!;
    const after = text.replace('_In_)', '_In_');
    expect(stored.parsed.masked).toBe(maskAnnotations(after).text);
    expect(stored.parsed.masked.startsWith('_When_')).toBe(false);
    store.dispose();
  });
});

/** The macro shapes of maskShapes.test.ts, C and C++: the window re-scan must agree with a full mask. */
const SHAPE_INSERTS = [' ', '  ', '\t', 'x', '\n', '\r\n', '{', '}', '(', ')', ';', '"', 'L"" NAME', 'try', 'try {', 'except', 'finally', ' finally', '} ', '#pragma once\n', '/*', '*/', 'leave;', '_In_ '];
const SHAPE_HOT = /try|except|finally|leave|#pragma|"|\{|\}|\(|\r?\n/g;

describe('re-masking after edits equals the mask of the new text', () => {
  const SEH_C = fs.readFileSync(path.join(__dirname, '../../fixtures/parsing/excpt-seh-shapes.c'), 'utf8');
  const cppBase = SEH_C.replace(/leave;/g, 'x;') + 'void K()\n{\n    Preset(&name, L"" PORT_NAME);\n    try { G(); } catch (...) { }\n}\n';
  for (const [lang, seed] of [['c', 11], ['c', 12], ['c', 13], ['cpp', 14], ['cpp', 15]] as const) {
    it(`${lang}: random edits around the shapes (seed ${seed})`, () => {
      const rnd = random(seed);
      const store = new DocumentStore();
      const uri = `file:///t/shapes.${lang}`;
      let text = lang === 'c' ? SEH_C : cppBase;
      if (seed % 2 === 0) text = text.replace(/\n/g, '\r\n');
      store.open(uri, lang, 1, text);
      for (let step = 0; step < 120; step++) {
        const hot = [...text.matchAll(SHAPE_HOT)];
        const m = hot[Math.floor(rnd() * hot.length)];
        let at = rnd() < 0.7 && m ? m.index! + Math.floor(rnd() * (m[0].length + 1)) : Math.floor(rnd() * (text.length + 1));
        if (text[at - 1] === '\r' && text[at] === '\n') at++;
        let end = rnd() < 0.5 ? at : Math.min(text.length, at + 1 + Math.floor(rnd() * 4));
        if (text[end - 1] === '\r' && text[end] === '\n') end++;
        const insert = rnd() < 0.3 ? '' : SHAPE_INSERTS[Math.floor(rnd() * SHAPE_INSERTS.length)];
        const doc = TextDocument.create(uri, lang, 0, text);
        const change = { range: { start: doc.positionAt(at), end: doc.positionAt(end) }, text: insert };
        text = text.slice(0, at) + insert + text.slice(end);
        const stored = store.change(uri, step + 2, [change])!;
        const fresh = maskAnnotations(text, lang);
        expect(fresh.text.length).toBe(text.length);
        expect(stored.parsed.mask.text, `step ${step}`).toBe(fresh.text);
        expect(stored.parsed.mask.annotations).toEqual(fresh.annotations);
        expect(stored.parsed.mask.spans).toEqual(fresh.spans);
      }
      store.dispose();
    });
  }
});
