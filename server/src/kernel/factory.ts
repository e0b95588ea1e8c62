/**
 * Construction of ECP and list records: pool-backed ones this path allocates, and foreign ones
 * that arrive with an in-flight create. Also the pool charge/release of a whole object.
 */
import type {
  AllocateEcpArgs,
  CreateSource,
  EcpContextObj,
  EcpListObj,
  Family,
  ObjId,
  Owner,
  Pool,
  Site,
} from './types';
import type { KernelState } from './state';
import {
  blockAddress,
  contextAddress,
  ECP_HEADER_BYTES,
  ECP_LIST_BYTES,
  type AddressRegion,
} from './pool';

/** FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA and _NONPAGED_POOL (§2.2). Other bits are ignored. */
export const ECP_FLAG_CHARGE_QUOTA = 0x1;
export const ECP_FLAG_NONPAGED_POOL = 0x2;

export interface ContextSize {
  contextBytes: number;
  sizeKnown: boolean;
}

/** SizeOfContext as the kernel records it: unknown or nonsense sizes become 0 with sizeKnown false. */
export function contextSize(bytes: number | undefined): ContextSize {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return { contextBytes: 0, sizeKnown: false };
  return { contextBytes: Math.floor(bytes), sizeKnown: true };
}

export interface EcpInit extends ContextSize {
  family: Family;
  site: Site;
  ecpType: string;
  cleanup: string | null;
  blockBytes: number;
  pool: Pool;
  tag: string;
  quotaBytes: number;
  lookaside: ObjId | null;
  fallbackToPool: boolean;
  owner: Owner;
  region: AddressRegion;
  /** Reuse this block address (a lookaside hit hands out a cached entry again). */
  block?: string;
}

export function createEcp(state: KernelState, init: EcpInit): EcpContextObj {
  const id = state.newId();
  const block = init.block ?? blockAddress(id, init.region);
  return state.add<EcpContextObj>({
    id,
    kind: 'ecp-context',
    address: contextAddress(block),
    contextBytes: init.contextBytes,
    sizeKnown: init.sizeKnown,
    blockBytes: init.blockBytes,
    pool: init.pool,
    tag: init.tag,
    ecpType: init.ecpType,
    cleanup: init.cleanup,
    lookaside: init.lookaside,
    fallbackToPool: init.fallbackToPool,
    quotaBytes: init.quotaBytes,
    state: 'allocated',
    list: null,
    acknowledged: false,
    fromUserMode: false,
    family: init.family,
    owner: init.owner,
    site: init.site,
    freedAt: null,
  });
}

/** Adds the object's block to the pool figures and marks it as a live allocation of this path. */
export function chargeObject(state: KernelState, obj: EcpContextObj | EcpListObj): void {
  state.charged.add(obj.id);
  state.ledger.charge(obj.tag, obj.pool, obj.blockBytes, obj.quotaBytes);
}

/** Gives a pool-backed object's block back (no-op for memory this path never allocated). */
export function releaseObject(state: KernelState, obj: EcpContextObj | EcpListObj): void {
  if (!state.charged.delete(obj.id)) return;
  state.ledger.release(obj.tag, obj.pool, obj.blockBytes, obj.quotaBytes);
}

/**
 * An ECP from system pool (§4.1 "Allocate ECP (pool)"): block = SizeOfContext + 72, tag as given,
 * paged unless NONPAGED_POOL, quota-charged when CHARGE_QUOTA is set.
 */
export function poolEcp(
  state: KernelState,
  family: Family,
  args: Omit<AllocateEcpArgs, 'tag'>,
  tag: string,
  site: Site,
  fallbackToPool: boolean,
): EcpContextObj {
  const flags = args.flags ?? 0;
  const size = contextSize(args.contextBytes);
  const blockBytes = size.contextBytes + ECP_HEADER_BYTES;
  const pool: Pool = flags & ECP_FLAG_NONPAGED_POOL ? 'nonpaged' : 'paged';
  const ecp = createEcp(state, {
    ...size,
    family,
    site,
    ecpType: args.ecpType,
    cleanup: args.cleanup,
    blockBytes,
    pool,
    tag,
    quotaBytes: flags & ECP_FLAG_CHARGE_QUOTA ? blockBytes : 0,
    lookaside: null,
    fallbackToPool,
    owner: 'caller',
    region: pool,
  });
  chargeObject(state, ecp);
  return ecp;
}

/** An ECP someone else allocated (read out of a create's list). Not part of our pool figures. */
export function foreignEcp(state: KernelState, family: Family, ecpType: string, owner: Owner, site: Site): EcpContextObj {
  const ecp = createEcp(state, {
    contextBytes: 0,
    sizeKnown: false,
    family,
    site,
    ecpType,
    cleanup: null,
    blockBytes: ECP_HEADER_BYTES,
    pool: 'paged',
    tag: '',
    quotaBytes: 0,
    lookaside: null,
    fallbackToPool: false,
    owner,
    region: 'foreign',
  });
  const note = state.note(ecp.id);
  note.foreign = true;
  note.obtainedAt = site;
  return ecp;
}

/** The list an in-flight create carries (§1.3 Get…FromCallbackData / FromIrp). Contents unknown. */
export function foreignList(state: KernelState, family: Family, source: CreateSource, site: Site): EcpListObj {
  const id = state.newId();
  const list = state.add<EcpListObj>({
    id,
    kind: 'ecp-list',
    address: blockAddress(id, 'foreign'),
    blockBytes: ECP_LIST_BYTES,
    pool: 'paged',
    tag: '',
    quotaBytes: 0,
    state: 'allocated',
    members: [],
    attachedTo: { kind: source.kind, name: source.name },
    family,
    owner: 'foreign',
    site,
    freedAt: null,
  });
  const note = state.note(id);
  note.foreign = true;
  note.obtainedAt = site;
  return list;
}
