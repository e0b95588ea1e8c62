/**
 * Allocation and release of ECP lists and ECP contexts (§1.3 "List lifetime" / "ECP lifetime";
 * ownership per §4.1).
 */
import type { AllocateEcpArgs, CallOptions, CallResult, EcpContextObj, EcpListObj, Family, SimValue, Site } from './types';
import type { KernelState } from './state';
import { CallRecorder, allocatedHere, checkFamily, freedHere, isFreed, resolveEcp, resolveList } from './guard';
import { chargeObject, contextSize, poolEcp, releaseObject } from './factory';
import { blockAddress, CONTEXT_SIZE_OVERFLOW, ECP_LIST_BYTES, LIST_POOL_TAG } from './pool';
import { describe, lineOf, outParamIndex } from './names';
import { returnEntry } from './lookaside';

/** FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA (§2.2), the only list flag. */
const LIST_FLAG_CHARGE_QUOTA = 0x1;

type AllocationResult = CallResult & { out: number | null };

/**
 * A list is 24 paged bytes tagged 'FSel'. With CHARGE_QUOTA it is ordinary paged pool charged to
 * the process; without, it comes from FsRtl's private list lookaside — still paged memory in use
 * under the same tag, so the simulation counts it the same way minus the quota (§1.3).
 */
export function allocateList(
  state: KernelState,
  family: Family,
  flags: number | undefined,
  site: Site,
  opts: CallOptions | undefined,
): AllocationResult {
  const call = new CallRecorder(state, 'allocateList', family, site);
  const index = outParamIndex('allocateList', family);
  const failure = state.allocationFailure(LIST_POOL_TAG, opts);
  if (failure) return { ...call.result(failure, { [index]: null }), out: null };
  const id = state.newId();
  const list = state.add<EcpListObj>({
    id,
    kind: 'ecp-list',
    address: blockAddress(id, 'paged'),
    blockBytes: ECP_LIST_BYTES,
    pool: 'paged',
    tag: LIST_POOL_TAG,
    quotaBytes: (flags ?? 0) & LIST_FLAG_CHARGE_QUOTA ? ECP_LIST_BYTES : 0,
    state: 'allocated',
    members: [],
    attachedTo: null,
    family,
    owner: 'caller',
    site,
    freedAt: null,
  });
  chargeObject(state, list);
  return { ...call.result('STATUS_SUCCESS', { [index]: id }), out: id };
}

/** §1.3: frees every ECP still in the list (cleanup first, once each), then the list itself. */
export function freeList(state: KernelState, family: Family, value: SimValue, site: Site): CallResult {
  const call = new CallRecorder(state, 'freeList', family, site);
  const list = resolveList(state, value);
  if (!list) return call.result(null);
  if (isFreed(list)) {
    reportDoubleFree(call, list);
    return call.result(null);
  }
  checkFamily(call, list);
  reportForeignFree(call, list);
  for (const memberId of list.members) freeMember(call, list, memberId);
  markFreed(list, site);
  releaseObject(state, list);
  return call.result(null);
}

export function allocateEcp(
  state: KernelState,
  family: Family,
  args: AllocateEcpArgs,
  site: Site,
  opts: CallOptions | undefined,
): AllocationResult {
  const call = new CallRecorder(state, 'allocateEcp', family, site);
  const index = outParamIndex('allocateEcp', family);
  const tag = args.tag ?? '';
  let failure = state.allocationFailure(tag, opts);
  if (!failure && opts?.outcome === undefined && contextSize(args.contextBytes).contextBytes >= CONTEXT_SIZE_OVERFLOW) {
    failure = 'STATUS_INTEGER_OVERFLOW'; // header added to the size wraps (§5 #14)
  }
  if (failure) return { ...call.result(failure, { [index]: null }), out: null };
  const ecp = poolEcp(state, family, args, tag, site, false);
  return { ...call.result('STATUS_SUCCESS', { [index]: ecp.id }), out: ecp.id };
}

/**
 * §1.3: the ECP must not be in a list. Freeing an inserted one is reported (bug check 0x10C/0x6
 * describes it, §4.2) and the ECP is marked freed anyway, so the list keeps a dangling entry.
 */
export function freeEcp(state: KernelState, family: Family, value: SimValue, site: Site): CallResult {
  const call = new CallRecorder(state, 'freeEcp', family, site);
  const ecp = resolveEcp(state, value);
  if (!ecp) return call.result(null);
  if (isFreed(ecp)) {
    reportDoubleFree(call, ecp);
    return call.result(null);
  }
  checkFamily(call, ecp);
  if (!reportForeignFree(call, ecp) && ecp.state === 'inserted') reportFreeInserted(call, ecp);
  releaseEcp(call, ecp);
  return call.result(null);
}

/** Cleanup callback (exactly once, before the memory goes — §4.1), then lookaside or pool. */
function releaseEcp(call: CallRecorder, ecp: EcpContextObj): void {
  const { state, site } = call;
  if (ecp.cleanup) {
    state.cleanupLog.push({ callback: ecp.cleanup, ecpType: ecp.ecpType, address: ecp.address, line: lineOf(site) });
  }
  if (ecp.lookaside !== null) returnEntry(state, ecp);
  else releaseObject(state, ecp);
  markFreed(ecp, site);
}

function freeMember(call: CallRecorder, list: EcpListObj, memberId: number): void {
  const ecp = call.state.ecp(memberId);
  if (!ecp) return;
  // A member already freed while linked was reported as 'free-inserted' at that free; the list
  // free touching the dangling entry is the same bug, so it is not reported a second time.
  if (!isFreed(ecp)) releaseEcp(call, ecp);
  void list;
}

function markFreed(obj: EcpListObj | EcpContextObj, site: Site): void {
  obj.state = 'freed';
  obj.owner = 'none';
  obj.freedAt = site;
}

function reportDoubleFree(call: CallRecorder, obj: EcpListObj | EcpContextObj): void {
  const when = obj.freedAt ? ` at line ${lineOf(obj.freedAt)}` : '';
  call.report(
    'double-free',
    [obj.id],
    `${call.routine} frees ${describe(obj)} again; it was already freed${when}.`,
    [allocatedHere(obj, call.state), ...freedHere(obj, 'first freed here')],
  );
}

/** §4.1: objects that belong to an in-flight create are freed by the I/O manager, not by us. */
function reportForeignFree(call: CallRecorder, obj: EcpListObj | EcpContextObj): boolean {
  // An ECP of ours inserted into a create's list is the create's now: it goes with that list.
  const holder = 'members' in obj || obj.state !== 'inserted' || obj.list === null ? undefined : call.state.list(obj.list);
  const owner = holder && (holder.owner === 'foreign' || holder.owner === 'create') ? holder.owner : obj.owner;
  if (owner !== 'foreign' && owner !== 'create') return false;
  const note = call.state.notes.get(obj.id);
  const related = [allocatedHere(obj, call.state)];
  if (holder && note?.insertedAt) related.push({ site: note.insertedAt, message: "inserted into the create's list here" });
  if (note?.attachedAt) related.push({ site: note.attachedAt, message: 'handed to the create here' });
  const whose = owner === 'create' ? 'was handed to an in-flight create' : 'belongs to an in-flight create';
  call.report(
    'foreign-free',
    [obj.id],
    `${call.routine} frees ${describe(obj)}, which ${whose}; the I/O manager frees it when the create completes.`,
    related,
  );
  return true;
}

function reportFreeInserted(call: CallRecorder, ecp: EcpContextObj): void {
  const insertedAt = call.state.notes.get(ecp.id)?.insertedAt;
  const list = ecp.list === null ? undefined : call.state.list(ecp.list);
  const related = [allocatedHere(ecp, call.state)];
  if (insertedAt) related.push({ site: insertedAt, message: 'inserted into the list here' });
  if (list) related.push({ site: list.site, message: 'the list that still owns it' });
  call.report(
    'free-inserted',
    [ecp.id, ...(list ? [list.id] : [])],
    `${call.routine} frees ${describe(ecp)} while a list still owns it; remove it from the list first.`,
    related,
    {
      code: '0x10C',
      name: 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION',
      subcode: '0x6',
      meaning: 'The ECP being freed is still linked into an ECP list.',
    },
  );
}
