/**
 * Random LSP-style edits for the tests that compare the edit path with a fresh open: a seeded
 * generator and edits placed most often where masking and parsing state changes.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';

/** [start, end) of the text replaced by `insert`. */
export interface RawEdit {
  start: number;
  end: number;
  insert: string;
}
/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [' ', 'x', '\n', '\r\n', '\r', '/*', '*/', '"', "'", '\\', '_In_ ', '_Out_opt_', '_When_(a,', '_IRQL_requires_(', ')', '(', '{', '}', ';', '//', 'FLTAPI ', 'reinterpret_cast<PVOID>', '#define X 1\n', '\n#ifdef _AMD64_ \\\n', '\n#endif\n', 'status = FltAllocateExtraCreateParameterList(Filter, 0, &list);\n'];

/** Places where masking state changes: annotations, comments, strings, line ends. */
const HOT = /_[A-Z][A-Za-z_]*_|\/\*|\*\/|"|\r?\n|\(|\)/g;

export function randomEdit(text: string, rnd: () => number): RawEdit {
  let at = Math.floor(rnd() * (text.length + 1));
  if (rnd() < 0.6) {
    const hot = [...text.matchAll(HOT)];
    if (hot.length > 0) {
      const m = hot[Math.floor(rnd() * hot.length)];
      at = (m.index ?? 0) + Math.floor(rnd() * (m[0].length + 1));
    }
  }
  const kind = rnd();
  const del = kind < 0.35 ? 0 : Math.min(text.length - at, 1 + Math.floor(rnd() * (kind < 0.8 ? 3 : 40)));
  const insert = kind > 0.65 && kind < 0.8 ? '' : INSERTS[Math.floor(rnd() * INSERTS.length)];
  // LSP cannot name a position between the two characters of a CRLF.
  const outsideCRLF = (o: number) => (text[o - 1] === '\r' && text[o] === '\n' ? o + 1 : o);
  const start = outsideCRLF(at);
  return { start, end: Math.max(start, outsideCRLF(at + del)), insert };
}


/**
 * One or two LSP range changes: new random edits, or undoing earlier ones (kept in `undo`) as
 * often as making them, so the text keeps coming back to code without syntax errors.
 */
export function randomChanges(text: string, rnd: () => number, undo: RawEdit[]): { changes: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[]; text: string } {
  const changes = [];
  const count = rnd() < 0.2 ? 2 : 1;
  for (let k = 0; k < count; k++) {
    let e: RawEdit;
    if (undo.length >= 3 || (undo.length > 0 && rnd() < 0.5)) e = undo.pop()!;
    else {
      e = randomEdit(text, rnd);
      undo.push({ start: e.start, end: e.start + e.insert.length, insert: text.slice(e.start, e.end) });
    }
    const doc = TextDocument.create('file:///random', 'c', 0, text);
    changes.push({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, text: e.insert });
    text = text.slice(0, e.start) + e.insert + text.slice(e.end);
  }
  return { changes, text };
}
