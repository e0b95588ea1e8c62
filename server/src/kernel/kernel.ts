/**
 * The simulated kernel the path-sensitive engine drives (contract: ./types). One instance is the
 * machine state of one path; clone() copies it for a fork. The routine bodies live in lifetime.ts,
 * lookaside.ts, membership.ts and create.ts; this class only routes calls to them.
 */
import type {
  AllocateEcpArgs,
  BugCheck,
  CallOptions,
  CallResult,
  CreateSource,
  EcpContextObj,
  EcpListObj,
  Family,
  FaultPlan,
  Kernel,
  KernelObj,
  KernelOptions,
  KernelSnapshot,
  LookasideObj,
  ObjId,
  SimValue,
  Site,
  Violation,
} from './types';
import { KernelState } from './state';
import { allocateEcp, allocateList, freeEcp, freeList } from './lifetime';
import { allocateEcpFromLookaside, deleteLookaside, initLookaside } from './lookaside';
import { acknowledge, find, getNext, insert, isAcknowledged, isFromUserMode, prepareToReuse, remove } from './membership';
import {
  createFile,
  getListFromCreate,
  initDriverCreateContext,
  setDeviceObjectHint,
  setExtraCreateParameter,
  setListIntoCreate,
} from './create';
import { buildSnapshot } from './snapshot';
import { irqlName } from './names';

type OutResult = CallResult & { out: ObjId | null };

class SimulatedKernel implements Kernel {
  constructor(private readonly state: KernelState) {}

  clone(faults?: FaultPlan): Kernel {
    return new SimulatedKernel(this.state.clone(faults && copyPlan(faults)));
  }

  exactKey(): string {
    return this.state.exactKey();
  }

  /** The live record of this path (read it, do not modify it). */
  get(id: ObjId): KernelObj | undefined {
    return this.state.objects.get(id);
  }

  attemptTags(): string[] {
    return this.state.attemptTags.slice();
  }

  get allocationAttempts(): number {
    return this.state.allocationAttempts;
  }

  objects(): KernelObj[] {
    return [...this.state.objects.values()];
  }

  get irql(): number {
    return this.state.irql;
  }

  set irql(level: number) {
    this.setIrql(level);
  }

  get bugCheck(): BugCheck | null {
    return this.state.bugCheck;
  }

  /** `site` (optional, beyond the contract) is remembered as where IRQL was raised. */
  setIrql(level: number, site?: Site): void {
    this.state.irql = level;
    this.state.irqlRaisedAt = level > 0 && site ? site : null;
  }

  checkIrql(routine: string, maxIrql: number, site: Site): Violation | null {
    const { irql, irqlRaisedAt } = this.state;
    if (irql <= maxIrql) return null;
    return {
      kind: 'irql',
      site,
      objects: [],
      related: irqlRaisedAt ? [{ site: irqlRaisedAt, message: `IRQL raised to ${irqlName(irql)} here` }] : [],
      message: `${routine} must run at IRQL <= ${irqlName(maxIrql)}, but this path is at ${irqlName(irql)}.`,
    };
  }

  allocateList(family: Family, flags: number | undefined, site: Site, opts?: CallOptions): OutResult {
    return allocateList(this.state, family, flags, site, opts);
  }

  freeList(family: Family, list: SimValue, site: Site): CallResult {
    return freeList(this.state, family, list, site);
  }

  allocateEcp(family: Family, args: AllocateEcpArgs, site: Site, opts?: CallOptions): OutResult {
    return allocateEcp(this.state, family, args, site, opts);
  }

  initLookaside(
    family: Family,
    name: string,
    flags: number | undefined,
    size: number | undefined,
    tag: string | undefined,
    site: Site,
  ): CallResult {
    return initLookaside(this.state, family, name, flags, size, tag, site);
  }

  deleteLookaside(family: Family, name: string, flags: number | undefined, site: Site): CallResult {
    return deleteLookaside(this.state, family, name, flags, site);
  }

  allocateEcpFromLookaside(
    family: Family,
    lookasideName: string,
    args: Omit<AllocateEcpArgs, 'tag'>,
    site: Site,
    opts?: CallOptions,
  ): OutResult {
    return allocateEcpFromLookaside(this.state, family, lookasideName, args, site, opts);
  }

  freeEcp(family: Family, ecp: SimValue, site: Site): CallResult {
    return freeEcp(this.state, family, ecp, site);
  }

  insert(family: Family, list: SimValue, ecp: SimValue, site: Site, opts?: CallOptions): CallResult {
    return insert(this.state, family, list, ecp, site, opts);
  }

  find(family: Family, list: SimValue, ecpType: string, site: Site, opts?: CallOptions): OutResult {
    return find(this.state, family, list, ecpType, site, opts);
  }

  remove(family: Family, list: SimValue, ecpType: string, site: Site, opts?: CallOptions): OutResult {
    return remove(this.state, family, list, ecpType, site, opts);
  }

  getNext(family: Family, list: SimValue, current: SimValue, site: Site, opts?: CallOptions): OutResult {
    return getNext(this.state, family, list, current, site, opts);
  }

  getListFromCreate(family: Family, source: CreateSource, site: Site, opts?: CallOptions): OutResult {
    return getListFromCreate(this.state, family, source, site, opts);
  }

  setListIntoCreate(family: Family, source: CreateSource, list: SimValue, site: Site, opts?: CallOptions): CallResult {
    return setListIntoCreate(this.state, family, source, list, site, opts);
  }

  acknowledge(family: Family, ecp: SimValue, site: Site): CallResult {
    return acknowledge(this.state, family, ecp, site);
  }

  isAcknowledged(family: Family, ecp: SimValue, site: Site): CallResult {
    return isAcknowledged(this.state, family, ecp, site);
  }

  isFromUserMode(family: Family, ecp: SimValue, site: Site): CallResult {
    return isFromUserMode(this.state, family, ecp, site);
  }

  prepareToReuse(family: Family, ecp: SimValue, site: Site): CallResult {
    return prepareToReuse(this.state, family, ecp, site);
  }

  initDriverCreateContext(name: string, site: Site): ObjId {
    return initDriverCreateContext(this.state, name, site);
  }

  setExtraCreateParameter(name: string, list: SimValue, site: Site): void {
    setExtraCreateParameter(this.state, name, list, site);
  }

  setDeviceObjectHint(name: string, site: Site): void {
    setDeviceObjectHint(this.state, name, site);
  }

  createFile(family: Family, dccName: string | null, builtEcps: boolean, site: Site, opts?: CallOptions): CallResult {
    return createFile(this.state, family, dccName, builtEcps, site, opts);
  }

  noteUnseenCode(id: ObjId): void {
    if (this.state.objects.get(id)?.kind === 'ecp-list') this.state.note(id).unseenCode = true;
  }

  membersKnown(id: ObjId): boolean {
    const obj = this.state.objects.get(id);
    return obj?.kind === 'ecp-list' && !this.state.isForeign(id) && this.state.notes.get(id)?.unseenCode !== true;
  }

  /** Out of the engine's sight: never a leak afterwards. Freed objects stay freed. */
  escape(id: ObjId): void {
    const obj = this.state.objects.get(id);
    if (!obj || (obj.kind !== 'ecp-list' && obj.kind !== 'ecp-context') || obj.state === 'freed') return;
    obj.owner = 'escaped';
  }

  reclaim(id: ObjId): void {
    const obj = this.state.objects.get(id);
    if (obj?.kind === 'ecp-context' && obj.owner === 'escaped' && obj.state !== 'freed' && obj.list === null) obj.owner = 'caller';
  }

  forgetUnseenList(name: string | null, ecpType: string): void {
    for (const [id, note] of this.state.notes) {
      if (note.unseenList === undefined || (name !== null && note.unseenList !== name)) continue;
      const ecp = this.state.ecp(id);
      if (!ecpType || !ecp || ecp.ecpType === '' || ecp.ecpType === ecpType) delete note.unseenList;
    }
  }

  learnEcpType(id: ObjId, ecpType: string): void {
    const obj = this.state.objects.get(id);
    if (obj?.kind === 'ecp-context' && obj.ecpType === '') obj.ecpType = ecpType;
  }

  /** Caller-owned, unfreed lists and ECPs; an ECP inside a caller-owned list is owned by the list. */
  leaks(): KernelObj[] {
    return this.objects().filter(
      (obj): obj is EcpListObj | EcpContextObj =>
        (obj.kind === 'ecp-list' || obj.kind === 'ecp-context') && obj.owner === 'caller' && obj.state !== 'freed',
    );
  }

  /** Initialised here and not deleted (lookasides only met in an allocation are someone else's). */
  undeletedLookasides(): LookasideObj[] {
    return this.objects().filter(
      (obj): obj is LookasideObj =>
        obj.kind === 'lookaside' && obj.state === 'initialized' && this.state.notes.get(obj.id)?.implicit !== true,
    );
  }

  snapshot(): KernelSnapshot {
    return buildSnapshot(this.state);
  }
}

function copyPlan(faults: FaultPlan | undefined): FaultPlan {
  return { failAllocations: faults?.failAllocations?.slice(), failTags: faults?.failTags?.slice() };
}

export function createKernel(opts?: KernelOptions): Kernel {
  const state = new KernelState(copyPlan(opts?.faults));
  state.irql = opts?.irql ?? 0;
  return new SimulatedKernel(state);
}
