/**
 * The machine state of one path. Everything mutable lives here and is copied by clone(), so two
 * branches of a fork never see each other's changes. Object ids come from a per-state counter that
 * is copied too: an id allocated before a fork names the same object in both branches, and ids
 * allocated after it are unique within each path.
 */
import type {
  BugCheck,
  CallOptions,
  DriverCreateContextObj,
  EcpContextObj,
  EcpListObj,
  FaultPlan,
  KernelObj,
  LookasideObj,
  ObjId,
  Site,
} from './types';
import { PoolLedger } from './pool';

/** Bookkeeping the public records do not carry (provenance for `related` entries, mostly). */
export interface ObjectNotes {
  foreign?: boolean; //        came from an in-flight create: its contents are not known to us
  obtainedAt?: Site; //        where a foreign object was first seen
  insertedAt?: Site; //        last successful insert of an ECP
  attachedAt?: Site; //        where a list was set into a create
  setAt?: Site; //             where a driver context's ExtraCreateParameter was assigned
  sizeKnown?: boolean; //      lookaside: Size was known at init
  flagsKnown?: boolean; //     lookaside: Flags were known at init
  implicit?: boolean; //       lookaside first met in an allocation (initialised in another function)
  unseenList?: string; //      inserted into the unseen list known by this name (CallOptions.unseenList)
  unseenCode?: boolean; //     a list: code the engine cannot see ran after it was allocated (it may have inserted)
}

export interface CleanupRecord {
  callback: string;
  ecpType: string;
  address: string;
  line: number;
}

export const INSUFFICIENT_RESOURCES = 'STATUS_INSUFFICIENT_RESOURCES';

export function copyObject<T extends KernelObj>(obj: T): T {
  const copy = { ...obj, site: { ...obj.site } } as T;
  if (copy.kind === 'ecp-list') {
    const list = copy as EcpListObj;
    list.members = list.members.slice();
    list.attachedTo = list.attachedTo ? { ...list.attachedTo } : null;
    list.freedAt = list.freedAt ? { ...list.freedAt } : null;
  } else if (copy.kind === 'ecp-context') {
    const ecp = copy as EcpContextObj;
    ecp.freedAt = ecp.freedAt ? { ...ecp.freedAt } : null;
  }
  return copy;
}

export class KernelState {
  objects = new Map<ObjId, KernelObj>();
  notes = new Map<ObjId, ObjectNotes>();
  /** Objects this path allocated from the pool (or a lookaside): they count as live allocations. */
  charged = new Set<ObjId>();
  /** Free entries cached by each lookaside: the block addresses a later hit hands out again. */
  lookasideCache = new Map<ObjId, string[]>();
  lookasideByName = new Map<string, ObjId>();
  contextByName = new Map<string, ObjId>();
  /** What each create source ("callback-data:Data") carries: a list id, or null (no list). */
  createSources = new Map<string, ObjId | null>();
  ledger = new PoolLedger();
  cleanupLog: CleanupRecord[] = [];
  nextId = 1;
  irql = 0;
  irqlRaisedAt: Site | null = null;
  allocationAttempts = 0;
  /** The pool tag of each allocation attempt, in order ('' when unknown): attempt n is [n - 1]. */
  attemptTags: string[] = [];
  bugCheck: BugCheck | null = null;

  constructor(readonly faults: FaultPlan) {}

  clone(faults: FaultPlan = this.faults): KernelState {
    const copy = new KernelState(faults);
    for (const [id, obj] of this.objects) copy.objects.set(id, copyObject(obj));
    for (const [id, note] of this.notes) copy.notes.set(id, { ...note });
    copy.charged = new Set(this.charged);
    for (const [id, cache] of this.lookasideCache) copy.lookasideCache.set(id, cache.slice());
    copy.lookasideByName = new Map(this.lookasideByName);
    copy.contextByName = new Map(this.contextByName);
    copy.createSources = new Map(this.createSources);
    copy.ledger = this.ledger.clone();
    copy.cleanupLog = this.cleanupLog.slice(); // records are never mutated after creation
    copy.nextId = this.nextId;
    copy.irql = this.irql;
    copy.irqlRaisedAt = this.irqlRaisedAt;
    copy.allocationAttempts = this.allocationAttempts;
    copy.attemptTags = this.attemptTags.slice();
    copy.bugCheck = this.bugCheck ? { ...this.bugCheck } : null;
    return copy;
  }

  /**
   * Equal for two states that are the same to the last detail, ids included: what a called
   * function does from one of them it does from the other (the engine's call summaries).
   */
  exactKey(): string {
    return JSON.stringify([
      [...this.objects], [...this.notes], [...this.charged], [...this.lookasideCache], [...this.lookasideByName],
      [...this.contextByName], [...this.createSources], this.ledger.key(), this.cleanupLog, this.nextId, this.irql,
      this.irqlRaisedAt, this.allocationAttempts, this.attemptTags, this.bugCheck, this.faults,
    ]);
  }

  newId(): ObjId {
    return this.nextId++;
  }

  add<T extends KernelObj>(obj: T): T {
    this.objects.set(obj.id, obj);
    return obj;
  }

  note(id: ObjId): ObjectNotes {
    let note = this.notes.get(id);
    if (!note) {
      note = {};
      this.notes.set(id, note);
    }
    return note;
  }

  isForeign(id: ObjId): boolean {
    return this.notes.get(id)?.foreign === true;
  }

  list(id: ObjId): EcpListObj | undefined {
    const obj = this.objects.get(id);
    return obj?.kind === 'ecp-list' ? obj : undefined;
  }

  ecp(id: ObjId): EcpContextObj | undefined {
    const obj = this.objects.get(id);
    return obj?.kind === 'ecp-context' ? obj : undefined;
  }

  lookaside(name: string): LookasideObj | undefined {
    const id = this.lookasideByName.get(name);
    const obj = id === undefined ? undefined : this.objects.get(id);
    return obj?.kind === 'lookaside' ? obj : undefined;
  }

  driverContext(name: string): DriverCreateContextObj | undefined {
    const id = this.contextByName.get(name);
    const obj = id === undefined ? undefined : this.objects.get(id);
    return obj?.kind === 'driver-create-context' ? obj : undefined;
  }

  /**
   * Counts one allocation attempt and decides whether it fails: an explicit outcome wins, then
   * the fault plan (Nth attempt, or any attempt with a listed tag). Returns the failure status.
   */
  allocationFailure(tag: string, opts: CallOptions | undefined): string | null {
    this.allocationAttempts += 1;
    this.attemptTags.push(tag);
    if (opts?.outcome !== undefined) return opts.outcome === 'success' ? null : opts.outcome;
    const ordinal = this.allocationAttempts;
    if (this.faults.failAllocations?.includes(ordinal)) return INSUFFICIENT_RESOURCES;
    if (tag !== '' && this.faults.failTags?.includes(tag)) return INSUFFICIENT_RESOURCES;
    return null;
  }
}

/** The status a caller-forced outcome maps to, or the default when none was given. */
export function forcedStatus(opts: CallOptions | undefined, fallback: string): string {
  if (opts?.outcome === undefined) return fallback;
  return opts.outcome === 'success' ? 'STATUS_SUCCESS' : opts.outcome;
}

/** True when the caller explicitly asked this call to fail. */
export function forcedFailure(opts: CallOptions | undefined): boolean {
  const outcome = opts?.outcome;
  return outcome !== undefined && outcome !== 'success' && outcome !== 'success-null';
}
