/**
 * Shared plumbing for routine implementations: a per-call recorder that collects violations and
 * builds the CallResult, value resolution, and the checks every routine makes on its arguments
 * (use after free, family mix).
 */
import type {
  BugCheck,
  CallResult,
  EcpContextObj,
  EcpListObj,
  Family,
  KernelObj,
  ObjId,
  SimValue,
  Site,
  Violation,
  ViolationKind,
} from './types';
import type { KernelState } from './state';
import { describe, familiesMix, familyLabel, lineOf, routineName, type KernelOp } from './names';

export type Related = Violation['related'];

export class CallRecorder {
  readonly violations: Violation[] = [];
  readonly routine: string;
  bugCheck: BugCheck | undefined;

  constructor(
    readonly state: KernelState,
    readonly op: KernelOp,
    readonly family: Family,
    readonly site: Site,
  ) {
    this.routine = routineName(op, family);
  }

  report(kind: ViolationKind, objects: ObjId[], message: string, related: Related, bugCheck?: BugCheck): void {
    const violation: Violation = { kind, site: this.site, objects, related, message };
    if (bugCheck) violation.bugCheck = bugCheck;
    this.violations.push(violation);
  }

  /** The path ends: the machine bug-checked inside this call. */
  stopMachine(bugCheck: BugCheck): void {
    this.bugCheck = bugCheck;
    this.state.bugCheck = bugCheck;
  }

  result(status: string | null, outs: Record<number, ObjId | null> = {}): CallResult {
    const result: CallResult = { status, outs, violations: this.violations };
    if (this.bugCheck) result.bugCheck = this.bugCheck;
    return result;
  }
}

/** The object a value names, if it is of the wanted kind. NULL, unknown and ints resolve to nothing. */
export function resolveList(state: KernelState, value: SimValue): EcpListObj | undefined {
  return value.kind === 'obj' ? state.list(value.id) : undefined;
}

export function resolveEcp(state: KernelState, value: SimValue): EcpContextObj | undefined {
  return value.kind === 'obj' ? state.ecp(value.id) : undefined;
}

export function isFreed(obj: EcpListObj | EcpContextObj): boolean {
  return obj.state === 'freed';
}

/** "ECP list allocated here" (or "obtained here" for an object that came from a create). */
export function allocatedHere(obj: KernelObj, state?: KernelState): Related[number] {
  const what = describe(obj).replace(/ from line \d+$/, '');
  if (state?.isForeign(obj.id)) return { site: obj.site, message: `${what} obtained here` };
  const verb = obj.kind === 'ecp-list' || obj.kind === 'ecp-context' ? 'allocated' : 'initialised';
  return { site: obj.site, message: `${what} ${verb} here` };
}

export function freedHere(obj: EcpListObj | EcpContextObj, message = 'freed here'): Related {
  return obj.freedAt ? [{ site: obj.freedAt, message }] : [];
}

/**
 * Reports a use of a freed list/ECP (§4.1: after FREED nothing may touch it). Returns true when
 * the object is alive, so callers can go on with the routine's effect.
 */
export function requireAlive(call: CallRecorder, obj: EcpListObj | EcpContextObj): boolean {
  if (!isFreed(obj)) return true;
  const when = obj.freedAt ? ` at line ${lineOf(obj.freedAt)}` : '';
  call.report(
    'use-after-free',
    [obj.id],
    `${call.routine} uses ${describe(obj)} after it was freed${when}.`,
    [...freedHere(obj), allocatedHere(obj, call.state)],
  );
  return false;
}

/**
 * Flt objects belong to FltMgr, FsRtl/Io ones to the kernel; docs disagree on whether mixing is
 * allowed and it appears to work (§5 #5, ECP034), so this is a warning and the call proceeds.
 */
export function checkFamily(call: CallRecorder, obj: KernelObj & { family: Family }): void {
  if (!familiesMix(obj.family, call.family)) return;
  call.report(
    'family-mix',
    [obj.id],
    `${describe(obj)} comes from the ${familyLabel(obj.family)} routines but is passed to ${call.routine}; keep each object within one family.`,
    [allocatedHere(obj, call.state)],
  );
}

/** Alive + family check in one step for routines that merely use an object. */
export function useObject(call: CallRecorder, obj: EcpListObj | EcpContextObj): boolean {
  if (!requireAlive(call, obj)) return false;
  checkFamily(call, obj);
  return true;
}
