/**
 * Runs one function path by path against a fresh simulated kernel and reports what went wrong on
 * any path, including what each path still owed at its end (leaks).
 */
import type { Node } from '../parsing/parser';
import type { Kernel, KernelObj, FaultPlan } from '../kernel/types';
import { createKernel } from '../kernel/kernel';
import { type Ctx, type Limits, type RawFinding, DEFAULT_LIMITS, makeRelevanceCache, relevanceAhead, siteOf } from './context';
import { type FileModel, type FunctionDef, isReferenceParam } from './fileModel';
import { type PathState, type PathStep, clonePath, repeatsAtJoin, takeForkSignature } from './state';
import { type Val, UNKNOWN } from './values';
import { step } from './exec';
import { ecpHelpersOf } from './helperEffects';
import { exhausted, mergedAway, pushAlternatives } from './inline';
import { LiveNames } from './liveness';
import { runToEnd, timed, type Sliced } from '../util/slices';
import { lineText } from '../util/lines';

export interface FunctionRun {
  findings: RawFinding[];
  /** Paths that reached their end. */
  completed: PathState[];
  /** How many paths reached their end (also when `keepCompleted` is false and `completed` is empty). */
  completedCount: number;
  log: string[];
  boundHit: string | null;
  /** Lines of loops some path could never leave (the function does not return on that path). */
  endlessLoops: number[];
  /** Statements the run executed (its work, the same on every machine). */
  statements: number;
  /** Paths that stayed different (forks less merges): what the path bound counts. */
  paths: number;
  /** Inlined calls whose body ran, and calls that reused an earlier run's summary instead. */
  calls: { ran: number; reused: number };
  /** Paths merged (or alternatives dropped) as settled: no ECP operation or ECP-holding variable ahead. */
  settledMerges: number;
}

export interface RunOptions {
  limits?: Partial<Limits>;
  forkMode?: 'explore' | 'success' | 'faults';
  faults?: FaultPlan;
  /**
   * false: count the paths that reached their end but keep none (a diagnostics run needs only
   * the findings; thousands of finished states would stay alive until the run ends).
   */
  keepCompleted?: boolean;
  /** Stop after this many completed paths (the simulator wants one). */
  stopAfter?: number;
  /** Called before the first statement: the simulator prepares lookasides initialised elsewhere. */
  prepare?: (kernel: Kernel) => void;
  /** Record a TraceEvent with a kernel snapshot at every ECP call (for the simulator). */
  trace?: boolean;
  /**
   * Start from this state (a checkpoint of an earlier run) instead of the function's entry; its
   * kernel fails allocations by `faults` from here on. `prepare` is not applied again.
   */
  resume?: PathState;
  /**
   * Filled with, for each allocation attempt ordinal up to `upTo`, the state right before the
   * step that first made it: a run resumed there with that attempt failing is the fault run of
   * that attempt without running the shared prefix again (systematic fault injection).
   */
  checkpoints?: Checkpoints;
  /** false: run every inlined call's body, even where a summary of an earlier call applies (tests compare both). */
  summaries?: boolean;
}

export interface Checkpoints {
  states: Map<number, PathState>;
  upTo: number;
}

/** `PECP_LIST *`, `ECP_LIST **` (an out-parameter for a list). */
const LIST_OUT_PARAM = /\b(?:PECP_LIST\s*\*|ECP_LIST\s*\*\s*\*)\s*$/;

export function runFunction(model: FileModel, fn: FunctionDef, source: string, options: RunOptions = {}): FunctionRun {
  return runToEnd(runFunctionInSlices(model, fn, source, options));
}

/** The same run, pausing every few hundred statements so a server can answer requests meanwhile. */
export function* runFunctionInSlices(model: FileModel, fn: FunctionDef, source: string, options: RunOptions = {}): Sliced<FunctionRun> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // Read before the run, pausing; its time counts against the run's deadline, its pauses do not.
  const reading = { ms: 0 };
  yield* timed(relevanceAhead(model, source, fn), reading);
  // So are the helpers it runs at their calls: a call runs the helper's body within one step, whose
  // first statement would read the helper's relevance without a pause (hundreds of ms for a large one).
  for (const helper of ecpHelpersOf(model, fn)) {
    yield* timed(relevanceAhead(model, source, helper), reading);
    yield;
  }
  const findings = new Map<string, RawFinding>();
  const ctx: Ctx = {
    model,
    fn,
    source,
    limits,
    log: [],
    report: (f) => {
      const key = f.dedupeKey ?? `${f.code}@${f.site.line}:${f.site.character}`;
      if (!findings.has(key)) findings.set(key, f);
    },
    relevance: makeRelevanceCache(model, source),
    expansions: new Map(),
    ownedTrees: [],
    forkMode: options.forkMode ?? 'explore',
    budget: { statements: 0, paths: 1, deadline: Date.now() + limits.maxMillis - reading.ms, exhausted: null },
    endless: [],
    // A traced run shows paths as the user reads them (the simulator, the hover's path counts):
    // paths merge there only where they are the same, never as settled (settling.ts).
    live: new LiveNames(model, fn.name, fn.body, !options.trace),
    summaries: options.summaries === false ? undefined : new Map(),
    calls: { ran: 0, reused: 0 },
  };
  const completed: Finished = { paths: [], count: 0, keep: options.keepCompleted !== false };
  try {
    const start = options.resume ? resumedState(options.resume, options.faults) : initialState(ctx, options);
    yield* explore(ctx, start, completed, options.stopAfter ?? Infinity, options.checkpoints);
  } finally {
    for (const t of ctx.ownedTrees) t.delete();
  }
  if (ctx.budget.exhausted) ctx.log.push(`${fn.name}: stopped exploring after ${ctx.budget.exhausted}; findings cover the paths explored`);
  return { findings: [...findings.values()], completed: completed.paths, completedCount: completed.count, log: ctx.log, boundHit: ctx.budget.exhausted, endlessLoops: [...new Set(ctx.endless)], statements: ctx.budget.statements, paths: ctx.budget.paths, calls: ctx.calls, settledMerges: ctx.live?.settledMerges ?? 0 };
}

function initialState(ctx: Ctx, options: RunOptions): PathState {
  const kernel = createKernel({ faults: options.faults, irql: ctx.fn.startIrql });
  options.prepare?.(kernel);
  const vars = new Map<string, Val>(ctx.fn.params.filter((p) => !isReferenceParam(p)).map((p) => [p.name, UNKNOWN] as const));
  // An out-parameter for a list (`PECP_LIST *Out`) points to the caller's variable: `*Out` is one
  // place, so a list allocated into it and then used as `*Out` is the same object.
  for (const p of ctx.fn.params) if (vars.has(p.name) && LIST_OUT_PARAM.test(p.type)) {
    const pointee = `@${p.name}->*`;
    vars.set(pointee, UNKNOWN);
    vars.set(p.name, { k: 'addr', scope: 0, name: pointee });
  }
  const types = new Map(ctx.fn.params.map((p) => [p.name, p.type] as const));
  const stmts = ctx.fn.body.namedChildren.filter((n): n is Node => Boolean(n) && n!.type !== 'comment');
  return {
    kernel,
    scopes: [{ vars: new Map(vars), types }],
    stack: [{ kind: 'block', stmts, i: 0 }],
    steps: [],
    userModeChecked: new Set(),
    builtEcps: 0,
    origins: new Map(),
    seq: 0,
    ended: null,
    returnValue: UNKNOWN,
    callDepth: 0,
    trace: options.trace ? [] : undefined,
  };
}

/** A copy of a checkpoint that fails allocations by `faults` (the checkpoint itself is never changed). */
function resumedState(from: PathState, faults: FaultPlan | undefined): PathState {
  const st = clonePath(from);
  st.kernel = from.kernel.clone(faults ?? {});
  return st;
}

/** Remembers `before` for each allocation attempt the step made that no earlier step had made. */
function keepCheckpoints(checkpoints: Checkpoints, before: PathState, after: PathState[]): void {
  const from = before.kernel.allocationAttempts;
  const to = Math.min(checkpoints.upTo, Math.max(from, ...after.map((p) => p.kernel.allocationAttempts)));
  for (let n = from + 1; n <= to; n++) if (!checkpoints.states.has(n)) checkpoints.states.set(n, before);
}

/**
 * The path loop pauses once a millisecond of work has passed since its last pause: statements
 * cost from microseconds to milliseconds (a clone of a large path state each), so a count would
 * either pause too often or leave a slice far longer than the server's.
 */
const PAUSE_AFTER_MS = 1;

/** The paths that reached their end: kept (when `keep`) and counted. */
interface Finished {
  paths: PathState[];
  count: number;
  keep: boolean;
}

function* explore(ctx: Ctx, start: PathState, completed: Finished, stopAfter: number, checkpoints?: Checkpoints): Sliced<void> {
  const work: PathState[] = [start];
  const seen = new Set<string>();
  const forked = new Set<string>();
  let pauseAt = Date.now() + PAUSE_AFTER_MS;
  while (work.length > 0 && completed.count < stopAfter) {
    if (Date.now() >= pauseAt) {
      // Time spent paused (the server answering requests, other runs) is not this run's.
      const paused = Date.now();
      yield;
      const resumed = Date.now();
      ctx.budget.deadline += resumed - paused;
      pauseAt = resumed + PAUSE_AFTER_MS;
    }
    const st = work.pop()!;
    const known = takeForkSignature(st, ctx.live);
    if (st.ended) {
      finishPath(ctx, st);
      completed.count++;
      if (completed.keep) completed.paths.push(st);
      continue;
    }
    if (exhausted(ctx)) break;
    ctx.budget.statements++;
    if (work.length > 0 && repeatsAtJoin(st, seen, ctx.live, known)) {
      mergedAway(ctx);
      continue;
    }
    // A step mutates its state: the checkpoint is the copy taken before it.
    const before = checkpoints && st.kernel.allocationAttempts < checkpoints.upTo ? clonePath(st) : undefined;
    const next = step(ctx, st);
    if (before) keepCheckpoints(checkpoints!, before, next);
    pushAlternatives(ctx, work, next, forked);
  }
}

/** What the path still owes at its end: each object it allocated and neither freed nor handed off. */
function finishPath(ctx: Ctx, st: PathState): void {
  if (!st.ended || st.ended.bugCheck) return;
  for (const obj of st.kernel.leaks()) {
    if (obj.kind !== 'ecp-list' && obj.kind !== 'ecp-context') continue;
    ctx.report(leakFinding(ctx, st, obj));
  }
}

function leakFinding(ctx: Ctx, st: PathState, obj: Extract<KernelObj, { kind: 'ecp-list' | 'ecp-context' }>): RawFinding {
  const isList = obj.kind === 'ecp-list';
  const end = st.ended!.site;
  const what = isList ? 'ECP list' : 'ECP context';
  const found = st.origins.get(obj.id);
  // Made inside a helper but never handed back to this function, or handed back by a helper that
  // returned a failure: the helper's own leak, reported (once) where the helper allocated it.
  const helperFailed = found?.callSite ? found.helperFailed : undefined;
  const origin = found?.callSite && (helperFailed || !variableHolding(st, obj.id)) ? { ...found, callSite: undefined, callee: undefined } : found;
  const afterAlloc = st.steps.filter((s) => (s.seq ?? 0) > (origin?.seq ?? 0) && !/returns here/.test(s.message)).slice(-6);
  // An object made inside a same-file helper is reported where this function called the helper.
  const anchor = origin?.callSite ?? origin?.site ?? obj.site;
  const related: PathStep[] = [
    ...(origin?.callSite ? [{ site: origin.callSite, message: `${origin.callee} returns a new ${what} here` }] : []),
    { site: origin?.site ?? obj.site, message: `${what} ${obtained(origin?.op)} here` },
    ...afterAlloc,
    { site: end, message: `returns here without freeing the ${what}` },
  ];
  const hint = isList ? 'free it with ' + (obj.family === 'flt' ? 'FltFreeExtraCreateParameterList' : 'FsRtlFreeExtraCreateParameterList') : 'insert it into a list, or free it with ' + (obj.family === 'flt' ? 'FltFreeExtraCreateParameter' : 'FsRtlFreeExtraCreateParameter');
  const wasRejected = !isList && st.steps.some((s) => /InsertExtraCreateParameter fails/.test(s.message));
  const source = origin?.callSite ? `${what} from ${origin.callee}` : `${what} ${obtained(origin?.op)} here`;
  const message = helperFailed
    ? `${what} ${obj.site.inner ? `that ${found!.callee} allocates` : 'allocated here'} is still handed back when ${found!.callee} fails (${helperFailed.routine} fails with ${helperFailed.status} and ${found!.callee} returns that status), and its caller, trusting the failure, does not free it; ${hint} before ${found!.callee} returns the failure.`
    : `${source} is neither freed nor handed off on a path that returns at line ${end.line + 1}${wasRejected ? ' (a failed insert leaves it owned by the caller)' : ''}; ${hint}.`;
  return {
    code: isList ? 'ecp-list-leak' : 'ecp-context-leak',
    site: anchor,
    message,
    related,
    objects: [obj.id],
    // The free belongs in the helper, on its failure path: no edit of this function fixes it.
    fix: helperFailed ? undefined : freeFix(ctx, st, obj),
  };
}

function freeFix(ctx: Ctx, st: PathState, obj: Extract<KernelObj, { kind: 'ecp-list' | 'ecp-context' }>): RawFinding['fix'] {
  const variable = variableHolding(st, obj.id);
  if (!variable || st.ended?.site.line === undefined) return undefined;
  const routine = obj.kind === 'ecp-list'
    ? obj.family === 'flt' ? 'FltFreeExtraCreateParameterList' : 'FsRtlFreeExtraCreateParameterList'
    : obj.family === 'flt' ? 'FltFreeExtraCreateParameter' : 'FsRtlFreeExtraCreateParameter';
  const filterArg = obj.family === 'flt' ? filterArgAt(ctx, obj.site.line) : null;
  return { kind: 'free-before-return', routine, filterArg, variable, returnSite: st.ended.site };
}

function variableHolding(st: PathState, id: number): string | undefined {
  for (const [name, v] of st.scopes[0]?.vars ?? []) if (v.k === 'obj' && v.id === id) return name;
  return undefined;
}

/** The filter expression used in the allocating call (first argument of a Flt routine). */
function filterArgAt(ctx: Ctx, line: number): string | null {
  const text = lineText(ctx.source, line);
  const m = /Flt\w+\s*\(\s*([^,()]+)\s*,/.exec(text);
  return m ? m[1].trim() : null;
}

export { siteOf };

/** How the function came to own an object, for messages. */
function obtained(op: string | undefined): string {
  if (op === 'remove') return 'removed from its list';
  if (op === 'find' || op === 'getNext') return 'found';
  return 'allocated';
}
