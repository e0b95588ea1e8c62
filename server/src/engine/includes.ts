/**
 * A file's own headers: the macros, defines, layouts and inline functions of `#include "x"` and
 * `#include <x>` (found through the build's include folders), followed transitively, merged into
 * the file's model. Used for the analysed file and for every other program file whose functions
 * run at its call sites (a wrapper runs with what its own headers define).
 */
import { sha1Hex } from '../util/hash';
import { parseText, languageFor, type ParsedText, type SourceLanguage } from '../parsing/parser';
import { buildFileModel, copyModel, type FileModel } from './fileModel';
import { PpScope, definesOf, isSystemHeader, type BuildFacts } from './preprocessor';

/** How a header is named: `#include "x"`, `#include <x>`, or forced by the build (`-include`, absolute). */
export type IncludeKind = 'quote' | 'angle' | 'forced';

/**
 * Reads the text of an included header, or undefined when it is not found (then it is skipped).
 * `from` is the name the including header was asked for (absent: the analysed file includes it).
 */
export type IncludeReader = (name: string, kind?: IncludeKind, from?: string) => string | undefined;

/** The headers a file reads (in order) and the project headers it names that were not found. */
export interface FileHeaders {
  headers: { name: string; text: string }[];
  missing: string[];
}

/** Reads the file's headers (forced includes first), as `modelWithIncludes` does. */
export function headersOf(source: string, readInclude: IncludeReader | undefined, build: BuildFacts | undefined): FileHeaders {
  const missing: string[] = [];
  const headers = readInclude ? readHeaders(source, readInclude, build?.forcedIncludes ?? [], missing) : [];
  return { headers, missing };
}

/** The file model, completed with the macros and types of the file's own headers and the build's defines. */
/**
 * `base`: the file's own model of this version (`buildFileModel` without a build scope), shared
 * with the features; it is copied, never changed, and used only when no build scope applies.
 */
export function modelWithIncludes(parsed: ParsedText, source: string, readInclude?: IncludeReader, build?: BuildFacts, base?: FileModel): FileModel {
  return modelWithHeaders(parsed, source, headersOf(source, readInclude, build), build, base);
}

/** `modelWithIncludes` with the headers already read. */
export function modelWithHeaders(parsed: ParsedText, source: string, read: FileHeaders, build?: BuildFacts, base?: FileModel): FileModel {
  const lang = parsed.language ?? 'c';
  const { headers, missing } = read;
  const sites = headers.map((h) => definesOf(h.text));
  const scope = build ? new PpScope(build, source, combined(sites), undefined, missing) : undefined;
  const model = base && !scope ? copyModel(base) : buildFileModel(parsed.tree, parsed.masked, parsed.annotations, scope);
  const mainNames = build ? new Set(definesOf(source).defines.keys()) : new Set<string>();
  headers.forEach((h, i) => {
    const hScope = build ? new PpScope(build, h.text, combined(sites.filter((_, j) => j !== i)), mainNames, missing) : undefined;
    mergeHeader(model, headerModel(h.text, languageFor(h.name, { includedFrom: lang }), hScope));
  });
  // A -D value is a constant the code can use (`if (Count > MAX_TAGS)`); the file's own wins.
  for (const [k, v] of build?.defines ?? []) if (!model.defines.has(k) && !model.macros.has(k)) model.defines.set(k, v);
  return model;
}

const MAX_INCLUDES = 16;
/** Header models by text and build view; their trees stay alive while cached (function bodies point into them). */
const includeCache = new Map<string, { model: FileModel; tree: { delete(): void } }>();

/**
 * The file's headers, breadth first (forced includes, then `#include "x"` and `#include <x>`,
 * followed transitively up to a bound): status-check macros and context structures usually live
 * there. A header the reader does not find is skipped.
 */
function readHeaders(source: string, read: IncludeReader, forced: string[], missing: string[]): { name: string; text: string }[] {
  const pending: { name: string; kind: IncludeKind; from?: string }[] = [...forced.map((name) => ({ name, kind: 'forced' as const })), ...includesOf(source)];
  const seen = new Set<string>();
  const out: { name: string; text: string }[] = [];
  while (pending.length > 0 && seen.size < MAX_INCLUDES) {
    const inc = pending.shift()!;
    // A quoted name can mean another file next to another header.
    const id = `${inc.kind}:${inc.kind === 'quote' ? inc.from ?? '' : ''}:${inc.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const text = read(inc.name, inc.kind, inc.from);
    if (text === undefined || text.length > 4 * 1024 * 1024) {
      if (!isSystemHeader(inc.name)) missing.push(inc.name);
      continue;
    }
    out.push({ name: inc.name, text });
    pending.push(...includesOf(text).map((i) => ({ ...i, from: inc.name })));
  }
  return out;
}

/** Definitions in the headers win over nothing: the file's own come first. */
function mergeHeader(model: FileModel, header: FileModel): void {
  for (const [k, v] of header.functions) if (!model.functions.has(k)) model.functions.set(k, v);
  for (const [k, v] of header.macros) if (!model.macros.has(k)) model.macros.set(k, v);
  for (const [k, v] of header.defines) if (!model.defines.has(k)) model.defines.set(k, v);
  for (const [k, v] of header.structSizes) if (!model.structSizes.has(k)) model.structSizes.set(k, v);
  for (const k of header.pointerTypedefs) model.pointerTypedefs.add(k);
}

function combined(all: ReturnType<typeof definesOf>[]): ReturnType<typeof definesOf> {
  const out: ReturnType<typeof definesOf> = { defines: new Map(), undefs: new Set() };
  for (const one of all) {
    for (const [k, v] of one.defines) out.defines.set(k, [...(out.defines.get(k) ?? []), ...v]);
    for (const k of one.undefs) out.undefs.add(k);
  }
  return out;
}

const INCLUDE_LINE = /[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/y;

/**
 * The `#include` lines, in order. Only lines holding the word are tried (a regex anchored at
 * every line start of a 10,000-line file cost half a millisecond per edit).
 */
export function includesOf(text: string): { name: string; kind: IncludeKind }[] {
  const out: { name: string; kind: IncludeKind }[] = [];
  // A match may run over a lone CR (only \n ends a name): the next one starts after it.
  let tried = -1;
  let matchedTo = 0;
  for (let at = text.indexOf('include'); at >= 0; at = text.indexOf('include', at + 7)) {
    let line = at;
    while (line > 0 && !isLineBreak(text.charCodeAt(line - 1))) line--;
    if (line === tried || line < matchedTo) continue;
    tried = line;
    INCLUDE_LINE.lastIndex = line;
    const m = INCLUDE_LINE.exec(text);
    if (!m) continue;
    matchedTo = INCLUDE_LINE.lastIndex;
    out.push(m[1] !== undefined ? { name: m[1], kind: 'quote' } : { name: m[2], kind: 'angle' });
  }
  return out;
}

/** What a multiline regex's `^` follows. */
function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function headerModel(text: string, lang: SourceLanguage, pp: PpScope | undefined): FileModel {
  const key = `${lang}:${pp ? pp.viewKey : '-'}:${sha1Hex(text)}`;
  let header = includeCache.get(key);
  if (!header) {
    const parsed = parseText(text, lang);
    const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations, pp);
    for (const fn of model.functions.values()) fn.fromHeader = true;
    if (includeCache.size >= 64) {
      const [oldestKey, oldest] = includeCache.entries().next().value!;
      includeCache.delete(oldestKey);
      oldest.tree.delete();
    }
    header = { model, tree: parsed.tree };
    includeCache.set(key, header);
  }
  return header.model;
}

