/**
 * The pool simulator: runs one function of a file against the simulated kernel along one chosen
 * path and returns the trace the panel and `ecp-lens simulate` show. The same engine as the
 * diagnostics; every figure it reports is simulated.
 */
import type { ParsedText } from '../parsing/parser';
import type { FaultPlan, Kernel, KernelSnapshot } from '../kernel/types';
import { createKernel } from '../kernel/kernel';
import { irqlName } from '../kernel/names';
import type { FileModel, FunctionDef } from '../engine/fileModel';
import { programModel, type IncludeReader } from '../engine/analyzeFile';
import type { WorkspaceFacts } from '../checkFile';
import type { BuildFacts } from '../engine/preprocessor';
import { runFunctionInSlices, type FunctionRun, type RunOptions } from '../engine/analyzeFunction';
import { runToEnd, timed, type Sliced } from '../util/slices';
import type { PathState, TraceEvent } from '../engine/state';
import type { Limits } from '../engine/context';
import { checkSyntaxInSlices } from '../rules/syntactic';
import { toRange } from '../analysis';
import type { PathChoice, SimulateParams, Trace, TraceExit, TraceStep } from '../protocol';
import { lineText } from '../util/lines';
import { SimulateError, functionEntries, pickFunction } from './select';
import { lookasidesFromElsewhere, prepareLookasides } from './lookasides';
import { noteFor } from './notes';
import { buildFinal, leakedObjects, pathLeaks } from './final';
import { checkFaultPlan, exploredSummary, kernelTags, type Faults } from './faults';

export { SimulateError };

export interface SimulateOptions {
  limits?: Partial<Limits>;
  /** Macros and types of the file's own headers, as the diagnostics see them. */
  readInclude?: IncludeReader;
  /** The build configuration's view of the file (which `#if` arms are taken). */
  build?: BuildFacts;
  /** The other files of the program: a wrapper defined there runs at its call, step by step. */
  workspace?: WorkspaceFacts;
  /** Bounds of systematic fault injection (each site is one more run of the function). */
  faultBounds?: Partial<FaultBounds>;
  /** The file's own model of this version, shared with the features (copied, never changed). */
  model?: FileModel;
}

export interface FaultBounds {
  /** Allocation sites failed at most (one run of the function each). */
  maxPaths: number;
  /** Wall-clock budget of all the runs, ms. */
  maxMs: number;
  /** Statements all the runs execute at most: a bound that stops at the same site on every machine. */
  maxStatements: number;
  /**
   * false: every fault path runs from the function's start (the reference the shared prefix is
   * tested against, quadratic in the sites); default true.
   */
  sharePrefix?: boolean;
}

export const DEFAULT_FAULT_BOUNDS: FaultBounds = { maxPaths: 1024, maxMs: 10_000, maxStatements: 500_000 };

/** Everything a run of one function needs, prepared once per request. */
interface Setup {
  model: FileModel;
  fn: FunctionDef;
  source: string;
  prepare: (kernel: Kernel) => void;
  limits?: Partial<Limits>;
  /** Statements run so far for this request. */
  statements: number;
}


export function simulate(parsed: ParsedText, source: string, uri: string, params: SimulateParams, options: SimulateOptions = {}): Trace {
  return runToEnd(simulateInSlices(parsed, source, uri, params, options));
}

/** The same simulation, pausing between and inside runs (the server answers requests meanwhile). */
export function* simulateInSlices(parsed: ParsedText, source: string, uri: string, params: SimulateParams, options: SimulateOptions = {}): Sliced<Trace> {
  const { model } = programModel(parsed, source, options);
  const fn = pickFunction(model, { function: params.function, position: params.position });
  // The setup pauses too (between calls of the file): in the server, requests queued behind
  // several simulations wait for a slice of each, not for each one's whole setup.
  yield;
  const { lookasideInits } = yield* checkSyntaxInSlices(parsed.tree, model);
  const prepared = lookasidesFromElsewhere(parsed.tree, fn, lookasideInits);
  yield;
  const setup: Setup = { model, fn, source, prepare: (k) => prepareLookasides(k, model, prepared), limits: options.limits, statements: 0 };
  const faults: Faults = { failAllocations: params.faults?.failAllocations ?? [], failTags: params.faults?.failTags ?? [] };
  const path = params.path ?? defaultPath(faults);
  const st = yield* runChosen(setup, path, faults);
  const trace = buildTrace(setup, uri, path, st, faults);
  if (path.kind === 'faults') trace.faultMatches = checkFaultPlan(st, faults, fn.name);
  if (params.faults?.systematic) {
    // The time budget counts this request's own work, not the pauses in which others ran.
    const clock = { ms: 0 };
    const { explored, bound } = yield* timed(explore(setup, { ...DEFAULT_FAULT_BOUNDS, ...options.faultBounds }, clock), clock);
    trace.explored = explored;
    if (bound) trace.exploredBound = bound;
    trace.exploredSummary = exploredSummary(explored, bound);
  }
  return trace;
}

function defaultPath(faults: Faults): PathChoice {
  return faults.failAllocations.length > 0 || faults.failTags.length > 0 ? { kind: 'faults' } : { kind: 'success' };
}

/** One traced run of the function, its statements counted. */
function* runCounted(setup: Setup, options: RunOptions): Sliced<FunctionRun> {
  const result = yield* runFunctionInSlices(setup.model, setup.fn, setup.source, { ...options, limits: setup.limits, prepare: setup.prepare, trace: true });
  setup.statements += result.statements;
  return result;
}

/** The paths of a run that reached an end; none is an error that says why. */
function* run(setup: Setup, options: RunOptions): Sliced<PathState[]> {
  const result = yield* runCounted(setup, options);
  if (result.completed.length === 0) {
    if (result.endlessLoops.length > 0 && !result.boundHit) {
      throw new SimulateError(`${setup.fn.name} never returns on this path: the loop at line ${result.endlessLoops[0]} has no break, return or goto that leaves it.`);
    }
    const why = result.boundHit ? ` (stopped after ${result.boundHit})` : '';
    throw new SimulateError(`the simulation of ${setup.fn.name} reached no end of the function${why}.`);
  }
  return result.completed;
}

function* runChosen(setup: Setup, path: PathChoice, faults: Faults): Sliced<PathState> {
  if (path.kind === 'success') return (yield* run(setup, { forkMode: 'success', stopAfter: 1 }))[0];
  if (path.kind === 'faults') return (yield* run(setup, { forkMode: 'faults', faults: plan(faults), stopAfter: 1 }))[0];
  const paths = yield* run(setup, { forkMode: 'explore' });
  return paths.find((st) => explains(st, path.code, path.line)) ?? paths[0];
}

function plan(faults: Faults): FaultPlan {
  return { failAllocations: faults.failAllocations, failTags: kernelTags(faults.failTags) };
}

/** The path shows the diagnostic: a call on that line raised the code, or an object allocated there leaks. */
function explains(st: PathState, code: string, line: number): boolean {
  if (st.trace?.some((e) => e.site.line === line && e.violations.includes(code))) return true;
  if (code !== 'ecp-list-leak' && code !== 'ecp-context-leak') return false;
  if (st.ended?.bugCheck) return false;
  const kind = code === 'ecp-list-leak' ? 'ecp-list' : 'ecp-context';
  return st.kernel.leaks().some((obj) => obj.kind === kind && obj.site.line === line);
}

function initialSnapshot(setup: Setup): KernelSnapshot {
  const kernel = createKernel({ irql: setup.fn.startIrql });
  setup.prepare(kernel);
  return kernel.snapshot();
}

function buildSteps(events: TraceEvent[], start: KernelSnapshot, faults: Faults): TraceStep[] {
  let before = start;
  return events.map((event, index) => {
    // A call inside a function of another program file is located in that file.
    const inner = event.site.inner;
    const step: TraceStep = {
      index,
      line: (inner ?? event.site).line + 1,
      column: (inner ?? event.site).character + 1,
      range: toRange(inner ?? event.site),
      ...(inner ? { file: inner.file } : {}),
      routine: event.routine,
      args: event.args,
      status: event.status,
      irql: irqlName(event.irql),
      note: noteFor({ event, before, faults }),
      snapshot: event.snapshot,
    };
    if (event.violations.length > 0) step.violations = event.violations;
    if (event.snapshot.bugCheck && !before.bugCheck) step.bugCheck = event.snapshot.bugCheck;
    before = event.snapshot;
    return step;
  });
}

function buildTrace(setup: Setup, uri: string, path: PathChoice, st: PathState, faults: Faults): Trace {
  const steps = buildSteps(st.trace ?? [], initialSnapshot(setup), faults);
  const stopper = steps.find((s) => s.bugCheck);
  return {
    function: setup.fn.name,
    uri,
    simulated: true,
    range: toRange({
      line: setup.fn.node.startPosition.row,
      character: setup.fn.node.startPosition.column,
      endLine: setup.fn.node.endPosition.row,
      endCharacter: setup.fn.node.endPosition.column,
    }),
    path,
    steps,
    final: { ...buildFinal(st, setup.fn.name, stopper?.routine, stopper?.line), exit: exitOf(st, stopper, setup.source) },
    functions: functionEntries(setup.model),
  };
}

/** The exit step every trace ends with: the bug-checking call, or the return the path took. */
function exitOf(st: PathState, stopper: TraceStep | undefined, source: string): TraceExit | undefined {
  if (stopper) return { kind: 'bugcheck', line: stopper.line, column: stopper.column, range: stopper.range, text: `${stopper.routine}(…)` };
  const site = st.ended?.site;
  if (!site) return undefined;
  const text = lineText(source, site.line).trim().slice(0, 200);
  return { kind: /^\}/.test(text) || !/\breturn\b/.test(text) ? 'end' : 'return', line: site.line + 1, column: site.character + 1, range: toRange(site), text };
}

/**
 * Driver Verifier low-resources style: fail each allocation attempt of the success path once.
 * The fault run of attempt n shares its path up to that attempt with every other fault run: that
 * prefix runs once, keeping the state before each attempt, and each fault run resumes there, so
 * the work grows with the path's length plus the fault paths' own tails, not sites × length.
 */
function* explore(setup: Setup, bounds: FaultBounds, clock: { ms: number }): Sliced<{ explored: NonNullable<Trace['explored']>; bound?: string }> {
  const success = (yield* run(setup, { forkMode: 'success', stopAfter: 1 }))[0];
  const attempts = success.kernel.allocationAttempts;
  // The prefix as every fault run takes it (fault mode, nothing failed yet), with a state kept
  // for each attempt that will be failed (within the path bound: memory grows with them).
  const checkpoints = { states: new Map<number, PathState>(), upTo: Math.min(attempts, bounds.maxPaths) };
  if (attempts > 0 && bounds.sharePrefix !== false) yield* runCounted(setup, { forkMode: 'faults', faults: { failAllocations: [] }, stopAfter: 1, checkpoints });
  const explored: NonNullable<Trace['explored']> = [];
  // Bounded by count and time, and the bound is said in the result (sites not failed are sites not checked).
  const stopped = (n: number, why: string) => `stopped after ${n} of ${attempts} allocation sites: ${why}; ${attempts - n === 1 ? 'the other one was' : `the other ${attempts - n} were`} not failed`;
  for (let n = 1; n <= attempts; n++) {
    if (n > bounds.maxPaths) return { explored, bound: stopped(n - 1, `at most ${bounds.maxPaths} fault path${bounds.maxPaths === 1 ? '' : 's'}`) };
    if (clock.ms > bounds.maxMs) return { explored, bound: stopped(n - 1, `the ${bounds.maxMs} ms budget ran out`) };
    if (setup.statements > bounds.maxStatements) return { explored, bound: stopped(n - 1, `the budget of ${bounds.maxStatements} statements ran out`) };
    yield;
    const st = yield* faultRun(setup, n, checkpoints.states.get(n));
    const failing = st.trace?.find((e) => e.snapshot.allocationAttempts >= n);
    const snapshot = st.kernel.snapshot();
    const leaked = pathLeaks(st, snapshot);
    explored.push({
      failedAllocation: n,
      leaks: leaked.length,
      bugCheck: st.kernel.bugCheck ?? snapshot.bugCheck,
      line: failing ? failing.site.line + 1 : (st.ended?.site.line ?? 0) + 1,
      leaked,
      routine: failing?.routine,
    });
  }
  return { explored };
}

/** The path that fails allocation attempt n: resumed from its checkpoint, else run from the start. */
function* faultRun(setup: Setup, n: number, checkpoint: PathState | undefined): Sliced<PathState> {
  const faults = { failAllocations: [n] };
  if (checkpoint) {
    const resumed = yield* runCounted(setup, { forkMode: 'faults', faults, stopAfter: 1, resume: checkpoint });
    if (resumed.completed.length > 0) return resumed.completed[0];
  }
  // No path went on from there to an end: the run from the start backtracks into the prefix's
  // other branches (or says why it found no end).
  return (yield* run(setup, { forkMode: 'faults', faults, stopAfter: 1 }))[0];
}

export { leakedObjects };
