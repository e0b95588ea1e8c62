/**
 * Analysis of one file: every function path by path, the syntactic rules, and the lookaside pairs
 * checked against what the rest of the workspace does. Function results are cached by the text
 * they depend on, so an edit re-runs only the functions it touched (and their callers).
 */
import { createHash } from 'node:crypto';
import { parseText, languageFor, type ParsedText, type SourceLanguage } from '../parsing/parser';
import { buildFileModel, copyModel, bodyText, bodyIdentifiers, functionDigest, type FileModel, type FunctionDef } from './fileModel';
import { runFunction } from './analyzeFunction';
import type { RawFinding, Limits } from './context';
import { checkSyntaxIn, type LookasideUse } from '../rules/syntactic';
import { lookasideFamilyFindings } from './lookasideFamily';
import { callsThroughPointer } from './routinePointers';
import { detachedDeep } from '../util/textCache';
import { type CoverageGap, type FileCoverage, boundReason, bodyParseGap, notAnalysedGaps } from './coverage';
import { resolveSplitConditionals } from './splitConditionals';
import { mergeProgram, programFactsOf, type ProgramFacts, type ProgramSource } from './program';
import { PpScope, definesOf, isSystemHeader, type BuildFacts } from './preprocessor';
import { lifecycleFactsOf, type LifecycleFacts } from '../lifecycle/facts';
import { lifecycleFindings } from '../lifecycle/rules';

export interface WorkspaceFacts {
  /** Lookaside names deleted anywhere else in the workspace. */
  lookasideDeletes: Set<string>;
  /** Lookasides initialised elsewhere: name → flags at init. */
  lookasideInits: Map<string, LookasideUse>;
  /** The whole workspace has been seen (otherwise "never deleted" cannot be claimed). */
  complete: boolean;
  /** Functions of the other files of the program, run at their call sites. */
  program?: ProgramSource;
  /** Changes whenever a function the program offers changes. */
  programKey?: string;
  /** The other files' registrations, unload callbacks and dispatch routines (lifecycle rules). */
  lifecycle?: { uri: string; facts: LifecycleFacts }[];
  /** Changes whenever `lifecycle` does. */
  lifecycleKey?: string;
}

export interface FileAnalysis {
  findings: (RawFinding & { functionName: string | null })[];
  log: string[];
  model: FileModel;
  lookasideInits: LookasideUse[];
  lookasideDeletes: LookasideUse[];
  /** The functions this file offers the rest of the program (before any were merged in). */
  program: ProgramFacts;
  /** The entry points this file registers (for the lifecycle rules of every file). */
  lifecycle: LifecycleFacts;
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
  lookasideInits: LookasideUse[];
  lookasideDeletes: LookasideUse[];
  lookasideAllocs: LookasideUse[];
  /** Why the run did not cover every path (lines relative to startLine), or null. */
  gap: CoverageGap | null;
}

const CACHE_LIMIT = 4000;
const functionCache = new Map<string, CachedRun>();

/** How a header is named: `#include "x"`, `#include <x>`, or forced by the build (`-include`, absolute). */
export type IncludeKind = 'quote' | 'angle' | 'forced';

/**
 * Reads the text of an included header, or undefined when it is not found (then it is skipped).
 * `from` is the name the including header was asked for (absent: the analysed file includes it).
 */
export type IncludeReader = (name: string, kind?: IncludeKind, from?: string) => string | undefined;

/** What a file is analysed (or simulated) with besides its own text. */
export interface ModelOptions {
  workspace?: WorkspaceFacts;
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
export function programModel(parsed: ParsedText, source: string, opts: ModelOptions, memo = new Map<string, Set<string>>()): { model: FileModel; offered: ReturnType<typeof programFactsOf>; log: string[] } {
  const model = modelWithIncludes(parsed, source, opts.readInclude, opts.build, opts.model);
  // Functions a conditional splits mid-statement are read again with one arm of each.
  const log = resolveSplitConditionals(model, source, parsed.language ?? 'c');
  const offered = programFactsOf(model, source);
  model.routinePointers = new Map([...(opts.workspace?.program?.routinePointers ?? []), ...offered.routinePointers]);
  const program = opts.workspace?.program;
  if (program) mergeProgram(model, program, (fn) => identifiersOf(fn, memo));
  return { model, offered, log };
}

export function analyzeFile(parsed: ParsedText, source: string, opts: ModelOptions & { limits?: Partial<Limits> } = {}): FileAnalysis {
  const memo = new Map<string, Set<string>>();
  const { model, offered, log } = programModel(parsed, source, opts, memo);
  const findings: FileAnalysis['findings'] = [];
  let analysed = 0;
  let cached = 0;
  const inits: LookasideUse[] = [];
  const deletes: LookasideUse[] = [];
  const allocs: LookasideUse[] = [];
  let functions = 0;
  const incomplete: CoverageGap[] = [];
  const program = opts.workspace?.program;
  for (const fn of model.functions.values()) {
    if (fn.fromHeader || !callsAnythingEcp(fn, model, memo)) continue;
    const key = functionKey(fn, model, opts.limits, memo);
    const startLine = fn.node.startPosition.row;
    const fresh = !functionCache.has(key);
    const run = cachedRun(key, model, fn, source, opts.limits);
    if (fresh) analysed++;
    else cached++;
    const shift = startLine - run.startLine;
    functions++;
    if (run.gap) incomplete.push({ ...run.gap, line: startLine });
    for (const f of run.findings) {
      if (program && f.site.inner && calleeReportsItself(model, f, program, opts.limits, memo)) continue;
      findings.push({ ...shiftFinding(f, shift), functionName: fn.name });
    }
    inits.push(...run.lookasideInits.map((u) => shiftUse(u, shift)));
    deletes.push(...run.lookasideDeletes.map((u) => shiftUse(u, shift)));
    allocs.push(...run.lookasideAllocs.map((u) => shiftUse(u, shift)));
    log.push(...run.log);
  }
  trimCache();
  dedupeFindings(findings);
  const lookasideIssues = [...lookasideFindings(inits, deletes, opts.workspace), ...lookasideFamilyFindings(inits, [...deletes, ...allocs], opts.workspace?.lookasideInits, findings)];
  for (const f of lookasideIssues) {
    findings.push({ ...f, functionName: enclosingFunction(model, f.site.line) });
  }
  if (model.pp?.build.known && model.pp.missingHeaders.length > 0) {
    log.push(`build configuration: a name it does not define is not taken as undefined, because these headers were not found: ${model.pp.missingHeaders.join(', ')}`);
  }
  const lifecycle = lifecycleFactsOf(parsed.tree, source);
  const passed = lifecycleFindings({ model, own: lifecycle, others: opts.workspace?.lifecycle ?? [], program, complete: opts.workspace ? opts.workspace.complete : true });
  for (const f of passed.findings) findings.push({ ...f, functionName: enclosingFunction(model, f.site.line) });
  log.push(...passed.log);
  const notAnalysed = notAnalysedGaps(parsed.tree.rootNode, model.unparsedRegions, source);
  for (const g of incomplete) log.push(`${g.function} (line ${g.line + 1}): analysis incomplete (${g.reason.replace('-', ' ')}): ${g.detail}`);
  for (const g of notAnalysed) log.push(`${g.function ?? 'code'} (line ${g.line + 1}): not analysed (parse error): ${g.detail}`);
  const coverage: FileCoverage = { functions: functions + notAnalysed.length, analysed: functions - incomplete.length, incomplete, notAnalysed };
  return { findings, log, model, program: offered, lifecycle, lookasideInits: inits, lookasideDeletes: deletes, analysedFunctions: analysed, cachedFunctions: cached, coverage };
}

function cachedRun(key: string, model: FileModel, fn: FunctionDef, source: string, limits: Partial<Limits> | undefined): CachedRun {
  let run = functionCache.get(key);
  if (run) {
    functionCache.delete(key);
  } else {
    const r = runFunction(model, fn, source, { limits });
    const syntax = checkSyntaxIn(fn.node, model);
    const startLine = fn.node.startPosition.row;
    const gap = r.boundHit ? { function: fn.name, line: startLine, reason: boundReason(r.boundHit), detail: `stopped after ${r.boundHit}` } : bodyParseGap(fn.name, fn.node, fn.body) ?? noPathGap(fn, r);
    // Cached across versions: its names and messages must not hold this version's text alive.
    run = detachedDeep({ startLine, findings: [...r.findings, ...syntax.findings], log: r.log, lookasideInits: syntax.lookasideInits, lookasideDeletes: syntax.lookasideDeletes, lookasideAllocs: syntax.lookasideAllocs, gap });
  }
  functionCache.set(key, run);
  return run;
}

/**
 * A problem found inside a function of another file that its own analysis (with unknown
 * arguments) reports too belongs to that file, as a same-file helper's does to the helper.
 */
function calleeReportsItself(model: FileModel, f: RawFinding, program: ProgramSource, limits: Partial<Limits> | undefined, memo: Map<string, Set<string>>): boolean {
  const inner = f.site.inner!;
  const callee = [...model.functions.values()].find((g) => g.file === inner.file && g.node.startPosition.row <= inner.line && g.node.endPosition.row >= inner.line);
  const text = callee && program.text(inner.file);
  if (!callee || text === undefined) return false;
  const alone: FunctionDef = { ...callee, fromHeader: false, file: undefined };
  const run = cachedRun(`${inner.file}\u0000${functionKey(alone, model, limits, memo)}`, model, alone, text, limits);
  return run.findings.some((g) => g.code === f.code && g.site.line === inner.line && g.site.character === inner.character);
}

/** Every path was dropped (a goto the engine could not follow, ...) and none was endless by design. */
function noPathGap(fn: FunctionDef, r: { completed: unknown[]; endlessLoops: number[] }): CoverageGap | null {
  if (r.completed.length > 0 || r.endlessLoops.length > 0) return null;
  return { function: fn.name, line: fn.node.startPosition.row, reason: 'unsupported', detail: 'no path could be followed to the end of the function' };
}

/** A problem inside a helper is seen by the helper's own run and by each caller's: keep one. */
function dedupeFindings(findings: FileAnalysis['findings']): void {
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

function shiftUse(u: LookasideUse, shift: number): LookasideUse {
  if (shift === 0) return u;
  const move = (s: LookasideUse['site']) => ({ ...s, line: s.line + shift, endLine: s.endLine + shift });
  return { ...u, site: move(u.site), flagsSite: u.flagsSite ? move(u.flagsSite) : undefined };
}

const ECP_CALL = /\b(Flt|FsRtl|Io)\w*(ExtraCreateParameter|Ecp|CreateFileEx2?|DriverCreateContext)\w*\s*\(/;


/** Identifiers a function body mentions (computed once per body text). */
function identifiersOf(fn: FunctionDef, memo: Map<string, Set<string>>): Set<string> {
  let ids = memo.get(fn.name);
  if (!ids) {
    ids = bodyIdentifiers(fn);
    memo.set(fn.name, ids);
  }
  return ids;
}

/** Only functions that mention an ECP routine (directly, through a local helper or a macro) are walked. */
function callsAnythingEcp(fn: FunctionDef, model: FileModel, memo: Map<string, Set<string>>, visiting = new Set<string>()): boolean {
  const body = bodyText(fn);
  if (ECP_CALL.test(body) || body.includes('ExtraCreateParameter')) return true;
  if (callsThroughPointer(identifiersOf(fn, memo), body, model.routinePointers)) return true;
  visiting.add(fn.name);
  for (const id of identifiersOf(fn, memo)) {
    const callee = model.functions.get(id);
    if (callee && !visiting.has(id) && callsAnythingEcp(callee, model, memo, visiting)) return true;
    const macro = model.macros.get(id);
    if (macro && /Ecp|ExtraCreateParameter|NT_SUCCESS/.test(macro.body)) return true;
  }
  return false;
}

/**
 * The function's own text, the texts of the local functions it can reach (they are run on its
 * paths), the macros, defines and struct sizes it names, and the limits.
 */
function functionKey(fn: FunctionDef, model: FileModel, limits: Partial<Limits> | undefined, memo: Map<string, Set<string>>): string {
  // The parts are joined and hashed once (a hash update per part cost more than the hashing).
  // The build configuration decides `#if` arms and which headers are found.
  const parts: string[] = [`\u0000${fn.node.startPosition.column}\u0000${limitsKey(limits)}\u0000${model.pp?.viewKey ?? '-'}:${model.pp?.key ?? '-'}`, `\u0000${pointersKey(model)}`];
  const reached = new Set<string>([fn.name]);
  const queue = [fn];
  while (queue.length > 0) {
    const current = queue.shift()!;
    // A helper's position relative to the function matters too: the findings carry its lines.
    const offset = current === fn ? 0 : current.file ? `f${current.file}` : current.fromHeader ? 'h' : current.node.startPosition.row - fn.node.startPosition.row;
    parts.push(`\u0000${offset}:${current.node.startPosition.column}\u0000${functionDigest(current)}`);
    // A header function or a callee of another file runs under its own text's view of the build.
    if (current.pp !== model.pp) parts.push(`\u0000${current.pp?.viewKey ?? '-'}`);
    namesKey(parts, identifiersOf(current, memo), model);
    for (const id of identifiersOf(current, memo)) {
      const callee = model.functions.get(id);
      if (callee && !reached.has(id) && reached.size < 64) {
        reached.add(id);
        queue.push(callee);
      }
    }
  }
  return createHash('sha1').update(parts.join('')).digest('hex');
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

function namesKey(parts: string[], ids: Set<string>, model: FileModel): void {
  for (const id of ids) {
    const m = model.macros.get(id);
    if (m) parts.push(`\u0000#${id}(${m.params.join(',')})${m.body}`);
    const value = model.defines.get(id);
    if (value !== undefined) parts.push(`\u0000=${id}=${value}`);
    const size = model.structSizes.get(id);
    if (size !== undefined) parts.push(`\u0000s${id}=${size}`);
    if (model.pointerTypedefs.has(id)) parts.push(`\u0000p${id}`);
  }
}

/** The file model, completed with the macros and types of the file's own headers and the build's defines. */
/**
 * `base`: the file's own model of this version (`buildFileModel` without a build scope), shared
 * with the features; it is copied, never changed, and used only when no build scope applies.
 */
export function modelWithIncludes(parsed: ParsedText, source: string, readInclude?: IncludeReader, build?: BuildFacts, base?: FileModel): FileModel {
  const lang = parsed.language ?? 'c';
  const missing: string[] = [];
  const headers = readInclude ? readHeaders(source, readInclude, build?.forcedIncludes ?? [], missing) : [];
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

function includesOf(text: string): { name: string; kind: IncludeKind }[] {
  return [...text.matchAll(/^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)/gm)].map((m) => (m[1] !== undefined ? { name: m[1], kind: 'quote' } : { name: m[2], kind: 'angle' }));
}

function headerModel(text: string, lang: SourceLanguage, pp: PpScope | undefined): FileModel {
  const key = `${lang}:${pp ? pp.viewKey : '-'}:${createHash('sha1').update(text).digest('hex')}`;
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

function shiftFinding(f: RawFinding, shift: number): RawFinding {
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

function enclosingFunction(model: FileModel, line: number): string | null {
  for (const fn of model.functions.values()) {
    if (!fn.fromHeader && fn.node.startPosition.row <= line && fn.node.endPosition.row >= line) return fn.name;
  }
  return null;
}

function lookasideFindings(inits: LookasideUse[], deletes: LookasideUse[], ws: WorkspaceFacts | undefined): RawFinding[] {
  const out: RawFinding[] = [];
  const deleted = new Set([...deletes.map((d) => d.name), ...(ws?.lookasideDeletes ?? [])]);
  const knownComplete = ws ? ws.complete : true;
  for (const init of inits) {
    if (knownComplete && !deleted.has(init.name)) {
      out.push({
        code: 'ecp-lookaside-not-deleted',
        site: init.site,
        message: `The ECP lookaside list ${init.name} is initialised here but never deleted${ws ? ' anywhere in the workspace' : ' in this file'}; delete it with the matching Delete…LookasideList routine in the unload path, after every ECP from it is freed.`,
        related: [],
      });
    }
  }
  const initByName = new Map<string, LookasideUse>(ws?.lookasideInits ?? []);
  for (const i of inits) initByName.set(i.name, i);
  for (const del of deletes) {
    const init = initByName.get(del.name);
    if (!init || init.flags === undefined || del.flags === undefined || init.flags === del.flags) continue;
    out.push({
      code: 'ecp-lookaside-flags',
      site: del.flagsSite ?? del.site,
      message: `${del.name} is deleted with flags ${del.flagsText || del.flags} but was initialised with ${init.flagsText || init.flags}; the delete must use the same flags, or entries go back to the wrong kind of lookaside.`,
      related: [{ site: init.site, message: 'initialised here' }],
      fix: del.flagsSite ? { kind: 'replace-text', range: del.flagsSite, newText: init.flagsText, title: `Use ${init.flagsText}` } : undefined,
    });
  }
  return out;
}
