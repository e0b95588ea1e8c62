/**
 * The pool panel's view of one machine state: plain, JSON-serialisable deep copies (no Maps, no
 * shared records), so a snapshot never changes after it was taken.
 */
import type { EcpContextObj, EcpListObj, KernelSnapshot, LiveAllocation, LookasideObj } from './types';
import { copyObject, type KernelState } from './state';
import { hitRate } from './lookaside';
import { blockOfContext } from './pool';
import { irqlName, lineOf, routineName } from './names';

export const CREATE_COMPLETION = 'I/O manager (create completion)';

export function buildSnapshot(state: KernelState): KernelSnapshot {
  const objects = [...state.objects.values()];
  const lists = objects.filter((obj): obj is EcpListObj => obj.kind === 'ecp-list' && obj.state !== 'freed');
  const contexts = objects.filter((obj): obj is EcpContextObj => obj.kind === 'ecp-context');
  const lookasides = objects.filter((obj): obj is LookasideObj => obj.kind === 'lookaside');
  return {
    irql: irqlName(state.irql),
    paged: state.ledger.counters('paged'),
    nonpaged: state.ledger.counters('nonpaged'),
    quotaBytes: state.ledger.quotaBytes,
    tags: state.ledger.tagRows(),
    live: liveAllocations(state),
    lookasides: lookasides.map((lookaside) => ({ ...copyObject(lookaside), hitRate: hitRate(lookaside) })),
    lists: lists.map((list) => ({ ...copyObject(list), contexts: membersOf(state, list) })),
    looseContexts: contexts.filter((ecp) => ecp.state !== 'freed' && !inVisibleList(state, ecp)).map(copyObject),
    cleanupCallbacks: state.cleanupLog.map((record) => ({ ...record })),
    allocationAttempts: state.allocationAttempts,
    bugCheck: state.bugCheck ? { ...state.bugCheck } : null,
  };
}

/** Who will release the object, given its owner right now. */
export function freedBy(state: KernelState, obj: EcpListObj | EcpContextObj): string {
  if (obj.owner === 'create') return CREATE_COMPLETION;
  if (obj.kind === 'ecp-list') return routineName('freeList', obj.family);
  const list = obj.owner === 'list' && obj.list !== null ? state.list(obj.list) : undefined;
  if (!list) return routineName('freeEcp', obj.family);
  if (list.owner === 'create' || list.owner === 'foreign') return CREATE_COMPLETION;
  return routineName('freeList', list.family);
}

/** Blocks this path allocated that are still out (lists, pool ECPs, lookaside entries handed out). */
function liveAllocations(state: KernelState): LiveAllocation[] {
  const live: LiveAllocation[] = [];
  for (const id of [...state.charged].sort((a, b) => a - b)) {
    const obj = state.objects.get(id);
    if (!obj || (obj.kind !== 'ecp-list' && obj.kind !== 'ecp-context') || obj.state === 'freed') continue;
    live.push({
      address: obj.kind === 'ecp-list' ? obj.address : blockOfContext(obj.address),
      bytes: obj.blockBytes,
      tag: obj.tag,
      pool: obj.pool,
      kind: obj.kind === 'ecp-context' && obj.lookaside !== null ? 'lookaside-entry' : obj.kind,
      objectId: obj.id,
      line: lineOf(obj.site),
      owner: obj.owner,
      freedBy: freedBy(state, obj),
    });
  }
  return live;
}

function membersOf(state: KernelState, list: EcpListObj): EcpContextObj[] {
  const members: EcpContextObj[] = [];
  for (const id of list.members) {
    const ecp = state.ecp(id);
    if (ecp) members.push(copyObject(ecp));
  }
  return members;
}

function inVisibleList(state: KernelState, ecp: EcpContextObj): boolean {
  if (ecp.list === null) return false;
  const list = state.list(ecp.list);
  return list !== undefined && list.state !== 'freed' && list.members.includes(ecp.id);
}
