/**
 * Analysis of one file: every function path by path, the syntactic rules, and the lookaside pairs
 * checked against what the rest of the workspace does. Function results are cached by the text
 * they depend on, so an edit re-runs only the functions it touched (and their callers).
 */
import { createHash } from 'node:crypto';
import type { ParsedText } from '../parsing/parser';
import { buildFileModel, type FileModel, type FunctionDef } from './fileModel';
import { runFunction } from './analyzeFunction';
import type { RawFinding, Limits } from './context';
import { checkSyntax, type LookasideUse } from '../rules/syntactic';
import { routineInfo } from './catalogAccess';

export interface WorkspaceFacts {
  /** Lookaside names deleted anywhere else in the workspace. */
  lookasideDeletes: Set<string>;
  /** Lookasides initialised elsewhere: name → flags at init. */
  lookasideInits: Map<string, LookasideUse>;
  /** The whole workspace has been seen (otherwise "never deleted" cannot be claimed). */
  complete: boolean;
}

export interface FileAnalysis {
  findings: (RawFinding & { functionName: string | null })[];
  log: string[];
  model: FileModel;
  lookasideInits: LookasideUse[];
  lookasideDeletes: LookasideUse[];
  /** How many functions were analysed afresh (the rest came from the cache). */
  analysedFunctions: number;
  cachedFunctions: number;
}

interface CachedRun {
  startLine: number;
  findings: RawFinding[];
  log: string[];
}

const CACHE_LIMIT = 4000;
const functionCache = new Map<string, CachedRun>();

export function analyzeFile(parsed: ParsedText, source: string, opts: { limits?: Partial<Limits>; workspace?: WorkspaceFacts } = {}): FileAnalysis {
  const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
  const findings: FileAnalysis['findings'] = [];
  const log: string[] = [];
  let analysed = 0;
  let cached = 0;
  for (const fn of model.functions.values()) {
    if (!callsAnythingEcp(fn, model)) continue;
    const key = functionKey(fn, model, opts.limits);
    const startLine = fn.node.startPosition.row;
    let run = functionCache.get(key);
    if (run) {
      cached++;
      functionCache.delete(key);
    } else {
      analysed++;
      const r = runFunction(model, fn, source, { limits: opts.limits });
      run = { startLine, findings: r.findings, log: r.log };
    }
    functionCache.set(key, run);
    const shift = startLine - run.startLine;
    for (const f of run.findings) findings.push({ ...shiftFinding(f, shift), functionName: fn.name });
    log.push(...run.log);
  }
  trimCache();
  const syntax = checkSyntax(parsed.tree, model);
  for (const f of syntax.findings) findings.push({ ...f, functionName: enclosingFunction(model, f.site.line) });
  for (const f of lookasideFindings(syntax.lookasideInits, syntax.lookasideDeletes, opts.workspace)) {
    findings.push({ ...f, functionName: enclosingFunction(model, f.site.line) });
  }
  return { findings, log, model, lookasideInits: syntax.lookasideInits, lookasideDeletes: syntax.lookasideDeletes, analysedFunctions: analysed, cachedFunctions: cached };
}

/** Only functions that mention an ECP routine (directly or through a local helper or macro) are walked. */
function callsAnythingEcp(fn: FunctionDef, model: FileModel): boolean {
  const text = fn.body.text;
  if (/\b(Flt|FsRtl|Io)\w*(ExtraCreateParameter|Ecp|CreateFileEx2?|DriverCreateContext)\w*\s*\(/.test(text)) return true;
  if (/ExtraCreateParameter/.test(text)) return true;
  for (const name of model.functions.keys()) {
    if (name !== fn.name && text.includes(name) && callsAnythingEcp(model.functions.get(name)!, { ...model, functions: withoutName(model, fn.name) })) return true;
  }
  for (const m of model.macros.values()) if (text.includes(m.name) && /Ecp|ExtraCreateParameter|NT_SUCCESS/.test(m.body)) return true;
  void routineInfo;
  return false;
}

function withoutName(model: FileModel, name: string): FileModel['functions'] {
  const copy = new Map(model.functions);
  copy.delete(name);
  return copy;
}

/** The function's own text, the local functions and macros it names (one level), and the limits. */
function functionKey(fn: FunctionDef, model: FileModel, limits: Partial<Limits> | undefined): string {
  const h = createHash('sha1');
  h.update(fn.node.text);
  h.update(`\u0000${fn.node.startPosition.column}\u0000${JSON.stringify(limits ?? {})}`);
  const body = fn.body.text;
  for (const [name, other] of model.functions) {
    if (name !== fn.name && body.includes(name)) h.update(`\u0000${other.node.text}`);
  }
  for (const [name, m] of model.macros) if (body.includes(name)) h.update(`\u0000#${name}(${m.params.join(',')})${m.body}`);
  for (const [name, value] of model.defines) if (body.includes(name)) h.update(`\u0000=${name}=${value}`);
  for (const [name, size] of model.structSizes) if (body.includes(name)) h.update(`\u0000s${name}=${size}`);
  return h.digest('hex');
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
    if (fn.node.startPosition.row <= line && fn.node.endPosition.row >= line) return fn.name;
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
