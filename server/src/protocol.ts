/**
 * Custom LSP requests and notifications of ECP Lens, declared once; client and server import
 * these declarations. Direction is given in each comment.
 */
import type { KernelSnapshot, BugCheck, Pool } from './kernel/types';

export interface Range0 {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Which path to run. */
export type PathChoice =
  | { kind: 'success' } //                                  every call succeeds
  | { kind: 'diagnostic'; code: string; line: number } //   the path behind a diagnostic (0-based line)
  | { kind: 'faults' }; //                                  the path the fault plan produces

export interface SimulateParams {
  textDocument: { uri: string };
  /** Function by name, or the one containing `position`. */
  function?: string;
  position?: { line: number; character: number };
  path?: PathChoice;
  faults?: { failAllocations?: number[]; failTags?: string[]; systematic?: boolean };
}

export interface TraceStep {
  index: number;
  line: number; //          1-based, in `file` when set
  column: number; //        1-based (range.start.character + 1), as the CLI text prints it
  range: Range0;
  /** URI of the other program file the call is in (a wrapper defined there); absent: this file. */
  file?: string;
  routine: string;
  args: string[]; //        as written
  status: string | null; // NTSTATUS name, TRUE/FALSE, or null for VOID
  irql: string;
  note: string; //          what happened, one line
  snapshot: KernelSnapshot;
  /** Rule codes this call raised on this path (absent when none). */
  violations?: string[];
  /** Set on the step whose call stopped the simulated machine. */
  bugCheck?: BugCheck;
}

export interface TraceExit {
  kind: 'return' | 'end' | 'bugcheck';
  line: number; //          1-based
  column: number; //        1-based
  range: Range0;
  /** The line's code as written, trimmed and clipped ('' when unknown). */
  text: string;
}

export interface TraceLeak {
  kind: 'ecp-list' | 'ecp-context' | 'lookaside-entry';
  pool: Pool;
  bytes: number;
  tag: string;
  line: number; //          1-based line that allocated it
  address: string;
}

/** An allocation the fault plan failed on the traced path. */
export interface FaultMatch {
  allocation: number; //    1-based allocation attempt
  line: number; //          1-based line of the allocating call
  routine: string;
  tag: string; //           as PoolMon shows it ('' when unknown)
  /** 'number', or how the typed tag matched, e.g. "tag xEcp, typed as the source writes it ('pcEx')". */
  matchedBy: string;
}

export interface Trace {
  function: string;
  uri: string;
  simulated: true;
  range: Range0;
  path: PathChoice;
  steps: TraceStep[];
  final: {
    live: TraceLeak[];
    leaks: TraceLeak[];
    quotaBytes: number;
    cleanupCallbacks: number;
    bugCheck: { code: string; subcode: string; name?: string; meaning?: string } | null;
    /** Driver Verifier style summary line, e.g. 'DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4/0x62): 2 allocations leaked'. */
    verdict: string;
    snapshot: KernelSnapshot;
    /** Where the path left the function: the `return` (or closing brace) it took, or the call that bug-checked. */
    exit?: TraceExit;
  };
  /** With systematic fault injection: every explored path and whether it leaked. */
  explored?: {
    failedAllocation: number; // 1-based allocation attempt that failed
    leaks: number; //            how many allocations that path leaked
    bugCheck: BugCheck | null;
    line: number; //             1-based line of the failed allocation
    /** The leaked allocations themselves. */
    leaked?: TraceLeak[];
    /** The routine whose allocation failed. */
    routine?: string;
  }[];
  functions: { name: string; line: number }[];
  /** With a fault plan: the allocations it failed on this path. */
  faultMatches?: FaultMatch[];
  /** With systematic fault injection stopped by a bound: which, and how many sites were not failed. */
  exploredBound?: string;
  /** With systematic fault injection: one line that agrees with `explored`. */
  exploredSummary?: string;
}

/**
 * A function name the simulator accepts: a C identifier as compilers take it (Unicode letters,
 * digits and marks, `_`, `$`), or a C++ qualified name (`EcpBuilder::Attach`, `A::~A`).
 */
export const FUNCTION_NAME = /^[\p{L}\p{Nl}_$][\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}$]*(::~?[\p{L}\p{Nl}_$][\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}$]*)*$/u;
/** Longest function name accepted (a generated name can be long; the panel truncates it). */
export const MAX_FUNCTION_NAME = 16_384;

export function isFunctionName(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_FUNCTION_NAME && FUNCTION_NAME.test(v);
}

/** client → server: run a function against the simulated kernel. */
export const SimulateRequest = 'ecpLens/simulate';
/** server → client: analysis state for the status item. */
export const ServerStatusNotification = 'ecpLens/status';

export interface ServerStatus {
  state: 'starting' | 'ready' | 'indexing' | 'error';
  message: string;
  indexed?: number;
  /** Set when the index does not cover the workspace (why), so cross-file rules are held back. */
  incomplete?: string;
}

/**
 * server → client: the ECP-using functions of one document that were not fully analysed, sent
 * with each diagnostics update (an empty `gaps` clears the document's entries).
 */
export const CoverageNotification = 'ecpLens/coverage';
/** The command that lists the functions not fully analysed and jumps to the one picked. */
export const SHOW_INCOMPLETE_COMMAND = 'ecpLens.showIncompleteFunctions';

export interface CoverageGapInfo {
  /** null when a parse error hides the name. */
  function: string | null;
  /** 0-based line of the function. */
  line: number;
  reason: 'parse-error' | 'path-bound' | 'time-bound' | 'program-bound' | 'unsupported';
  kind: 'incomplete' | 'notAnalysed';
  detail: string;
}

export interface DocumentCoverage {
  uri: string;
  /** ECP-using functions in the document. */
  functions: number;
  gaps: CoverageGapInfo[];
}
