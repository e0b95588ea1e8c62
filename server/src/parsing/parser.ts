/**
 * tree-sitter-c and tree-sitter-cpp (wasm) behind one small API. The wasm files sit beside the
 * bundle in `dist/`; when running from sources (tests) they are resolved from node_modules. The C
 * grammar loads with the runtime; the C++ grammar loads only when a C++ source appears.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, Edit, type Tree, type Node } from 'web-tree-sitter';
import { maskAnnotations, type Annotation, type MaskResult, type MaskSpan } from './mask';
import { remask, type TextChange } from './remask';
import { recoverFunctions, type UnparsedRegion } from './recover';

export type { Tree, Node, UnparsedRegion };

/** The grammar a text is parsed with. */
export type SourceLanguage = 'c' | 'cpp';

const GRAMMARS: Record<SourceLanguage, { file: string; pkg: string }> = {
  c: { file: 'tree-sitter-c.wasm', pkg: 'tree-sitter-c' },
  cpp: { file: 'tree-sitter-cpp.wasm', pkg: 'tree-sitter-cpp' },
};

let runtimeReady: Promise<void> | undefined;
const loading = new Map<SourceLanguage, Promise<Language>>();
const loaded = new Map<SourceLanguage, Language>();

function wasmPath(file: string, pkg: string): string {
  const besideBundle = path.join(__dirname, file);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(`${pkg}/${file}`);
}

/** Loads the runtime and the C grammar once; every caller awaits the same promise. */
export function initParser(): Promise<Language> {
  return loadLanguage('c');
}

/** Loads one grammar (and the runtime first) once; every caller awaits the same promise. */
export function loadLanguage(lang: SourceLanguage): Promise<Language> {
  let pending = loading.get(lang);
  if (!pending) {
    pending = (async () => {
      runtimeReady ??= (async () => {
        const runtime = wasmPath('web-tree-sitter.wasm', 'web-tree-sitter');
        await Parser.init({ locateFile: () => runtime });
      })();
      await runtimeReady;
      const grammar = await Language.load(wasmPath(GRAMMARS[lang].file, GRAMMARS[lang].pkg));
      loaded.set(lang, grammar);
      return grammar;
    })();
    loading.set(lang, pending);
  }
  return pending;
}

/** True once `loadLanguage(lang)` has completed: parsing as `lang` is then synchronous. */
export function isLanguageLoaded(lang: SourceLanguage): boolean {
  return loaded.has(lang);
}

const CPP_EXTENSIONS = /\.(cpp|cc|cxx|c\+\+|hpp|hh|hxx|h\+\+|inl|ipp|tpp)$/i;

/**
 * The grammar for a file: C++ for C++ extensions, for a client `languageId` of `cpp`, or for a
 * header (`.h`) whose including source is C++ (`includedFrom`); C otherwise.
 */
export function languageFor(file: string, opts: { languageId?: string; includedFrom?: SourceLanguage } = {}): SourceLanguage {
  const name = file.replace(/[?#].*$/, '');
  if (CPP_EXTENSIONS.test(name) || opts.languageId === 'cpp' || opts.languageId === 'cuda-cpp') return 'cpp';
  if (/\.h$/i.test(name) && opts.includedFrom === 'cpp') return 'cpp';
  return 'c';
}

const parsers = new Map<SourceLanguage, Parser>();

function parserInstance(lang: SourceLanguage): Parser {
  const grammar = loaded.get(lang);
  if (!grammar) throw new Error(`the ${lang} grammar must be loaded (loadLanguage) before parsing`);
  let parser = parsers.get(lang);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(grammar);
    parsers.set(lang, parser);
  }
  return parser;
}

/** The grammar to use now for `wanted`: C++ falls back to C until its grammar has loaded. */
function effectiveLanguage(wanted: SourceLanguage): SourceLanguage {
  return wanted === 'cpp' && !loaded.has('cpp') ? 'c' : wanted;
}

/**
 * The text as tree-sitter reads it: in chunks of 512 characters. Given the string itself,
 * web-tree-sitter copies up to 5,000 characters into the wasm heap at each read, and an
 * incremental parse reads at a few hundred scattered places (most of an edit's parse time went
 * to copying text it never looked at). A chunk never ends inside a surrogate pair.
 */
function input(text: string): (index: number) => string {
  return (index) => {
    let end = index + CHUNK;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end++;
    return text.slice(index, end);
  };
}

const CHUNK = 512;

export interface ParsedText {
  /** The text given to tree-sitter: the source with annotations blanked, same length. */
  masked: string;
  annotations: Annotation[];
  tree: Tree;
  /** The grammar the tree was parsed with. */
  language: SourceLanguage;
  /** The mask of the source alone (before parse recovery blanked more), for the next edit. */
  mask: MaskResult;
  /** Where parse recovery blanked `masked` beyond the mask (sorted); empty for most files. */
  recovered: MaskSpan[];
  /**
   * For a re-parse: the ranges of `masked` that may differ from the previous parse's, one per
   * change in order, each in offsets of the text before it (`start`, `oldEnd`) and after it
   * (`newEnd`); outside them the text is the previous one's, shifted. Absent after a fresh parse,
   * or when parse recovery blanked text on either side (then nothing is known to be unchanged).
   */
  edits?: TextChange[];
}

/**
 * Parses a whole text as C (the default) or C++. The caller owns the tree and must `delete()` it.
 * C++ is parsed as C until `loadLanguage('cpp')` has completed; `language` says which was used.
 */
export function parseText(source: string, lang: SourceLanguage = 'c'): ParsedText {
  const language = effectiveLanguage(lang);
  const mask = maskAnnotations(source, language);
  const tree = parserInstance(language).parse(input(mask.text));
  if (!tree) throw new Error('tree-sitter returned no tree');
  return withRecovery(parsedOf(mask, tree, language));
}

function parsedOf(mask: MaskResult, tree: Tree, language: SourceLanguage): ParsedText {
  return { masked: mask.text, annotations: mask.annotations, tree, language, mask, recovered: [] };
}

const unparsedByTree = new WeakMap<Tree, UnparsedRegion[]>();

/** Function-like regions of the tree's text that no parse could read (empty for most files). */
export function unparsedRegionsOf(tree: Tree): UnparsedRegion[] {
  return unparsedByTree.get(tree) ?? [];
}

/** Recovers the functions an ERROR node swallowed (recover.ts); `masked` becomes the text parsed. */
function withRecovery(parsed: ParsedText): ParsedText {
  const parser = parserInstance(parsed.language);
  let points: Points | undefined;
  // Each pass re-parses incrementally from the first tree, told which spans were blanked.
  const recovered = recoverFunctions(parsed.masked, parsed.tree, (text, blanked) => {
    points ??= new Points(parsed.masked);
    const base = parsed.tree.copy();
    for (const span of blanked) base.edit(sameLength(span, points));
    const tree = parser.parse(input(text), base);
    base.delete();
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  });
  if (!recovered) return parsed;
  parsed.tree.delete();
  unparsedByTree.set(recovered.tree, recovered.recovery.unparsed);
  return { ...parsed, masked: recovered.recovery.text, tree: recovered.tree, recovered: recovered.recovery.blanked };
}

/** Row and column of offsets, by a table of line starts built once (one pass over the text). */
class Points {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): { row: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - this.starts[lo] };
  }
}

/** An edit that replaces [start, end) by text of the same length (a blanked or restored span). */
function sameLength(span: MaskSpan, points: Points): Edit {
  const startPosition = points.at(span.start);
  const endPosition = points.at(span.end);
  return new Edit({ startIndex: span.start, oldEndIndex: span.end, newEndIndex: span.end, startPosition, oldEndPosition: endPosition, newEndPosition: endPosition });
}

/** One replaced range of an edit, with the whole text after it and the row of `start`. */
export interface SourceChange extends TextChange {
  source: string;
  /** Tree-sitter's row of `start` (line feeds before it). */
  startRow: number;
}

/**
 * Re-parses after edits whose ranges are known (LSP incremental changes, applied in order): each
 * re-masks only the lines it touched and edits the tree with what changed in the masked text
 * there; spans parse recovery had blanked are marked changed too. One incremental parse follows.
 */
export function reparseChanges(previous: ParsedText, changes: SourceChange[], lang: SourceLanguage = previous.language): ParsedText {
  const last = changes[changes.length - 1];
  const language = effectiveLanguage(lang);
  if (!last) return previous;
  if (language !== previous.language) return reparseText(previous, last.source, lang);
  const old = previous.tree;
  let mask = previous.mask;
  let tree: Tree | null = null;
  const windows: TextChange[] = [];
  try {
    if (previous.recovered.length > 0) {
      const points = new Points(previous.masked);
      for (const span of previous.recovered) old.edit(sameLength(span, points));
    }
    for (const change of changes) {
      const next = remask(mask, change.source, change, language);
      const edit = windowEdit(mask.text, next.mask.text, next.window, change);
      if (edit) old.edit(edit);
      windows.push(next.window);
      mask = next.mask;
    }
    tree = parserInstance(language).parse(input(mask.text), old);
  } catch {
    tree = null;
  }
  if (!tree) {
    const fresh = parseText(last.source, language);
    old.delete();
    return fresh;
  }
  old.delete();
  return withEdits(withRecovery(parsedOf(mask, tree, language)), previous, windows);
}

/** The parse with the changed ranges since `previous`, when they say all that changed. */
function withEdits(parsed: ParsedText, previous: ParsedText, edits: TextChange[]): ParsedText {
  return previous.recovered.length === 0 && parsed.recovered.length === 0 ? { ...parsed, edits } : parsed;
}

/** What changed in the masked text inside the re-scanned window, as a tree-sitter edit. */
function windowEdit(before: string, after: string, window: TextChange, change: SourceChange): Edit | undefined {
  const { start, oldEnd, newEnd } = window;
  let head = 0;
  while (start + head < oldEnd && start + head < newEnd && before.charCodeAt(start + head) === after.charCodeAt(start + head)) head++;
  let tail = 0;
  while (tail < oldEnd - start - head && tail < newEnd - start - head && before.charCodeAt(oldEnd - 1 - tail) === after.charCodeAt(newEnd - 1 - tail)) tail++;
  if (start + head === oldEnd - tail && start + head === newEnd - tail) return undefined;
  const row = change.startRow - lineFeeds(change.source, start, change.start);
  const point = (text: string, offset: number) => ({ row: row + lineFeeds(text, start, offset), column: offset - (text.lastIndexOf('\n', offset - 1) + 1) });
  return new Edit({
    startIndex: start + head,
    oldEndIndex: oldEnd - tail,
    newEndIndex: newEnd - tail,
    startPosition: point(before, start + head),
    oldEndPosition: point(before, oldEnd - tail),
    newEndPosition: point(after, newEnd - tail),
  });
}

function lineFeeds(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Re-parses after an edit. The previous tree is edited with the smallest change between the old
 * and new masked texts (so a change in masking, such as a new annotation, is covered too), used as
 * the base of an incremental parse, and then deleted.
 */
export function reparseText(previous: ParsedText, source: string, lang: SourceLanguage = previous.language): ParsedText {
  const language = effectiveLanguage(lang);
  if (language !== previous.language) {
    const fresh = parseText(source, language);
    previous.tree.delete();
    return fresh;
  }
  const mask = maskAnnotations(source, language);
  const text = mask.text;
  const edit = diffEdit(previous.masked, text);
  let tree: Tree | null = null;
  try {
    if (edit) previous.tree.edit(edit);
    tree = parserInstance(language).parse(input(text), edit ? previous.tree : undefined);
  } catch {
    tree = null;
  }
  // The old tree goes only once a new one exists; an incremental failure falls back to a full parse.
  if (!tree) {
    const fresh = parseText(source, language);
    previous.tree.delete();
    return fresh;
  }
  previous.tree.delete();
  const edits = edit ? [{ start: edit.startIndex, oldEnd: edit.oldEndIndex, newEnd: edit.newEndIndex }] : [];
  return withEdits(withRecovery(parsedOf(mask, tree, language)), previous, edits);
}

/** The single replaced span between two texts, as a tree-sitter edit; undefined when equal. */
export function diffEdit(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tailBefore = before.length;
  let tailAfter = after.length;
  while (tailBefore > start && tailAfter > start && before.charCodeAt(tailBefore - 1) === after.charCodeAt(tailAfter - 1)) {
    tailBefore--;
    tailAfter--;
  }
  return new Edit({
    startIndex: start,
    oldEndIndex: tailBefore,
    newEndIndex: tailAfter,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, tailBefore),
    newEndPosition: pointAt(after, tailAfter),
  });
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * The text a node's tree was parsed from, at the offsets the tree's nodes use. The root node's
 * own text starts at its first token, so whitespace before it (a blank first line) would shift
 * every offset read from that text; it is given back as spaces.
 */
export function treeText(node: Node): string {
  const root = node.tree.rootNode;
  return ' '.repeat(root.startIndex) + root.text;
}

/** True when the tree was parsed with the C grammar (C++ has a `try` of its own). */
export function isCTree(tree: Tree): boolean {
  return tree.language === loaded.get('c');
}

/**
 * `__leave;`, or in C `leave;`: excpt.h spells `__leave` that way for C (the mask gives `try`,
 * `except` and `finally` their underscores; `leave;` parses as it is, as a name read for nothing).
 */
export function isSehLeave(node: Node): boolean {
  if (node.type === 'seh_leave_statement') return true;
  if (node.type !== 'expression_statement' || node.namedChildCount !== 1) return false;
  const name = node.namedChild(0);
  return name !== null && name.type === 'identifier' && name.text === 'leave' && isCTree(node.tree);
}

/** Every ERROR or MISSING node, for tests and logs. Iterative: deep trees must not overflow. */
export function syntaxErrors(tree: Tree): Node[] {
  const found: Node[] = [];
  const cursor = tree.walk();
  let descend = true;
  for (;;) {
    const node = cursor.currentNode;
    if (descend && (node.type === 'ERROR' || node.isMissing)) found.push(node);
    if (descend && node.hasError && cursor.gotoFirstChild()) continue;
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
  cursor.delete();
  return found;
}
