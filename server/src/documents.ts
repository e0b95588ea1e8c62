/**
 * The per-document store every feature reads: version, text, masked text, tree and the cached
 * analysis. Trees live in the wasm heap: each replaced or closed tree is deleted here and nowhere
 * else. A result computed for an older version is never served for a newer one.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { buildFileModel, type FileModel } from './engine/fileModel';
import { parseText, reparseText, reparseChanges, languageFor, type ParsedText, type SourceChange, type SourceLanguage } from './parsing/parser';

export interface StoredDocument {
  uri: string;
  version: number;
  document: TextDocument;
  parsed: ParsedText;
  /** The grammar the document needs (`parsed.language` differs while the C++ grammar loads). */
  language: SourceLanguage;
  /** Analysis results keyed by kind; cleared on every new version. */
  cache: Map<string, unknown>;
  /**
   * The text holds a carriage return not followed by a line feed: LSP counts it as a line break,
   * tree-sitter does not, so rows are counted rather than taken from the change's line. Sticky.
   */
  loneCR: boolean;
}

export class DocumentStore {
  private readonly docs = new Map<string, StoredDocument>();

  /** `language` overrides what the name and languageId say (the build compiles a `.h` as C++). */
  open(uri: string, languageId: string, version: number, text: string, language: SourceLanguage = languageFor(uri, { languageId })): StoredDocument {
    this.close(uri);
    const document = TextDocument.create(uri, languageId, version, text);
    const stored: StoredDocument = { uri, version, document, parsed: parseText(text, language), language, cache: new Map(), loneCR: /\r(?!\n)/.test(text) };
    this.docs.set(uri, stored);
    return stored;
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): StoredDocument | undefined {
    const stored = this.docs.get(uri);
    if (!stored) return undefined;
    let document = stored.document;
    // Each ranged change becomes a tree-sitter edit of its own; a whole-text replacement is diffed.
    const edits: SourceChange[] = [];
    let whole = false;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        document = TextDocument.update(document, [change], version);
        whole = true;
        continue;
      }
      const from = document.offsetAt(change.range.start);
      const to = document.offsetAt(change.range.end);
      const start = Math.min(from, to);
      const oldEnd = Math.max(from, to);
      const startRow = stored.loneCR ? lineFeedsBefore(document.getText(), start) : document.positionAt(start).line;
      document = TextDocument.update(document, [change], version);
      const source = document.getText();
      const newEnd = start + change.text.length;
      if (!stored.loneCR) stored.loneCR = /\r(?!\n)/.test(change.text) || loneCRAt(source, start - 1) || loneCRAt(source, newEnd - 1);
      edits.push({ source, start, oldEnd, newEnd, startRow });
    }
    // A lone CR is parsed as LF (mask.ts); an edit next to one can turn it into CRLF or back, which
    // the windowed re-mask cannot see, so such a document is masked whole (the parse stays incremental).
    stored.parsed = whole || edits.length === 0 || stored.loneCR ? reparseText(stored.parsed, document.getText(), stored.language) : reparseChanges(stored.parsed, edits, stored.language);
    stored.document = document;
    stored.version = version;
    stored.cache = new Map();
    return stored;
  }

  /** Re-parses a document whose grammar has become available since it was parsed; true if it was. */
  refreshLanguage(uri: string): boolean {
    const stored = this.docs.get(uri);
    if (!stored || stored.parsed.language === stored.language) return false;
    stored.parsed = reparseText(stored.parsed, stored.document.getText(), stored.language);
    stored.cache = new Map();
    return stored.parsed.language === stored.language;
  }

  /** Gives an open document another language (the build configuration changed); true if it did. */
  setLanguage(uri: string, language: SourceLanguage): boolean {
    const stored = this.docs.get(uri);
    if (!stored || stored.language === language) return false;
    stored.language = language;
    stored.parsed = reparseText(stored.parsed, stored.document.getText(), language);
    stored.cache = new Map();
    return true;
  }

  close(uri: string): void {
    const stored = this.docs.get(uri);
    if (!stored) return;
    stored.parsed.tree.delete();
    this.docs.delete(uri);
  }

  get(uri: string): StoredDocument | undefined {
    return this.docs.get(uri);
  }

  /**
   * The file model of the current version (no build scope, no headers): one per version, read by
   * the diagnostics (which copy it before adding headers), hover and the simulator's code lenses.
   */
  fileModel(stored: StoredDocument): FileModel {
    return this.cached(stored, 'fileModel', () => buildFileModel(stored.parsed.tree, stored.parsed.masked, stored.parsed.annotations));
  }

  /** Cached per-version value; `compute` runs at most once per version and kind. */
  cached<T>(stored: StoredDocument, kind: string, compute: () => T): T {
    if (stored.cache.has(kind)) return stored.cache.get(kind) as T;
    const value = compute();
    stored.cache.set(kind, value);
    return value;
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  dispose(): void {
    for (const uri of this.uris()) this.close(uri);
  }
}

function loneCRAt(text: string, at: number): boolean {
  return at >= 0 && text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) !== 10;
}

function lineFeedsBefore(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
