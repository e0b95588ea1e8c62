/** Shared context of one function's analysis: the file model, limits, the event sink. */
import type { LiveNames } from './liveness';
import type { Node } from '../parsing/parser';
import type { Site, ObjId } from '../kernel/types';
import type { FileModel, FunctionDef } from './fileModel';
import { computeRelevance, relevanceInSlices, type Relevance } from './relevance';
import type { Sliced } from '../util/slices';
import type { PathStep } from './state';
import type { CallSummaries } from './callSummary';

export interface Limits {
  maxPaths: number;
  maxLoopIterations: number;
  maxCallDepth: number;
  maxMillis: number;
  maxStatements: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxPaths: 8192,
  maxLoopIterations: 2,
  maxCallDepth: 3,
  maxMillis: 400,
  maxStatements: 200_000,
};

/** A problem seen on a path, before rule settings and suppressions apply. */
export interface RawFinding {
  code: string;
  site: Site;
  message: string;
  related: PathStep[];
  /** Data the quick fixes need. */
  fix?: FixHint;
  objects?: ObjId[];
  /** Findings with the same key are one problem: the first path to find it reports it. */
  dedupeKey?: string;
}

export type FixHint =
  | { kind: 'free-before-return'; routine: string; filterArg: string | null; variable: string; returnSite: Site }
  | { kind: 'check-status'; statusVar: string; callSite: Site; style: 'goto' | 'return'; label?: string }
  | { kind: 'replace-text'; range: Site; newText: string; title: string };

export interface Ctx {
  model: FileModel;
  fn: FunctionDef;
  source: string;
  limits: Limits;
  log: string[];
  report(f: RawFinding): void;
  relevance(fn: FunctionDef): Relevance;
  /** Parsed bodies of expanded macros, by expansion text. */
  expansions: Map<string, Node[] | null>;
  /** Trees made for macro expansions; deleted when the file's analysis ends. */
  ownedTrees: { delete(): void }[];
  forkMode?: 'explore' | 'success' | 'faults';
  budget: { statements: number; paths: number; deadline: number; exhausted: string | null };
  /** Lines of loops no path could leave (no break, return or goto): the function never returns there. */
  endless: number[];
  /** Which locals a path may still read, for merging paths at joins (absent: every local counts). */
  live?: LiveNames;
  /** What each inlined call did from the states it was entered in (absent: every call runs its body). */
  summaries?: CallSummaries;
  /** Counts of inlined calls run and of calls that reused a summary. */
  calls: { ran: number; reused: number };
}

export function siteOf(node: Node, override?: Site): Site {
  if (override) {
    // Inside a function of another file: reported at the call, remembering where in that file.
    if (override.innerFile && !override.inner) return { ...override, inner: { file: override.innerFile, ...positionOf(node) } };
    return override;
  }
  return positionOf(node);
}

function positionOf(node: Node): Site {
  return {
    line: node.startPosition.row,
    character: node.startPosition.column,
    endLine: node.endPosition.row,
    endCharacter: node.endPosition.column,
  };
}

/**
 * Relevance by function and by the model and text it was computed in (a helper is read once per
 * analysis, not once per caller). Each model keeps its own: runs interleaved in the server (an
 * analysis and simulations of one document share its function objects, each run with its own
 * copy of the model) would otherwise push each other's out and compute them again at every run.
 */
const relevanceOf = new WeakMap<FunctionDef, WeakMap<FileModel, { text: string | undefined; relevance: Relevance }>>();

function relevanceEntries(fn: FunctionDef): WeakMap<FileModel, { text: string | undefined; relevance: Relevance }> {
  let byModel = relevanceOf.get(fn);
  if (!byModel) relevanceOf.set(fn, (byModel = new WeakMap()));
  return byModel;
}

export function makeRelevanceCache(model: FileModel, source: string): (fn: FunctionDef) => Relevance {
  return (fn) => {
    // A function of a header or another file is read in its own text.
    const text = fn.fromHeader ? undefined : source;
    const byModel = relevanceEntries(fn);
    const known = byModel.get(model);
    if (known && known.text === text) return known.relevance;
    const relevance = computeRelevance(fn.body, model, text, fn.scope);
    byModel.set(model, { text, relevance });
    return relevance;
  };
}

/** Whether `makeRelevanceCache(model, source)` already holds `fn`'s relevance (then asking costs nothing). */
export function relevanceKnown(model: FileModel, source: string, fn: FunctionDef): boolean {
  const known = relevanceOf.get(fn)?.get(model);
  return known !== undefined && known.text === (fn.fromHeader ? undefined : source);
}

/**
 * The relevance of a function, computed ahead with pauses; the run's cache then finds it. Done for
 * the function a run starts in, and for each helper before the run's first step in its body.
 */
export function* relevanceAhead(model: FileModel, source: string, fn: FunctionDef): Sliced<void> {
  if (relevanceKnown(model, source, fn)) return;
  const text = fn.fromHeader ? undefined : source;
  const byModel = relevanceEntries(fn);
  const relevance = yield* relevanceInSlices(fn.body, model, text, fn.scope);
  byModel.set(model, { text, relevance });
}
