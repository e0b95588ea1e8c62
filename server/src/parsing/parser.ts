/**
 * tree-sitter-c and tree-sitter-cpp (wasm) behind one small API. The wasm files sit beside the
 * bundle in `dist/`; when running from sources (tests) they are resolved from node_modules. The C
 * grammar loads with the runtime; the C++ grammar loads only when a C++ source appears.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, Edit, type Tree, type Node } from 'web-tree-sitter';
import { maskAnnotations, type Annotation } from './mask';
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

export interface ParsedText {
  /** The text given to tree-sitter: the source with annotations blanked, same length. */
  masked: string;
  annotations: Annotation[];
  tree: Tree;
  /** The grammar the tree was parsed with. */
  language: SourceLanguage;
}

/**
 * Parses a whole text as C (the default) or C++. The caller owns the tree and must `delete()` it.
 * C++ is parsed as C until `loadLanguage('cpp')` has completed; `language` says which was used.
 */
export function parseText(source: string, lang: SourceLanguage = 'c'): ParsedText {
  const { text, annotations } = maskAnnotations(source);
  const language = effectiveLanguage(lang);
  const tree = parserInstance(language).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return withRecovery({ masked: text, annotations, tree, language });
}

const unparsedByTree = new WeakMap<Tree, UnparsedRegion[]>();

/** Function-like regions of the tree's text that no parse could read (empty for most files). */
export function unparsedRegionsOf(tree: Tree): UnparsedRegion[] {
  return unparsedByTree.get(tree) ?? [];
}

/** Recovers the functions an ERROR node swallowed (recover.ts); `masked` becomes the text parsed. */
function withRecovery(parsed: ParsedText): ParsedText {
  const parser = parserInstance(parsed.language);
  const recovered = recoverFunctions(parsed.masked, parsed.tree, (text) => {
    const tree = parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  });
  if (!recovered) return parsed;
  parsed.tree.delete();
  unparsedByTree.set(recovered.tree, recovered.recovery.unparsed);
  return { ...parsed, masked: recovered.recovery.text, tree: recovered.tree };
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
  const { text, annotations } = maskAnnotations(source);
  const edit = diffEdit(previous.masked, text);
  let tree: Tree | null = null;
  try {
    if (edit) previous.tree.edit(edit);
    tree = parserInstance(language).parse(text, edit ? previous.tree : undefined);
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
  return withRecovery({ masked: text, annotations, tree, language });
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
