/**
 * The per-document store every feature reads: version, text, masked text, tree and the cached
 * analysis. Trees live in the wasm heap: each replaced or closed tree is deleted here and nowhere
 * else. A result computed for an older version is never served for a newer one.
 *
 * Memory: only the most recently used documents keep their parse (tree, masked text, mask) and the
 * per-version cache built on it (analysis, file model). An older one drops both and is parsed
 * again when a feature next reads `parsed`; its text stays.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { buildFileModel, type FileModel } from './engine/fileModel';
import { parseText, reparseText, reparseChanges, languageFor, type ParsedText, type SourceChange, type SourceLanguage } from './parsing/parser';
import type { TextChange } from './parsing/remask';

export interface StoredDocument {
  uri: string;
  version: number;
  document: TextDocument;
  /** The parse of the current version (parsed again on first read after the store dropped it). */
  readonly parsed: ParsedText;
  /** The grammar the document needs (`parsed.language` differs while the C++ grammar loads). */
  language: SourceLanguage;
  /** Analysis results keyed by kind; cleared on every new version and when the parse is dropped. */
  cache: Map<string, unknown>;
  /**
   * The text holds a carriage return not followed by a line feed: LSP counts it as a line break,
   * tree-sitter does not, so rows are counted rather than taken from the change's line. Sticky.
   */
  loneCR: boolean;
}

/** How many documents keep their tree and analysis by default (the rest are parsed again on demand). */
export const KEEP_PARSED = 8;

class Stored implements StoredDocument {
  /** The parse, or undefined after the store dropped it. */
  current: ParsedText | undefined;
  cache = new Map<string, unknown>();
  /**
   * The last file model built, and the changes of the masked text since its parse (null: not
   * known), so the next model carries over what its unchanged functions read from their text.
   */
  lastModel: FileModel | undefined;
  editsSince: TextChange[] | null = null;

  constructor(
    private readonly store: DocumentStore,
    public readonly uri: string,
    public version: number,
    public document: TextDocument,
    public language: SourceLanguage,
    public loneCR: boolean,
  ) {}

  get parsed(): ParsedText {
    return this.store.parsedOf(this);
  }
}

export class DocumentStore {
  private readonly docs = new Map<string, Stored>();
  /** The documents that hold a parse, least recently used first. */
  private readonly recent = new Map<string, Stored>();
  /** Documents whose parse must not be dropped (a sliced run reads its tree across turns). */
  private readonly pinned = new Map<string, number>();
  private trimScheduled = false;

  /** `keep`: how many documents keep their parse and analysis (at least 1). */
  constructor(private readonly keep: number = KEEP_PARSED) {}

  /** `language` overrides what the name and languageId say (the build compiles a `.h` as C++). */
  open(uri: string, languageId: string, version: number, text: string, language: SourceLanguage = languageFor(uri, { languageId })): StoredDocument {
    this.close(uri);
    const document = TextDocument.create(uri, languageId, version, text);
    const stored = new Stored(this, uri, version, document, language, /\r(?!\n)/.test(text));
    this.docs.set(uri, stored);
    stored.current = parseText(text, language);
    this.touch(stored);
    this.trim();
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
    // A document without a parse is parsed when next read.
    const previous = stored.current;
    if (previous) {
      stored.current = whole || edits.length === 0 || stored.loneCR ? reparseText(previous, document.getText(), stored.language) : reparseChanges(previous, edits, stored.language);
      const since = stored.current.edits;
      stored.editsSince = since && stored.editsSince && stored.editsSince.length + since.length <= 64 ? [...stored.editsSince, ...since] : null;
      this.touch(stored);
    }
    stored.document = document;
    stored.version = version;
    stored.cache = new Map();
    this.trim();
    return stored;
  }

  /** Re-parses a document whose grammar has become available since it was parsed; true if it was. */
  refreshLanguage(uri: string): boolean {
    const stored = this.docs.get(uri);
    if (!stored || stored.parsed.language === stored.language) return false;
    stored.current = reparseText(stored.parsed, stored.document.getText(), stored.language);
    stored.cache = new Map();
    forgetModel(stored);
    return stored.parsed.language === stored.language;
  }

  /** Gives an open document another language (the build configuration changed); true if it did. */
  setLanguage(uri: string, language: SourceLanguage): boolean {
    const stored = this.docs.get(uri);
    if (!stored || stored.language === language) return false;
    stored.language = language;
    if (stored.current) stored.current = reparseText(stored.current, stored.document.getText(), language);
    stored.cache = new Map();
    forgetModel(stored);
    return true;
  }

  close(uri: string): void {
    const stored = this.docs.get(uri);
    if (!stored) return;
    this.drop(stored);
    this.docs.delete(uri);
    this.pinned.delete(uri);
  }

  get(uri: string): StoredDocument | undefined {
    return this.docs.get(uri);
  }

  /** The document's parse, parsing it now if it has none; it becomes the most recently used. */
  parsedOf(stored: StoredDocument): ParsedText {
    const own = stored as Stored;
    if (!own.current) {
      own.current = parseText(own.document.getText(), own.language);
      own.cache = new Map();
      forgetModel(own);
      // Never dropped during the computation that asked for it: trimmed once the turn ends.
      this.scheduleTrim();
    }
    this.touch(own);
    return own.current;
  }

  /** True while the document holds its parse (tests and the memory bound). */
  isParsed(uri: string): boolean {
    return this.docs.get(uri)?.current !== undefined;
  }

  /** Keeps the document's parse until `unpin` (a run that reads its tree across turns). */
  pin(uri: string): void {
    this.pinned.set(uri, (this.pinned.get(uri) ?? 0) + 1);
  }

  unpin(uri: string): void {
    const n = (this.pinned.get(uri) ?? 0) - 1;
    if (n > 0) this.pinned.set(uri, n);
    else this.pinned.delete(uri);
  }

  /**
   * The file model of the current version (no build scope, no headers): one per version, read by
   * the diagnostics (which copy it before adding headers), hover and the simulator's code lenses.
   */
  fileModel(stored: StoredDocument): FileModel {
    const own = stored as Stored;
    const parsed = stored.parsed;
    return this.cached(stored, 'fileModel', () => {
      const reuse = own.lastModel && own.editsSince ? { previous: own.lastModel, edits: own.editsSince } : undefined;
      const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations, undefined, reuse);
      own.lastModel = model;
      own.editsSince = [];
      return model;
    });
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

  private touch(stored: Stored): void {
    this.recent.delete(stored.uri);
    this.recent.set(stored.uri, stored);
  }

  /** Drops the parses of the least recently used documents beyond the bound (never a pinned one). */
  private trim(): void {
    let excess = this.recent.size - Math.max(1, this.keep);
    const order = [...this.recent.values()];
    // The most recent one is what the caller works on: never dropped, even when the rest are pinned.
    for (const stored of order.slice(0, -1)) {
      if (excess <= 0) break;
      if (this.pinned.has(stored.uri)) continue;
      this.drop(stored);
      excess--;
    }
  }

  private scheduleTrim(): void {
    if (this.trimScheduled || this.recent.size <= this.keep) return;
    this.trimScheduled = true;
    setImmediate(() => {
      this.trimScheduled = false;
      this.trim();
    }).unref();
  }

  /** Deletes the tree and what was computed on it; the text stays. */
  private drop(stored: Stored): void {
    this.recent.delete(stored.uri);
    if (!stored.current) return;
    stored.current.tree.delete();
    stored.current = undefined;
    stored.cache = new Map();
    forgetModel(stored);
  }
}

/** The next model is built without the last one (another grammar, a fresh parse). */
function forgetModel(stored: Stored): void {
  stored.lastModel = undefined;
  stored.editsSince = null;
}

function loneCRAt(text: string, at: number): boolean {
  return at >= 0 && text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) !== 10;
}

function lineFeedsBefore(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
