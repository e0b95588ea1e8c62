/**
 * The engine's run over one file: every function that can touch an ECP, path by path, with what
 * was not fully analysed. Function results are cached by the text they depend on, so an edit
 * re-runs only the functions it touched (and their callers). The rules that need no path run
 * beside this (`checkFile.ts`), keyed by the same function keys; the engine imports no rule.
 */
import { sha1Hex } from '../util/hash';
import type { ParsedText } from '../parsing/parser';
import { bodyText, bodyCode, bodyIdentifiers, functionDigest, type FileModel, type FunctionDef } from './fileModel';
import { runFunctionInSlices } from './analyzeFunction';
import type { RawFinding, Limits } from './context';
import { ECP_ROUTINE_WORD } from './catalogAccess';
import { callsThroughPointer } from './routinePointers';
import { detachedDeep } from '../util/textCache';
import { type CoverageGap, type FileCoverage, boundReason, bodyParseGap, notAnalysedGaps } from './coverage';
import { resolveSplitConditionals } from './splitConditionals';
import { mergeProgram, programFactsOf, type ProgramFacts, type ProgramMerge, type ProgramSource } from './program';
import { definesOf, type BuildFacts } from './preprocessor';
import { modelWithIncludes, type IncludeReader } from './includes';
import { runToEnd, type Sliced } from '../util/slices';
import { nameWords, visitNamesThrough } from '../util/codeText';

export type { IncludeKind, IncludeReader } from './includes';

/** What the engine needs of the rest of the program (the rules above it need more: `checkFile.ts`). */
export interface ProgramContext {
  /** Functions of the other files of the program, run at their call sites. */
  program?: ProgramSource;
  /** Changes whenever a function the program offers changes. */
  programKey?: string;
}

export type EngineFinding = RawFinding & { functionName: string | null };

export interface PathAnalysis {
  findings: EngineFinding[];
  log: string[];
  model: FileModel;
  /** The functions this file offers the rest of the program (before any were merged in). */
  program: ProgramFacts;
  /** The functions that were run, with their cache keys (a rule may cache its own result per function under the same key). */
  functions: { fn: FunctionDef; key: string }[];
  /** How many functions were analysed afresh (the rest came from the cache). */
  analysedFunctions: number;
  cachedFunctions: number;
  /** The ECP-using functions and what of them was not fully analysed. */
  coverage: FileCoverage;
}

interface CachedRun {
  startLine: number;
  findings: RawFinding[];
  log: string[];
  /** Why the run did not cover every path (lines relative to startLine), or null. */
  gap: CoverageGap | null;
}

const CACHE_LIMIT = 4000;
const functionCache = new Map<string, CachedRun>();

/** What a file is analysed (or simulated) with besides its own text. */
export interface ModelOptions {
  workspace?: ProgramContext;
  readInclude?: IncludeReader;
  build?: BuildFacts;
  /** The file's own model of this version, shared with the features (copied, never changed). */
  model?: FileModel;
}

/**
 * The model an analysis or a simulation of a file runs on: the file with its headers, the ECP
 * routines its pointers stand for, and the functions of other program files it calls (merged in,
 * each remembering its file). `offered` is what the file itself offers the program.
 */
export function programModel(parsed: ParsedText, source: string, opts: ModelOptions, memo = new Map<string, Set<string>>()): { model: FileModel; offered: ReturnType<typeof programFactsOf>; log: string[]; merge?: ProgramMerge } {
  const model = modelWithIncludes(parsed, source, opts.readInclude, opts.build, opts.model);
  // Functions a conditional splits mid-statement are read again with one arm of each.
  const log = resolveSplitConditionals(model, source, parsed.language ?? 'c');
  const offered = programFactsOf(model, source);
  model.routinePointers = new Map([...(opts.workspace?.program?.routinePointers ?? []), ...offered.routinePointers]);
  const program = opts.workspace?.program;
  // The file's own #defines are its translation unit's alone: a wrapper of another file never sees them.
  const merge = program ? mergeProgram(model, program, (fn) => identifiersOf(fn, memo), new Set(definesOf(source).defines.keys())) : undefined;
  if (merge?.bound) log.push(`program: functions of other files were merged up to the bound (${merge.bound}); the calls into other files of ${[...merge.unfollowed].slice(0, 5).join(', ')}${merge.unfollowed.size > 5 ? ` and ${merge.unfollowed.size - 5} more` : ''} are unknown calls`);
  return { model, offered, log, merge };
}

export function analyzePaths(parsed: ParsedText, source: string, opts: ModelOptions & { limits?: Partial<Limits> } = {}): PathAnalysis {
  return runToEnd(analyzePathsInSlices(parsed, source, opts));
}

/** The same analysis, pausing after each function (the server answers requests in between). */
export function* analyzePathsInSlices(parsed: ParsedText, source: string, opts: ModelOptions & { limits?: Partial<Limits>; share?: RunShare } = {}): Sliced<PathAnalysis> {
  const memo = new Map<string, Set<string>>();
  const { model, offered, log, merge } = programModel(parsed, source, opts, memo);
  const findings: EngineFinding[] = [];
  const ran: PathAnalysis['functions'] = [];
  let analysed = 0;
  let cached = 0;
  let functions = 0;
  const incomplete: CoverageGap[] = [];
  const program = opts.workspace?.program;
  const todo = yield* functionsToRun(model, opts.limits, memo);
  // Shared: this thread runs the functions it takes first; the others' runs are gathered below.
  const runs: (CachedRun | undefined)[] = [];
  const share = opts.share;
  if (share) {
    for (let k = share.next(todo.length); k < todo.length; k = share.next(todo.length)) {
      if (!functionCache.has(todo[k].key)) analysed++;
      else cached++;
      runs[k] = yield* cachedRun(todo[k].key, model, todo[k].fn, source, opts.limits);
    }
  }
  for (let k = 0; k < todo.length; k++) {
    yield;
    const { fn, key } = todo[k];
    const startLine = fn.node.startPosition.row;
    let run = runs[k];
    if (!run) {
      const other = share?.take(k, key);
      if (other) {
        analysed++;
        // Kept as if run here: a fix verified later finds it by its key, as a run of its own.
        functionCache.delete(key);
        functionCache.set(key, (run = other));
      } else {
        if (!functionCache.has(key)) analysed++;
        else cached++;
        run = yield* cachedRun(key, model, fn, source, opts.limits);
      }
    }
    const shift = startLine - run.startLine;
    functions++;
    ran.push({ fn, key });
    const gap = run.gap ?? programGap(fn, model, merge, memo);
    if (gap) incomplete.push({ ...gap, line: startLine });
    for (const f of run.findings) {
      if (program && f.site.inner && (yield* calleeReportsItself(model, f, program, opts.limits, memo))) continue;
      findings.push({ ...shiftFinding(f, shift), functionName: fn.name });
    }
    log.push(...run.log);
  }
  trimCache();
  dedupeFindings(findings);
  if (model.pp?.build.known && model.pp.missingHeaders.length > 0) {
    log.push(`build configuration: a name it does not define is not taken as undefined, because these headers were not found: ${model.pp.missingHeaders.join(', ')}`);
  }
  const notAnalysed = notAnalysedGaps(parsed.tree.rootNode, model.unparsedRegions, source);
  for (const g of incomplete) log.push(`${g.function} (line ${g.line + 1}): analysis incomplete (${g.reason.replace('-', ' ')}): ${g.detail}`);
  for (const g of notAnalysed) log.push(`${g.function ?? 'code'} (line ${g.line + 1}): not analysed (parse error): ${g.detail}`);
  const coverage: FileCoverage = { functions: functions + notAnalysed.length, analysed: functions - incomplete.length, incomplete, notAnalysed };
  return { findings, log, model, program: offered, functions: ran, analysedFunctions: analysed, cachedFunctions: cached, coverage };
}

/** The functions of the file that are walked, in order, with their cache keys. */
function* functionsToRun(model: FileModel, limits: Partial<Limits> | undefined, memo: Map<string, Set<string>>): Sliced<{ fn: FunctionDef; key: string }[]> {
  const todo: { fn: FunctionDef; key: string }[] = [];
  for (const fn of model.functions.values()) {
    yield;
    if (fn.fromHeader || !callsAnythingEcp(fn, model, memo)) continue;
    todo.push({ fn, key: functionKey(fn, model, limits, memo) });
  }
  return todo;
}

/**
 * The runs of one file's functions split between threads (the CLI's workers). Every thread that
 * holds the file takes the next function not yet taken (`next`, the same count in each: the
 * same model gives the same functions in the same order); the file's own thread then gathers the
 * runs the others made (`take`). A run depends only on its key, so the file's findings do not
 * depend on which thread ran what.
 */
export interface RunShare {
  /** The index of the next function this thread runs (`count` or more: none is left). */
  next(count: number): number;
  /** The run another thread made of function `index`, if its key is `key` (else it is run here). */
  take(index: number, key: string): SharedRun | undefined;
}

/** A function's run as it travels between threads (plain data). */
export type SharedRun = CachedRun;

/**
 * A thread that helps with another thread's file: it builds the same model and runs the functions
 * it takes, handing each run on (`deliver`), until none is left.
 */
export function helpRunFunctions(parsed: ParsedText, source: string, opts: ModelOptions & { limits?: Partial<Limits> }, share: Pick<RunShare, 'next'> & { deliver(index: number, key: string, run: SharedRun): void }): void {
  const memo = new Map<string, Set<string>>();
  const { model } = programModel(parsed, source, opts, memo);
  const todo = runToEnd(functionsToRun(model, opts.limits, memo));
  for (let k = share.next(todo.length); k < todo.length; k = share.next(todo.length)) {
    share.deliver(k, todo[k].key, runToEnd(cachedRun(todo[k].key, model, todo[k].fn, source, opts.limits)));
  }
  trimCache();
}

/** A function's run, from the cache or run afresh, pausing inside the run (a large function is many slices in the server). */
function* cachedRun(key: string, model: FileModel, fn: FunctionDef, source: string, limits: Partial<Limits> | undefined): Sliced<CachedRun> {
  let run = functionCache.get(key);
  if (run) {
    functionCache.delete(key);
  } else {
    const r = yield* runFunctionInSlices(model, fn, source, { limits, keepCompleted: false });
    const startLine = fn.node.startPosition.row;
    const gap = r.boundHit ? { function: fn.name, line: startLine, reason: boundReason(r.boundHit), detail: `stopped after ${r.boundHit}` } : bodyParseGap(fn.name, fn.node, fn.body) ?? noPathGap(fn, r);
    // Cached across versions: its names and messages must not hold this version's text alive.
    run = detachedDeep({ startLine, findings: r.findings, log: r.log, gap });
  }
  functionCache.set(key, run);
  return run;
}

/**
 * A problem found inside a function of another file that its own analysis (with unknown
 * arguments) reports too belongs to that file, as a same-file helper's does to the helper.
 */
function* calleeReportsItself(model: FileModel, f: RawFinding, program: ProgramSource, limits: Partial<Limits> | undefined, memo: Map<string, Set<string>>): Sliced<boolean> {
  const inner = f.site.inner!;
  const callee = [...model.functions.values()].find((g) => g.file === inner.file && g.node.startPosition.row <= inner.line && g.node.endPosition.row >= inner.line);
  const text = callee && program.text(inner.file);
  if (!callee || text === undefined) return false;
  const alone: FunctionDef = { ...callee, fromHeader: false, file: undefined };
  const run = yield* cachedRun(`${inner.file}\u0000${functionKey(alone, model, limits, memo)}`, model, alone, text, limits);
  return run.findings.some((g) => g.code === f.code && g.site.line === inner.line && g.site.character === inner.character);
}

/** A function that reaches a call into another file the program merge did not follow (its bound). */
function programGap(fn: FunctionDef, model: FileModel, merge: ProgramMerge | undefined, memo: Map<string, Set<string>>): CoverageGap | null {
  if (!merge?.bound || merge.unfollowed.size === 0) return null;
  // Every function it can reach (not only the 64 its cache key names): the bound sits deep in a chain.
  let stops: FunctionDef | undefined;
  const seen = new Set<string>([fn.name]);
  for (const todo = [fn]; todo.length > 0 && !stops; ) {
    const current = todo.pop()!;
    if (merge.unfollowed.has(current.name)) stops = current;
    for (const id of calledNamesIn(current, model, memo)) {
      const callee = model.functions.get(id);
      if (callee && !seen.has(id)) {
        seen.add(id);
        todo.push(callee);
      }
    }
  }
  if (!stops) return null;
  const where = stops === fn ? 'it calls functions of other files' : `${stops.name}, which it reaches, calls functions of other files`;
  return { function: fn.name, line: fn.node.startPosition.row, reason: 'program-bound', detail: `${where} that were not followed: this file's program view stopped at ${merge.bound}` };
}

/** Every path was dropped (a goto the engine could not follow, ...) and none was endless by design. */
function noPathGap(fn: FunctionDef, r: { completedCount: number; endlessLoops: number[] }): CoverageGap | null {
  if (r.completedCount > 0 || r.endlessLoops.length > 0) return null;
  return { function: fn.name, line: fn.node.startPosition.row, reason: 'unsupported', detail: 'no path could be followed to the end of the function' };
}

/** A problem inside a helper is seen by the helper's own run and by each caller's: keep one. */
export function dedupeFindings(findings: EngineFinding[]): void {
  const seen = new Set<string>();
  let w = 0;
  for (const f of findings) {
    const key = `${f.code}@${f.site.line}:${f.site.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings[w++] = f;
  }
  findings.length = w;
}

const ECP_CALL = new RegExp(String.raw`${ECP_ROUTINE_WORD}\s*\(`);


/** Identifiers a function body mentions (computed once per body text). */
function identifiersOf(fn: FunctionDef, memo: Map<string, Set<string>>): Set<string> {
  let ids = memo.get(fn.name);
  if (!ids) {
    ids = bodyIdentifiers(fn);
    memo.set(fn.name, ids);
  }
  return ids;
}

let nextNameSet = 0;
const nameSetIds = new Map<string, number>();
const nameSetOfModel = new WeakMap<FileModel, number>();

/** A number for the model's function and macro names (models with the same names get the same one). */
function nameSetOf(model: FileModel): number {
  let id = nameSetOfModel.get(model);
  if (id === undefined) {
    const key = `${[...model.functions.keys()].join('\u0000')}\u0001${[...model.macros.keys()].join('\u0000')}`;
    id = nameSetIds.get(key);
    if (id === undefined) {
      if (nameSetIds.size >= 256) nameSetIds.clear();
      nameSetIds.set(key, (id = nextNameSet++));
    }
    nameSetOfModel.set(model, id);
  }
  return id;
}

const namedIn = new WeakMap<Set<string>, { names: number; ids: string[] }>();

/**
 * The identifiers of `ids` that name a function or a macro of the model, in their order: kept
 * with the set (one per body text) while the model's names stay the same, so the callees of an
 * unchanged function are not looked for among all its words again after an edit.
 */
function modelNamesIn(ids: Set<string>, model: FileModel): string[] {
  const names = nameSetOf(model);
  const known = namedIn.get(ids);
  if (known && known.names === names) return known.ids;
  const found: string[] = [];
  for (const id of ids) if (model.functions.has(id) || model.macros.has(id)) found.push(id);
  namedIn.set(ids, { names, ids: found });
  return found;
}

/**
 * The model names of the functions and macros `fn` names: a name its own file's `static` helper
 * or macro answers (`FunctionDef.scope`) stands for that one's name in the model.
 */
function calledNamesIn(fn: FunctionDef, model: FileModel, memo: Map<string, Set<string>>): string[] {
  const ids = modelNamesIn(identifiersOf(fn, memo), model);
  if (!fn.scope) return ids;
  const scope = fn.scope;
  return [...ids.filter((id) => !scope.has(id)), ...[...scope.values()].filter((key) => model.functions.has(key) || model.macros.has(key))];
}

/** Only functions that mention an ECP routine (directly, through a local helper or a macro) are walked. */
function callsAnythingEcp(fn: FunctionDef, model: FileModel, memo: Map<string, Set<string>>, visiting = new Set<string>()): boolean {
  // Code only: a routine named in a comment (a call left commented out) is no use of it.
  const body = bodyCode(fn);
  if (ECP_CALL.test(body) || body.includes('ExtraCreateParameter')) return true;
  if (callsThroughPointer(identifiersOf(fn, memo), body, model.routinePointers)) return true;
  visiting.add(fn.name);
  for (const id of calledNamesIn(fn, model, memo)) {
    const callee = model.functions.get(id);
    if (callee && !visiting.has(id) && callsAnythingEcp(callee, model, memo, visiting)) return true;
    const macro = model.macros.get(id);
    if (macro && !visiting.has(id) && macroCallsEcp(id, macro.body, model, memo, visiting)) return true;
  }
  return false;
}

/**
 * A macro that calls an ECP routine or a local function that does (not one that only tests a
 * status: `NT_SUCCESS` inside is no ECP use).
 */
function macroCallsEcp(name: string, body: string, model: FileModel, memo: Map<string, Set<string>>, visiting: Set<string>): boolean {
  if (ECP_CALL.test(body) || body.includes('ExtraCreateParameter')) return true;
  visiting.add(name);
  for (const id of nameWords(body)) {
    if (visiting.has(id)) continue;
    const callee = model.functions.get(id);
    if (callee && callsAnythingEcp(callee, model, memo, visiting)) return true;
    const inner = model.macros.get(id);
    if (inner && macroCallsEcp(id, inner.body, model, memo, visiting)) return true;
  }
  return false;
}

/**
 * The function's own text, the texts of the local functions it can reach (they are run on its
 * paths), the macros, defines and struct sizes it names, and the limits.
 */
function functionKey(fn: FunctionDef, model: FileModel, limits: Partial<Limits> | undefined, memo: Map<string, Set<string>>): string {
  const reached = reachedFrom(fn, model, memo);
  // What the key is computed from, short: the whole model's names stand for the ones the
  // functions name, so an edit that leaves both unchanged finds the key without building it.
  const inputs = [environmentKey(model, limits)];
  for (const current of reached) inputs.push(`${placeOf(current, fn)}:${current.node.startPosition.column}:${functionDigest(current)}:${current.pp === model.pp ? '' : current.pp?.viewKey ?? '-'}`);
  const memoKey = inputs.join('\u0000');
  let key = keyMemo.get(memoKey);
  if (key === undefined) {
    key = computedKey(fn, reached, model, limits, memo);
    if (keyMemo.size >= KEY_MEMO_LIMIT) keyMemo.clear();
    keyMemo.set(memoKey, key);
  }
  return key;
}

const KEY_MEMO_LIMIT = 8000;
const keyMemo = new Map<string, string>();

/** The function and the local functions it can reach, breadth first (at most 64). */
function reachedFrom(fn: FunctionDef, model: FileModel, memo: Map<string, Set<string>>): FunctionDef[] {
  const names = new Set<string>([fn.name]);
  const reached = [fn];
  for (let i = 0; i < reached.length; i++) {
    for (const id of calledNamesIn(reached[i], model, memo)) {
      const callee = model.functions.get(id);
      if (callee && !names.has(id) && names.size < 64) {
        names.add(id);
        reached.push(callee);
      }
    }
  }
  return reached;
}

/** A helper's position relative to the function matters too: the findings carry its lines. */
function placeOf(current: FunctionDef, fn: FunctionDef): string | number {
  return current === fn ? 0 : current.file ? `f${current.file}` : current.fromHeader ? 'h' : current.node.startPosition.row - fn.node.startPosition.row;
}

function computedKey(fn: FunctionDef, reached: FunctionDef[], model: FileModel, limits: Partial<Limits> | undefined, memo: Map<string, Set<string>>): string {
  // The parts are joined and hashed once (a hash update per part cost more than the hashing).
  // The build configuration decides `#if` arms and which headers are found.
  const parts: string[] = [`\u0000${fn.node.startPosition.column}\u0000${limitsKey(limits)}\u0000${model.pp?.viewKey ?? '-'}:${model.pp?.key ?? '-'}`, `\u0000${pointersKey(model)}`];
  for (const current of reached) {
    parts.push(`\u0000${placeOf(current, fn)}:${current.node.startPosition.column}\u0000${functionDigest(current)}`);
    // A header function or a callee of another file runs under its own text's view of the build.
    if (current.pp !== model.pp) parts.push(`\u0000${current.pp?.viewKey ?? '-'}`);
    namesKey(parts, identifiersOf(current, memo), model, current.scope);
  }
  return sha1Hex(parts.join(''));
}

const environmentKeys = new WeakMap<FileModel, { limits: Partial<Limits> | undefined; key: string }>();

/** Everything of the model a function key may read besides the functions: once per analysis. */
function environmentKey(model: FileModel, limits: Partial<Limits> | undefined): string {
  const known = environmentKeys.get(model);
  if (known && known.limits === limits) return known.key;
  const parts: string[] = [limitsKey(limits), `${model.pp?.viewKey ?? '-'}:${model.pp?.key ?? '-'}`, pointersKey(model)];
  for (const [k, m] of model.macros) parts.push(`#${k}(${m.params.join(',')})${m.body}`);
  for (const [k, v] of model.defines) parts.push(`=${k}=${v}`);
  for (const [k, v] of model.structSizes) parts.push(`s${k}=${v}`);
  for (const k of model.pointerTypedefs) parts.push(`p${k}`);
  const key = sha1Hex(parts.join('\u0000'));
  environmentKeys.set(model, { limits, key });
  return key;
}

let lastLimits: { limits: Partial<Limits> | undefined; key: string } | undefined;

/** The limits as text, once per analysis (every function's key includes them). */
function limitsKey(limits: Partial<Limits> | undefined): string {
  if (!lastLimits || lastLimits.limits !== limits) lastLimits = { limits, key: JSON.stringify(limits ?? {}) };
  return lastLimits.key;
}

const pointerKeys = new WeakMap<FileModel, string>();

/** The model's routine pointers as text, once per analysis (every function's key includes them). */
function pointersKey(model: FileModel): string {
  let key = pointerKeys.get(model);
  if (key === undefined) pointerKeys.set(model, (key = JSON.stringify([...(model.routinePointers ?? [])])));
  return key;
}

/**
 * The macros, defines, layouts and pointer types the names stand for, and those their bodies name
 * in turn (`#define FLAGS BASE_FLAGS`: an edit of BASE_FLAGS changes the key), each read where the
 * function's scope says (its own file's when that differs).
 */
function namesKey(parts: string[], names: Set<string>, model: FileModel, scope: Map<string, string> | undefined): void {
  visitNamesThrough(names, (name) => {
    const id = scope?.get(name) ?? name;
    const bodies: string[] = [];
    const m = model.macros.get(id);
    if (m) {
      parts.push(`\u0000#${id}(${m.params.join(',')})${m.body}`);
      bodies.push(m.body);
    }
    const value = model.defines.get(id);
    if (value !== undefined) {
      parts.push(`\u0000=${id}=${value}`);
      bodies.push(value);
    }
    const size = model.structSizes.get(id);
    if (size !== undefined) parts.push(`\u0000s${id}=${size}`);
    if (model.pointerTypedefs.has(id)) parts.push(`\u0000p${id}`);
    return bodies;
  });
}

/** A finding of a function whose first line moved by `shift` lines since it was cached. */
export function shiftFinding(f: RawFinding, shift: number): RawFinding {
  if (shift === 0) return f;
  const move = <T extends { line: number; endLine: number }>(s: T): T => ({ ...s, line: s.line + shift, endLine: s.endLine + shift });
  return {
    ...f,
    site: move(f.site),
    related: f.related.map((r) => ({ ...r, site: move(r.site) })),
    fix: f.fix && f.fix.kind === 'free-before-return' ? { ...f.fix, returnSite: move(f.fix.returnSite) } : f.fix && f.fix.kind === 'replace-text' ? { ...f.fix, range: move(f.fix.range) } : f.fix,
  };
}

function trimCache(): void {
  while (functionCache.size > CACHE_LIMIT) {
    const oldest = functionCache.keys().next().value;
    if (oldest === undefined) break;
    functionCache.delete(oldest);
  }
}

export function clearFunctionCache(): void {
  functionCache.clear();
}

/** The file's own function (not a header's) whose lines hold `line`. */
export function enclosingFunction(model: FileModel, line: number): string | null {
  for (const fn of model.functions.values()) {
    if (!fn.fromHeader && fn.node.startPosition.row <= line && fn.node.endPosition.row >= line) return fn.name;
  }
  return null;
}
