/**
 * Structural validators for the trace the host sends to the panel. The panel renders nothing it
 * has not checked here: every field the renderers read is verified for shape and type. No DOM and
 * no vscode import, so the host, the panel and Node tests share these checks.
 */
import type { Trace, TraceStep, TraceLeak, Range0 } from '../../server/src/protocol';
import type {
  KernelSnapshot,
  EcpContextObj,
  EcpListObj,
  LookasideObj,
  LiveAllocation,
  PoolTagRow,
  BugCheck,
  Site,
} from '../../server/src/kernel/types';

type Rec = Record<string, unknown>;
type Check = (v: unknown) => boolean;

export const isObj = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isInt = (v: unknown): v is number => Number.isInteger(v);
export const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNullOr = (check: Check): Check => (v) => v === null || check(v);
const oneOf = (...values: string[]): Check => (v) => isStr(v) && values.includes(v);
export const arrOf = (check: Check): Check => (v) => Array.isArray(v) && v.every(check);

/** Every key of `shape` present on `v` and accepted by its check (extra keys are allowed). */
export function hasShape(v: unknown, shape: Record<string, Check>): v is Rec {
  if (!isObj(v)) return false;
  for (const key of Object.keys(shape)) {
    if (!shape[key](v[key])) return false;
  }
  return true;
}

const isPool = oneOf('paged', 'nonpaged');
const isFamily = oneOf('flt', 'fsrtl', 'io');
const isOwner = oneOf('caller', 'list', 'create', 'foreign', 'escaped', 'none');
const isPosition: Check = (v) => hasShape(v, { line: isInt, character: isInt });

export const isRange0 = (v: unknown): v is Range0 => hasShape(v, { start: isPosition, end: isPosition });

const isSite = (v: unknown): v is Site =>
  hasShape(v, { line: isInt, character: isInt, endLine: isInt, endCharacter: isInt });

export const isBugCheck = (v: unknown): v is BugCheck =>
  hasShape(v, { code: isStr, name: isStr, subcode: isStr, meaning: isStr });

const isTagRow = (v: unknown): v is PoolTagRow =>
  hasShape(v, { tag: isStr, tagHex: isStr, pool: isPool, allocs: isInt, frees: isInt, diff: isInt, bytes: isNum });

const isLive = (v: unknown): v is LiveAllocation =>
  hasShape(v, {
    address: isStr,
    bytes: isNum,
    tag: isStr,
    pool: isPool,
    kind: oneOf('ecp-list', 'ecp-context', 'lookaside-entry'),
    objectId: isInt,
    line: isInt,
    owner: isOwner,
    freedBy: isStr,
  });

export const isEcpContext = (v: unknown): v is EcpContextObj =>
  hasShape(v, {
    id: isInt,
    kind: oneOf('ecp-context'),
    address: isStr,
    contextBytes: isNum,
    sizeKnown: isBool,
    blockBytes: isNum,
    pool: isPool,
    tag: isStr,
    ecpType: isStr,
    cleanup: isNullOr(isStr),
    lookaside: isNullOr(isInt),
    fallbackToPool: isBool,
    quotaBytes: isNum,
    state: oneOf('allocated', 'inserted', 'freed'),
    list: isNullOr(isInt),
    acknowledged: isBool,
    fromUserMode: isBool,
    family: isFamily,
    owner: isOwner,
    site: isSite,
    freedAt: isNullOr(isSite),
  });

const isAttachment: Check = (v) =>
  v === null ||
  hasShape(v, { kind: oneOf('callback-data', 'irp'), name: isStr }) ||
  hasShape(v, { kind: oneOf('create'), createId: isInt });

const isList = (v: unknown): v is EcpListObj & { contexts: EcpContextObj[] } =>
  hasShape(v, {
    id: isInt,
    kind: oneOf('ecp-list'),
    address: isStr,
    blockBytes: isNum,
    pool: isPool,
    tag: isStr,
    quotaBytes: isNum,
    state: oneOf('allocated', 'freed'),
    members: arrOf(isInt),
    attachedTo: isAttachment,
    family: isFamily,
    owner: isOwner,
    site: isSite,
    freedAt: isNullOr(isSite),
    contexts: arrOf(isEcpContext),
  });

const isLookaside = (v: unknown): v is LookasideObj & { hitRate: number } =>
  hasShape(v, {
    id: isInt,
    kind: oneOf('lookaside'),
    name: isStr,
    tag: isStr,
    pool: isPool,
    flags: isInt,
    entryBytes: isNum,
    depth: isInt,
    totalAllocates: isInt,
    allocateMisses: isInt,
    totalFrees: isInt,
    freeMisses: isInt,
    outstanding: isInt,
    state: oneOf('initialized', 'deleted'),
    family: isFamily,
    site: isSite,
    hitRate: isNum,
  });

const isPoolCounters: Check = (v) => hasShape(v, { bytes: isNum, allocs: isInt, peakBytes: isNum, peakAllocs: isInt });

const isCleanupRun: Check = (v) => hasShape(v, { callback: isStr, ecpType: isStr, address: isStr, line: isInt });

export const isSnapshot = (v: unknown): v is KernelSnapshot =>
  hasShape(v, {
    irql: isStr,
    paged: isPoolCounters,
    nonpaged: isPoolCounters,
    quotaBytes: isNum,
    tags: arrOf(isTagRow),
    live: arrOf(isLive),
    lookasides: arrOf(isLookaside),
    lists: arrOf(isList),
    looseContexts: arrOf(isEcpContext),
    cleanupCallbacks: arrOf(isCleanupRun),
    allocationAttempts: isInt,
    bugCheck: isNullOr(isBugCheck),
  });

export const isTraceStep = (v: unknown): v is TraceStep =>
  hasShape(v, {
    index: isInt,
    line: isInt,
    // A step in another file of the program names it (a URI the host opens only if the trace names it).
    file: (f) => f === undefined || isStr(f),
    range: isRange0,
    routine: isStr,
    args: arrOf(isStr),
    status: isNullOr(isStr),
    irql: isStr,
    note: isStr,
    snapshot: isSnapshot,
  });

const isLeak = (v: unknown): v is TraceLeak =>
  hasShape(v, {
    kind: oneOf('ecp-list', 'ecp-context', 'lookaside-entry'),
    pool: isPool,
    bytes: isNum,
    tag: isStr,
    line: isInt,
    address: isStr,
  });

const isOptStr: Check = (v) => v === undefined || isStr(v);
const isTraceBugCheck: Check = (v) =>
  v === null || (hasShape(v, { code: isStr, subcode: isStr, name: isOptStr, meaning: isOptStr }));

const isPathChoice: Check = (v) =>
  hasShape(v, { kind: oneOf('success', 'faults') }) ||
  hasShape(v, { kind: oneOf('diagnostic'), code: isStr, line: isInt });

const isFinal: Check = (v) =>
  hasShape(v, {
    live: arrOf(isLeak),
    leaks: arrOf(isLeak),
    quotaBytes: isNum,
    cleanupCallbacks: isInt,
    bugCheck: isTraceBugCheck,
    verdict: isStr,
    snapshot: isSnapshot,
  });

const isExplored: Check = (v) =>
  hasShape(v, { failedAllocation: isInt, leaks: isInt, bugCheck: isNullOr(isBugCheck), line: isInt });

const isFaultMatch: Check = (v) => hasShape(v, { allocation: isInt, line: isInt, routine: isStr, tag: isStr, matchedBy: isStr });

const isExit: Check = (v) => hasShape(v, { kind: oneOf('return', 'end', 'bugcheck'), line: isInt, range: isRange0, text: isStr });

/** A trace the panel can render: every field the renderers touch is checked. */
export function isTrace(v: unknown): v is Trace {
  return (
    hasShape(v, {
      function: isStr,
      uri: isStr,
      simulated: (x) => x === true,
      range: isRange0,
      path: isPathChoice,
      steps: arrOf(isTraceStep),
      final: isFinal,
      functions: arrOf((f) => hasShape(f, { name: isStr, line: isInt })),
    }) &&
    (v.explored === undefined || arrOf(isExplored)(v.explored)) &&
    (v.exploredSummary === undefined || isStr(v.exploredSummary)) &&
    (v.exploredBound === undefined || isStr(v.exploredBound)) &&
    (v.faultMatches === undefined || arrOf(isFaultMatch)(v.faultMatches)) &&
    ((v.final as Record<string, unknown>).exit === undefined || isExit((v.final as Record<string, unknown>).exit))
  );
}
