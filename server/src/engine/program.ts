/**
 * The program: the other files whose functions a file calls. A function defined (not `static`)
 * in exactly one other file of the program is merged into the caller's model like a header
 * function: it runs at the call sites on the caller's paths (bounded depth, recursion cut by the
 * call stack), its steps reported at the call and located in its own file.
 */
import { sha1Hex } from '../util/hash';
import { parseText, languageFor, isLanguageLoaded, type ParsedText } from '../parsing/parser';
import { bodyText, functionDigest, functionText, functionNamed, type FileModel, type FunctionDef, type FunctionMacro } from './fileModel';
import { routineInfo } from './catalogAccess';
import { routinePointersIn } from './routinePointers';
import type { BuildFacts } from './preprocessor';
import { headersOf, modelWithHeaders, type IncludeReader } from './includes';
import { visitNamesThrough } from '../util/codeText';
import { fileNameOfUri } from '../util/uriName';

/** What the analysis needs to know about the rest of the program. */
export interface ProgramSource {
  /** URI of the one other file defining `name` (undefined when none, or more than one). */
  definer(name: string): string | undefined;
  /**
   * URI of the one other file defining a C++ function whose qualified name ends with `::name`
   * (`ns::Builder::Make` for `Make` or `Builder::Make`); asked only for a call written qualified.
   */
  memberDefiner?(name: string): string | undefined;
  /** Current text of a program file (the editor's buffer over the disk). */
  text(uri: string): string | undefined;
  /** ECP routines looked up into pointers by the other files (DriverEntry): pointer → routine. */
  routinePointers?: Map<string, string>;
  /** What the build configuration says about a program file (its functions run under it). */
  build?(uri: string): BuildFacts | undefined;
  /**
   * A parse of the file's current text that its owner keeps alive while this source is in use
   * (the CLI's pass-1 parse): its model is built from it instead of parsing the file again.
   */
  parsed?(uri: string): ParsedText | undefined;
  /**
   * Reads the headers of a program file as its own analysis does (its folder, the build's include
   * folders): a wrapper runs with the macros, constants, layouts and inline helpers they define.
   */
  includeReader?(uri: string): IncludeReader | undefined;
}

/** Names and a digest of the functions a file offers the program. */
export interface ProgramFacts {
  functions: string[];
  /** Changes whenever the text of any function of the file changes (offered, or `static` and run through the offered ones). */
  functionsHash: string;
  /** Pointers this file assigns from MmGetSystemRoutineAddress/FltGetRoutineAddress: [pointer, routine]. */
  routinePointers: [string, string][];
}

/** Functions of other files merged into one analysis (breadth first); past it, calls into other files are unknown (`program-bound`). */
const MAX_MERGED_FUNCTIONS = 1024;
const MAX_PROGRAM_FILE = 4 * 1024 * 1024;
/** Well under the model cache's size, so no model merged into one analysis is evicted during it. */
const MAX_FILES_PER_ANALYSIS = 48;

export function programFactsOf(model: FileModel, text: string): ProgramFacts {
  // One string hashed once: a hash update per function and macro costs more than the hashing.
  const parts: string[] = [];
  const functions: string[] = [];
  for (const fn of model.functions.values()) {
    if (fn.fromHeader) continue;
    // A `static` function is offered to no other file, but runs at their calls of its file's wrappers.
    if (isStatic(fn)) {
      parts.push(`\u0000static ${fn.name}\u0000${functionDigest(fn)}`);
      continue;
    }
    functions.push(fn.name);
    parts.push(`\u0000${fn.name}\u0000${functionDigest(fn)}`);
  }
  // Macros and types those functions use travel with them.
  for (const [k, m] of model.macros) parts.push(`\u0000#${k}(${m.params.join(',')})${m.body}`);
  for (const [k, v] of model.defines) parts.push(`\u0000=${k}=${v}`);
  const routinePointers = [...routinePointersIn(text)];
  for (const [p, r] of routinePointers) parts.push(`\u0000*${p}=${r}`);
  return { functions, functionsHash: sha1Hex(parts.join('')), routinePointers };
}

/** Whether a function is `static`, by its text's digest (an edit leaves most functions as they were). */
const staticByDigest = new Map<string, boolean>();

export function isStatic(fn: FunctionDef): boolean {
  const digest = functionDigest(fn);
  let known = staticByDigest.get(digest);
  if (known === undefined) {
    known = /^\s*(static|STATIC)\b/.test(functionText(fn)) || /\bstatic\b/.test(fn.node.childForFieldName('type')?.text ?? '');
    if (staticByDigest.size >= 20_000) staticByDigest.clear();
    staticByDigest.set(digest, known);
  }
  return known;
}

/**
 * Adds to `model` the functions of other program files that its functions can reach (and what
 * they name: macros, defines, struct sizes of their file and its headers), transitively up to a
 * bound. Each call is resolved as its own file's compiler and linker would: the caller's calls in
 * the caller's model, a merged function's calls in its own file first (its `static` helpers and
 * its headers' inline functions), then in the program. A callee that is not what its name means
 * in the caller's file (a `static` helper of the wrapper's file, when the caller has a function of
 * that name or none) is merged under a name of its own, which the merged function's `scope` maps
 * its call to. Returns the URIs of the files used.
 */
export function mergeProgram(model: FileModel, program: ProgramSource, identifiersOf: (fn: FunctionDef) => Set<string>, ownNames: ReadonlySet<string> = new Set()): ProgramMerge {
  // The caller's own view: its functions and its headers' (merged ones come on top).
  const own = new Map(model.functions);
  // Breadth first: under the bound, the callees nearest the file's own functions come first.
  const pending: Pending[] = [...own.values()].map((fn) => ({ fn }));
  const used = new Set<string>();
  let merged = 0;
  let next = 0;
  for (; next < pending.length && merged < MAX_MERGED_FUNCTIONS && used.size < MAX_FILES_PER_ANALYSIS; next++) {
    const { fn, home } = pending[next];
    const body = bodyText(fn);
    // Searched once: a C body holds no `::`, and a search per identifier of a large body (btrfs)
    // was a tenth of the whole check.
    const colons = body.includes('::');
    for (const id of identifiersOf(fn)) {
      if (id === fn.name || routineInfo(id)) continue;
      // A macro of the function's own file is its meaning there (merged by `mergeNamed`).
      if (home ? home.model.macros.has(id) : model.macros.has(id)) continue;
      if (!home && own.has(id)) continue;
      // `Builder::Make(...)` in the body: `Make` may be a member another file defines out of line.
      const qualified = colons && body.includes(`::${id}`);
      const target = calleeTarget(program, home, id, qualified);
      // Already mapped by `mergeNamed`: a define or layout of its own file, or a name of the caller's file it cannot see.
      const mapped = home !== undefined && fn.scope?.has(id) === true;
      if (mapped && !target) continue;
      // A macro the caller's file defines is not what the name means in the merged function's file.
      const plain = home ? !model.macros.has(id) && !mapped && sameAsCallerView(own, program, id, target, qualified) : true;
      if (!plain) {
        const key = target ? scopedName(model, id, target.uri) : `${id} (not in the program)`;
        (fn.scope ??= new Map()).set(id, key);
        if (!target || model.functions.has(key)) continue;
        const copy: FunctionDef = { ...target.def, name: key, fromHeader: true, file: target.def.fromHeader ? target.def.file : target.uri, scope: undefined };
        addMerged(model, copy, target, identifiersOf, pending, used, ownNames);
        merged++;
        continue;
      }
      if (!target || model.functions.has(id) || model.functions.has(target.def.name)) continue;
      // A header function of that file is reported at its call there, like the caller's own header functions.
      const copy: FunctionDef = target.def.fromHeader ? { ...target.def, scope: undefined } : { ...target.def, fromHeader: true, file: target.uri, scope: undefined };
      addMerged(model, copy, target, identifiersOf, pending, used, ownNames);
      merged++;
    }
  }
  // Functions whose calls were not looked up: a call of theirs into another file is an unknown call.
  const unfollowed = new Set<string>();
  for (const { fn, home } of pending.slice(next)) {
    for (const id of identifiersOf(fn)) {
      if (id === fn.name || model.macros.has(id) || routineInfo(id) || (!home && own.has(id))) continue;
      if (home?.model.functions.has(id) || program.definer(id) !== undefined) {
        unfollowed.add(fn.name);
        break;
      }
    }
  }
  const bound = unfollowed.size === 0 ? undefined : merged >= MAX_MERGED_FUNCTIONS ? `${MAX_MERGED_FUNCTIONS} functions of other files` : `${MAX_FILES_PER_ANALYSIS} other files`;
  return { files: [...used], unfollowed, bound };
}

/** What merging the program did, and where it stopped. */
export interface ProgramMerge {
  /** URIs of the other files whose functions were merged. */
  files: string[];
  /** Functions (model names) some of whose calls into other files were not followed: the bound was reached first. */
  unfollowed: Set<string>;
  /** The bound reached, when one was. */
  bound?: string;
}

interface Target {
  def: FunctionDef;
  uri: string;
  model: FileModel;
}

interface Pending {
  fn: FunctionDef;
  /** The other file a merged function comes from (its model, with its headers, and its URI). */
  home?: { model: FileModel; uri: string };
}

/** What a call of `id` in a function of `home` (undefined: the caller's file) runs, outside the caller's own functions. */
function calleeTarget(program: ProgramSource, home: Pending['home'], id: string, qualified: boolean): Target | undefined {
  const local = home ? (qualified ? functionNamed(home.model, id) : home.model.functions.get(id)) : undefined;
  if (home && local) return { def: local, uri: home.uri, model: home.model };
  const uri = definerOf(program, id, qualified);
  const other = uri ? programFileModel(program, uri) : undefined;
  // A qualified call's `Make` names `ns::Builder::Make` there (see `functionNamed`).
  const def = other ? (qualified ? functionNamed(other, id) : other.functions.get(id)) : undefined;
  return uri && other && def ? { def, uri, model: other } : undefined;
}

/**
 * Whether a merged function's callee is what the name means in the caller's file, so it can be
 * merged under its own name: the caller's non-`static` function of that name (the wrapper calls
 * back into it), the same header function (the same text), or the one other file's definition.
 */
/** The one other file defining `id`, or (for a qualified call) a function whose qualified name ends with it. */
function definerOf(program: ProgramSource, id: string, qualified: boolean): string | undefined {
  return program.definer(id) ?? (qualified ? program.memberDefiner?.(id) : undefined);
}

function sameAsCallerView(own: Map<string, FunctionDef>, program: ProgramSource, id: string, target: Target | undefined, qualified: boolean): boolean {
  const mine = own.get(id);
  if (mine) {
    if (!target) return !mine.fromHeader && !isStatic(mine);
    return mine.fromHeader === true && target.def.fromHeader === true && functionDigest(mine) === functionDigest(target.def);
  }
  if (!target) return true;
  return !target.def.fromHeader && !isStatic(target.def) && definerOf(program, id, qualified) === target.uri;
}

function sameMacro(a: FunctionMacro, b: FunctionMacro): boolean {
  return a.body === b.body && a.params.join(',') === b.params.join(',');
}

/** Names for `id` of file `uri` that no identifier can be: `Finish (wrap.c)`, else with the whole URI. */
function scopedNames(id: string, uri: string): [short: string, whole: string] {
  return [`${id} (${fileNameOfUri(uri)})`, `${id} (${uri})`];
}

/** The name a function `id` of file `uri` is merged under when the model holds another `id`. */
function scopedName(model: FileModel, id: string, uri: string): string {
  const [short, whole] = scopedNames(id, uri);
  const taken = model.functions.get(short);
  return !taken || taken.file === uri ? short : whole;
}

function addMerged(model: FileModel, copy: FunctionDef, target: Target, identifiersOf: (fn: FunctionDef) => Set<string>, pending: Pending[], used: Set<string>, ownNames: ReadonlySet<string>): void {
  model.functions.set(copy.name, copy);
  mergeNamed(model, target, identifiersOf(copy), copy, ownNames);
  used.add(target.uri);
  pending.push({ fn: copy, home: { model: target.model, uri: target.uri } });
}

/**
 * The macros, defines and layouts the merged function names, and what those macros and defines
 * name in turn (a size macro built from a layout, a tag from a constant), each as its own file
 * means it. A meaning the model holds the same under that name (a header both files include) is
 * shared. Any other goes under a name of its own, which `fn`'s scope maps its uses to: the wrapper
 * expands its own macros and folds its own constants and sizes, and the caller's functions never
 * see the wrapper's private ones (a wrapper's `#define NoteLog(l) ...` must not replace the
 * caller's call of another file's `NoteLog`). A name the wrapper's file gives no meaning while the
 * caller's file itself defines it (`ownNames`: its own `#define`s, which no other translation unit
 * sees) is mapped to a name nothing holds: in the wrapper it is the variable or unknown it is there.
 */
function mergeNamed(model: FileModel, target: Target, ids: Set<string>, fn: FunctionDef, ownNames: ReadonlySet<string>): void {
  const other = target.model;
  visitNamesThrough(ids, (id) => {
    const macro = other.functions.has(id) ? undefined : other.macros.get(id);
    const value = other.defines.get(id);
    const size = other.structSizes.get(id);
    if (other.pointerTypedefs.has(id)) model.pointerTypedefs.add(id);
    if (macro === undefined && value === undefined && size === undefined) {
      if (ownNames.has(id) && !fn.scope?.has(id)) (fn.scope ??= new Map()).set(id, scopedNames(id, target.uri)[1]);
      return [];
    }
    // Every meaning of the name goes under one key, so the scope maps it once for all of them.
    const meanings = [fits(model.macros, macro, sameMacro), fits(model.defines, value), fits(model.structSizes, size)];
    const shared = meanings.every((fit) => fit(id) === 'same' || fit(id) === 'absent');
    const key = shared ? id : scopedKey(id, target.uri, meanings);
    if (key !== id) (fn.scope ??= new Map()).set(id, key);
    if (macro) model.macros.set(key, macro);
    if (value !== undefined) model.defines.set(key, value);
    if (size !== undefined) model.structSizes.set(key, size);
    return [...(macro ? [macro.body] : []), ...(value !== undefined ? [value] : [])];
  });
}

/** How the callee file's meaning of a name fits a table of the model under a key. */
type Fit = (key: string) => 'absent' | 'free' | 'same' | 'other' | 'missing';

/**
 * `absent`: neither has one; `free`: only the callee's file; `same`; `other`: another meaning;
 * `missing`: only the model (the callee's file gives the name no such meaning).
 */
function fits<T>(table: Map<string, T>, value: T | undefined, same: (a: T, b: T) => boolean = (a, b) => a === b): Fit {
  return (key) => {
    const present = table.get(key);
    if (value === undefined) return present === undefined ? 'absent' : 'missing';
    return present === undefined ? 'free' : present === value || same(present, value) ? 'same' : 'other';
  };
}

/** The scoped key of a name whose meaning in file `uri` is not the model's: `NAME (wrap.c)`, else with the whole URI. */
function scopedKey(id: string, uri: string, meanings: Fit[]): string {
  const [short, whole] = scopedNames(id, uri);
  return meanings.every((fit) => fit(short) !== 'other' && fit(short) !== 'missing') ? short : whole;
}

/** Models of program files by text; their trees stay alive while cached (bodies point into them). */
const fileCache = new Map<string, { model: FileModel; tree: { delete(): void } }>();
const MAX_CACHED_FILES = 128;

/** Models of program files already built for one program source (one analysis in the CLI, one index generation in the editor). */
const perSource = new WeakMap<ProgramSource, Map<string, { text: string | undefined; model: FileModel | undefined }>>();

function programFileModel(program: ProgramSource, uri: string): FileModel | undefined {
  let models = perSource.get(program);
  if (!models) perSource.set(program, (models = new Map()));
  const text = program.text(uri);
  const known = models.get(uri);
  if (known && known.text === text) return known.model;
  const model = buildProgramFileModel(program, uri, text);
  models.set(uri, { text, model });
  return model;
}

function buildProgramFileModel(program: ProgramSource, uri: string, text: string | undefined): FileModel | undefined {
  if (text === undefined || text.length > MAX_PROGRAM_FILE) return undefined;
  // A C++ callee is parsed as C++ once that grammar is loaded (the CLI and the index load it when
  // a C++ file is among their inputs); the language is part of the key.
  const facts = program.build?.(uri);
  const wanted = facts?.language ?? languageFor(uri);
  const lang = wanted === 'cpp' && !isLanguageLoaded('cpp') ? 'c' : wanted;
  // The file's own headers and configuration, as when it is analysed itself: its #if arms are
  // chosen with what its headers define, and a wrapper runs with their macros and inline helpers.
  const headers = headersOf(text, program.includeReader?.(uri), facts);
  const headersKey = sha1Hex(JSON.stringify(headers));
  const lent = program.parsed?.(uri);
  if (lent && lent.language === lang) return lentModel(lent, `${facts?.key ?? '-'}:${headersKey}`, () => modelWithHeaders(lent, text, headers, facts));
  const key = `${lang}:${facts?.key ?? '-'}:${headersKey}:${sha1Hex(text)}`;
  let entry = fileCache.get(key);
  let inUse = keysInUse.get(program);
  if (!inUse) keysInUse.set(program, (inUse = new Set()));
  if (entry) {
    fileCache.delete(key);
  } else {
    const parsed = parseText(text, lang);
    entry = { model: modelWithHeaders(parsed, text, headers, facts), tree: parsed.tree };
    if (fileCache.size >= MAX_CACHED_FILES) evictOne(inUse);
  }
  inUse.add(key);
  fileCache.set(key, entry);
  return entry.model;
}

/**
 * The cache keys of the models a program source has handed out: their functions may be merged into
 * a model being analysed, so their trees stay alive while that source is in use (one analysis in
 * the CLI, one index generation in the editor). Deleting one made a later read of a merged body a
 * wasm out-of-bounds error once an analysis looked more than MAX_CACHED_FILES files up.
 */
const keysInUse = new WeakMap<ProgramSource, Set<string>>();

/** Deletes the least recently used cached file no model of `inUse` came from; none when all did (the cache grows). */
function evictOne(inUse: Set<string>): void {
  for (const [key, entry] of fileCache) {
    if (inUse.has(key)) continue;
    fileCache.delete(key);
    entry.tree.delete();
    return;
  }
}

/** Models of lent parses, by build view; they go when their owner drops the parse. */
const lentModels = new WeakMap<ParsedText, Map<string, FileModel>>();

function lentModel(parsed: ParsedText, view: string, build: () => FileModel): FileModel {
  let models = lentModels.get(parsed);
  if (!models) lentModels.set(parsed, (models = new Map()));
  let model = models.get(view);
  if (!model) models.set(view, (model = build()));
  return model;
}

/** The definition of `name` in the one other program file that defines it, with that file's URI. */
export function programFunction(program: ProgramSource, name: string): { fn: FunctionDef; uri: string } | undefined {
  const uri = program.definer(name);
  const fn = uri ? programFileModel(program, uri)?.functions.get(name) : undefined;
  return fn && uri ? { fn, uri } : undefined;
}

/**
 * What `name` means in program file `uri` itself: its function (a `static` one, or one of its
 * headers') or its macro, as a call written in that file resolves first.
 */
export function programFileName(program: ProgramSource, uri: string, name: string): { fn?: FunctionDef; macro?: string } {
  const model = programFileModel(program, uri);
  return { fn: model?.functions.get(name), macro: model?.macros.get(name)?.body };
}
