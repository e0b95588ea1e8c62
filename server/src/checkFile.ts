/**
 * One file's check, for the server, the CLI and the workspace index alike: the engine explores
 * the paths of every function that can touch an ECP (`engine/analyzeFile.ts`), and beside it run
 * the rules that read the same file model: the syntactic rules of each of those functions (cached
 * under the engine's function key), the lookaside pairs against the rest of the workspace, and the
 * lifecycle pass over the program's entry points. The engine imports none of them.
 */
import type { ParsedText } from './parsing/parser';
import type { Limits } from './engine/context';
import type { FunctionDef, FileModel } from './engine/fileModel';
import { analyzePathsInSlices, dedupeFindings, enclosingFunction, shiftFinding, type EngineFinding, type ModelOptions, type PathAnalysis, type ProgramContext, type RunShare } from './engine/analyzeFile';
import { checkSyntaxIn, type LookasideUse, type SyntacticResult } from './rules/syntactic';
import { lookasideFindings, shiftUse, type LookasideFacts } from './rules/lookasidePairs';
import { lookasideFamilyFindings } from './rules/lookasideFamily';
import { lifecycleFactsOf, type LifecycleFacts } from './lifecycle/facts';
import { lifecycleFindings } from './lifecycle/rules';
import { detachedDeep } from './util/textCache';
import { runToEnd, type Sliced } from './util/slices';

export type { IncludeReader, IncludeKind, ModelOptions } from './engine/analyzeFile';

/** What the rest of the workspace tells one file's check. */
export interface WorkspaceFacts extends ProgramContext, LookasideFacts {
  /** The other files' registrations, unload callbacks and dispatch routines (lifecycle rules). */
  lifecycle?: { uri: string; facts: LifecycleFacts }[];
  /** Changes whenever `lifecycle` does. */
  lifecycleKey?: string;
}

export interface FileAnalysis extends Omit<PathAnalysis, 'functions'> {
  lookasideInits: LookasideUse[];
  lookasideDeletes: LookasideUse[];
  /** The entry points this file registers (for the lifecycle rules of every file). */
  lifecycle: LifecycleFacts;
}

export interface CheckOptions extends ModelOptions {
  workspace?: WorkspaceFacts;
  limits?: Partial<Limits>;
  /** The functions' runs split with other threads (the CLI's workers). */
  share?: RunShare;
}

export function analyzeFile(parsed: ParsedText, source: string, opts: CheckOptions = {}): FileAnalysis {
  return runToEnd(analyzeFileInSlices(parsed, source, opts));
}

/** The same check, pausing after each function's paths and each function's syntactic rules. */
export function* analyzeFileInSlices(parsed: ParsedText, source: string, opts: CheckOptions = {}): Sliced<FileAnalysis> {
  const { functions, ...paths } = yield* analyzePathsInSlices(parsed, source, opts);
  const { model } = paths;
  const findings: EngineFinding[] = [...paths.findings];
  const inits: LookasideUse[] = [];
  const deletes: LookasideUse[] = [];
  const allocs: LookasideUse[] = [];
  for (const { fn, key } of functions) {
    yield;
    const { result, shift } = syntaxOf(fn, key, model);
    for (const f of result.findings) findings.push({ ...shiftFinding(f, shift), functionName: fn.name });
    inits.push(...result.lookasideInits.map((u) => shiftUse(u, shift)));
    deletes.push(...result.lookasideDeletes.map((u) => shiftUse(u, shift)));
    allocs.push(...result.lookasideAllocs.map((u) => shiftUse(u, shift)));
  }
  // A cleanup callback two functions register is checked by both.
  dedupeFindings(findings);
  const ws = opts.workspace;
  const lookasideIssues = [...lookasideFindings(inits, deletes, ws), ...lookasideFamilyFindings(inits, [...deletes, ...allocs], ws?.lookasideInits, findings)];
  for (const f of lookasideIssues) findings.push({ ...f, functionName: enclosingFunction(model, f.site.line) });
  const lifecycle = lifecycleFactsOf(parsed.tree, source, model.pp);
  const passed = lifecycleFindings({ model, own: lifecycle, others: ws?.lifecycle ?? [], program: ws?.program, complete: ws ? ws.complete : true });
  for (const f of passed.findings) findings.push({ ...f, functionName: enclosingFunction(model, f.site.line) });
  return { ...paths, findings, log: [...paths.log, ...passed.log], lifecycle, lookasideInits: inits, lookasideDeletes: deletes };
}

const SYNTAX_CACHE_LIMIT = 4000;
/** The syntactic result of a function by the engine's key for it, with the line it started on. */
const syntaxCache = new Map<string, { startLine: number; result: SyntacticResult }>();

function syntaxOf(fn: FunctionDef, key: string, model: FileModel): { result: SyntacticResult; shift: number } {
  const startLine = fn.node.startPosition.row;
  let entry = syntaxCache.get(key);
  if (entry) syntaxCache.delete(key);
  // Cached across versions: its names and messages must not hold this version's text alive.
  else entry = { startLine, result: detachedDeep(checkSyntaxIn(fn.node, model)) };
  syntaxCache.set(key, entry);
  while (syntaxCache.size > SYNTAX_CACHE_LIMIT) syntaxCache.delete(syntaxCache.keys().next().value!);
  return { result: entry.result, shift: startLine - entry.startLine };
}
