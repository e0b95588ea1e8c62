/**
 * tree-sitter-c (wasm) behind one small API. The wasm files sit beside the bundle in `dist/`;
 * when running from sources (tests) they are resolved from node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, Edit, type Tree, type Node } from 'web-tree-sitter';
import { maskAnnotations, type Annotation } from './mask';

export type { Tree, Node };

let ready: Promise<Language> | undefined;
let language: Language | undefined;

function wasmPath(file: string, pkg: string): string {
  const besideBundle = path.join(__dirname, file);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(`${pkg}/${file}`);
}

/** Loads the runtime and the C grammar once; every caller awaits the same promise. */
export function initParser(): Promise<Language> {
  ready ??= (async () => {
    const runtime = wasmPath('web-tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    language = await Language.load(wasmPath('tree-sitter-c.wasm', 'tree-sitter-c'));
    return language;
  })();
  return ready;
}

let shared: Parser | undefined;

function parserInstance(): Parser {
  if (!language) throw new Error('initParser() must complete before parsing');
  if (!shared) {
    shared = new Parser();
    shared.setLanguage(language);
  }
  return shared;
}

export interface ParsedText {
  /** The text given to tree-sitter: the source with annotations blanked, same length. */
  masked: string;
  annotations: Annotation[];
  tree: Tree;
}

/** Parses a whole text. The caller owns the tree and must `delete()` it. */
export function parseText(source: string): ParsedText {
  const { text, annotations } = maskAnnotations(source);
  const tree = parserInstance().parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return { masked: text, annotations, tree };
}

/**
 * Re-parses after an edit. The previous tree is edited with the smallest change between the old
 * and new masked texts (so a change in masking, such as a new annotation, is covered too), used as
 * the base of an incremental parse, and then deleted.
 */
export function reparseText(previous: ParsedText, source: string): ParsedText {
  const { text, annotations } = maskAnnotations(source);
  const edit = diffEdit(previous.masked, text);
  let tree: Tree | null = null;
  try {
    if (edit) previous.tree.edit(edit);
    tree = parserInstance().parse(text, edit ? previous.tree : undefined);
  } catch {
    tree = null;
  }
  // The old tree goes only once a new one exists; an incremental failure falls back to a full parse.
  if (!tree) {
    const fresh = parseText(source);
    previous.tree.delete();
    return fresh;
  }
  previous.tree.delete();
  return { masked: text, annotations, tree };
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
