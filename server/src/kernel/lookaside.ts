/**
 * ECP lookaside lists (§1.3 Init / Delete / AllocateFromLookasideList; §4.1 "Allocate from
 * lookaside", "Lookaside delete").
 *
 * Cache model, shaped after the counters `!lookaside` shows for an Ex lookaside list:
 *  - Init allocates nothing and the cache of free entries starts empty. Entry = Size + 72 bytes.
 *  - Allocate: TotalAllocates + 1. A cached entry (depth > 0) is handed out again — a hit, no pool
 *    traffic, same block address as before. Otherwise AllocateMisses + 1 and a new entry comes from
 *    the pool with the lookaside's tag and pool type.
 *  - Free: TotalFrees + 1. The entry goes back into the cache while the cache holds fewer than 4
 *    (the Ex minimum depth; Windows re-tunes depth over time, the simulation keeps it fixed at 4);
 *    otherwise FreeMisses + 1 and the block returns to the pool. Cached entries are still pool in
 *    use, as PoolMon would show them.
 *  - Delete: every cached entry goes back to the pool.
 *  - A context that does not fit an entry comes from the pool instead, with the lookaside's tag
 *    (§1.3): counted as an allocate miss, and it never enters the cache (lookaside = null). Only
 *    this path honours CHARGE_QUOTA (§2.2 header comment).
 *  - hitRate (snapshot) = percentage of allocates served from the cache.
 */
import type { AllocateEcpArgs, CallOptions, CallResult, EcpContextObj, Family, LookasideObj, Pool, Site } from './types';
import type { KernelState } from './state';
import { CallRecorder, allocatedHere, checkFamily } from './guard';
import { contextSize, createEcp, ECP_FLAG_NONPAGED_POOL, poolEcp, type ContextSize } from './factory';
import { blockOfContext, CONTEXT_SIZE_OVERFLOW, ECP_HEADER_BYTES } from './pool';
import { hex, outParamIndex } from './names';

export const LOOKASIDE_MAX_DEPTH = 4;
/** FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL (§2.2). */
const LOOKASIDE_FLAG_NONPAGED_POOL = 0x2;

type AllocationResult = CallResult & { out: number | null };

export function initLookaside(
  state: KernelState,
  family: Family,
  name: string,
  flags: number | undefined,
  size: number | undefined,
  tag: string | undefined,
  site: Site,
): CallResult {
  const call = new CallRecorder(state, 'initLookaside', family, site);
  const perEntry = contextSize(size);
  const lookaside = newLookaside(state, family, name, site, {
    tag: tag ?? '',
    pool: (flags ?? 0) & LOOKASIDE_FLAG_NONPAGED_POOL ? 'nonpaged' : 'paged',
    flags: flags ?? 0,
    entryBytes: perEntry.contextBytes + ECP_HEADER_BYTES,
  });
  const note = state.note(lookaside.id);
  note.sizeKnown = perEntry.sizeKnown;
  note.flagsKnown = flags !== undefined;
  return call.result(null);
}

export function deleteLookaside(
  state: KernelState,
  family: Family,
  name: string,
  flags: number | undefined,
  site: Site,
): CallResult {
  const call = new CallRecorder(state, 'deleteLookaside', family, site);
  const lookaside = state.lookaside(name);
  // Unknown here: initialised in another function (DriverEntry) — nothing this path can check.
  if (!lookaside || lookaside.state === 'deleted') return call.result(null);
  checkFamily(call, lookaside);
  if (flags !== undefined && state.note(lookaside.id).flagsKnown && flags !== lookaside.flags) {
    call.report(
      'lookaside-flags',
      [lookaside.id],
      `${call.routine} is called with flags ${hex(flags)} but '${name}' was initialised with ${hex(lookaside.flags)}; the flags must match (§1.3).`,
      [{ site: lookaside.site, message: `initialised with flags ${hex(lookaside.flags)} here` }],
    );
  }
  reportOutstanding(call, lookaside);
  drainCache(state, lookaside);
  lookaside.state = 'deleted';
  return call.result(null);
}

export function allocateEcpFromLookaside(
  state: KernelState,
  family: Family,
  name: string,
  args: Omit<AllocateEcpArgs, 'tag'>,
  site: Site,
  opts: CallOptions | undefined,
): AllocationResult {
  const call = new CallRecorder(state, 'allocateEcpFromLookaside', family, site);
  const index = outParamIndex('allocateEcpFromLookaside', family);
  const lookaside = state.lookaside(name) ?? implicitLookaside(state, family, name, args, site);
  const size = contextSize(args.contextBytes);
  let failure = state.allocationFailure(lookaside.tag, opts);
  if (!failure && opts?.outcome === undefined && size.contextBytes >= CONTEXT_SIZE_OVERFLOW) {
    failure = 'STATUS_INTEGER_OVERFLOW'; // header added to the size wraps (§5 #14)
  }
  if (failure) return { ...call.result(failure, { [index]: null }), out: null };
  checkFamily(call, lookaside);
  lookaside.totalAllocates += 1;
  const ecp = fitsEntry(state, lookaside, size)
    ? takeEntry(state, lookaside, family, args, size, site)
    : fallBackToPool(state, lookaside, family, args, site);
  return { ...call.result('STATUS_SUCCESS', { [index]: ecp.id }), out: ecp.id };
}

/** Returns a lookaside ECP's entry to its cache (or to the pool when the cache is full / deleted). */
export function returnEntry(state: KernelState, ecp: EcpContextObj): void {
  const owner = ecp.lookaside === null ? undefined : state.objects.get(ecp.lookaside);
  if (!owner || owner.kind !== 'lookaside') return;
  state.charged.delete(ecp.id);
  owner.outstanding = Math.max(0, owner.outstanding - 1);
  owner.totalFrees += 1;
  const cache = cacheOf(state, owner);
  if (owner.state === 'initialized' && cache.length < LOOKASIDE_MAX_DEPTH) {
    cache.push(blockOfContext(ecp.address));
    owner.depth = cache.length;
    return;
  }
  if (owner.state === 'initialized') owner.freeMisses += 1;
  state.ledger.release(ecp.tag, ecp.pool, ecp.blockBytes, 0);
}

/** Percentage of allocations served from the cache, 0 when nothing was allocated yet. */
export function hitRate(lookaside: LookasideObj): number {
  if (lookaside.totalAllocates === 0) return 0;
  const hits = lookaside.totalAllocates - lookaside.allocateMisses;
  return Math.round((hits / lookaside.totalAllocates) * 100);
}

interface LookasideShape {
  tag: string;
  pool: Pool;
  flags: number;
  entryBytes: number;
}

function newLookaside(state: KernelState, family: Family, name: string, site: Site, shape: LookasideShape): LookasideObj {
  const lookaside = state.add<LookasideObj>({
    id: state.newId(),
    kind: 'lookaside',
    name,
    ...shape,
    depth: 0,
    totalAllocates: 0,
    allocateMisses: 0,
    totalFrees: 0,
    freeMisses: 0,
    outstanding: 0,
    state: 'initialized',
    family,
    site,
  });
  state.lookasideCache.set(lookaside.id, []);
  state.lookasideByName.set(name, lookaside.id);
  return lookaside;
}

/**
 * A lookaside first met in an allocation: it was initialised in code this path does not see.
 * Its entry size is unknown, so nothing falls back; it is not this path's job to delete it.
 */
function implicitLookaside(
  state: KernelState,
  family: Family,
  name: string,
  args: Omit<AllocateEcpArgs, 'tag'>,
  site: Site,
): LookasideObj {
  const lookaside = newLookaside(state, family, name, site, {
    tag: '',
    pool: (args.flags ?? 0) & ECP_FLAG_NONPAGED_POOL ? 'nonpaged' : 'paged',
    flags: 0,
    entryBytes: contextSize(args.contextBytes).contextBytes + ECP_HEADER_BYTES,
  });
  const note = state.note(lookaside.id);
  note.implicit = true;
  note.sizeKnown = false;
  note.flagsKnown = false;
  return lookaside;
}

function fitsEntry(state: KernelState, lookaside: LookasideObj, size: ContextSize): boolean {
  if (!state.note(lookaside.id).sizeKnown || !size.sizeKnown) return true;
  return size.contextBytes + ECP_HEADER_BYTES <= lookaside.entryBytes;
}

function takeEntry(
  state: KernelState,
  lookaside: LookasideObj,
  family: Family,
  args: Omit<AllocateEcpArgs, 'tag'>,
  size: ContextSize,
  site: Site,
): EcpContextObj {
  const cache = cacheOf(state, lookaside);
  const block = cache.pop();
  lookaside.depth = cache.length;
  if (block === undefined) {
    lookaside.allocateMisses += 1;
    state.ledger.charge(lookaside.tag, lookaside.pool, lookaside.entryBytes, 0);
  }
  lookaside.outstanding += 1;
  const ecp = createEcp(state, {
    ...size,
    family,
    site,
    ecpType: args.ecpType,
    cleanup: args.cleanup,
    blockBytes: lookaside.entryBytes,
    pool: lookaside.pool,
    tag: lookaside.tag,
    quotaBytes: 0,
    lookaside: lookaside.id,
    fallbackToPool: false,
    owner: 'caller',
    region: lookaside.pool,
    block,
  });
  state.charged.add(ecp.id);
  return ecp;
}

function fallBackToPool(
  state: KernelState,
  lookaside: LookasideObj,
  family: Family,
  args: Omit<AllocateEcpArgs, 'tag'>,
  site: Site,
): EcpContextObj {
  lookaside.allocateMisses += 1;
  return poolEcp(state, family, args, lookaside.tag, site, true);
}

function cacheOf(state: KernelState, lookaside: LookasideObj): string[] {
  let cache = state.lookasideCache.get(lookaside.id);
  if (!cache) {
    cache = [];
    state.lookasideCache.set(lookaside.id, cache);
  }
  return cache;
}

function drainCache(state: KernelState, lookaside: LookasideObj): void {
  const cache = cacheOf(state, lookaside);
  for (let i = 0; i < cache.length; i++) state.ledger.release(lookaside.tag, lookaside.pool, lookaside.entryBytes, 0);
  cache.length = 0;
  lookaside.depth = 0;
}

/** §1.3 Delete: it does not free ECPs still out; they must be freed first. */
function reportOutstanding(call: CallRecorder, lookaside: LookasideObj): void {
  if (lookaside.outstanding === 0) return;
  const still = [...call.state.objects.values()].filter(
    (obj): obj is EcpContextObj => obj.kind === 'ecp-context' && obj.lookaside === lookaside.id && obj.state !== 'freed',
  );
  call.report(
    'lookaside-outstanding',
    [lookaside.id, ...still.map((ecp) => ecp.id)],
    `${call.routine} deletes '${lookaside.name}' while ${lookaside.outstanding} ECP(s) from it are still allocated; free them first.`,
    [allocatedHere(lookaside), ...still.map((ecp) => ({ site: ecp.site, message: 'ECP still allocated from this lookaside' }))],
  );
}
