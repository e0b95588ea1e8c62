/**
 * Contract of the simulated kernel. The kernel knows nothing about syntax: the engine (and the
 * pool panel, through traces) drives it with abstract values. Every figure it produces is
 * simulated: sizes follow the x64 layouts recorded in the facts (ECP header 72 bytes, ECP_LIST
 * 24 bytes), addresses are synthetic.
 */

/** 0-based source range; opaque to the kernel, carried for provenance. */
export interface Site {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  /** Statements of a function from another file of the program run at this call site. */
  innerFile?: string;
  /** Where, in that other file, the event happened (the site itself is the call). */
  inner?: InnerSite;
}

/** A range in another file of the program (`file` is its URI). */
export interface InnerSite {
  file: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export type Pool = 'paged' | 'nonpaged';
export type Family = 'flt' | 'fsrtl' | 'io';
export type ObjId = number;

/** Who is responsible for releasing an object right now. */
export type Owner =
  | 'caller' //          the function under analysis must free it (or hand it off)
  | 'list' //            an ECP list owns it (ECP inserted)
  | 'create' //          an in-flight create owns it (set into callback data / IRP): the I/O manager frees it
  | 'foreign' //         it came from someone else (list/ECP read from an in-flight create)
  | 'escaped' //         handed to code the engine cannot see, stored in a field/global, returned
  | 'none'; //           freed, or never owned

export interface EcpContextObj {
  id: ObjId;
  kind: 'ecp-context';
  address: string; //   synthetic, e.g. "ffffa30c`0a4b1048" (the context pointer, header precedes it)
  contextBytes: number; // SizeOfContext as passed (NaN-free: unknown sizes are recorded as 0 with sizeKnown false)
  sizeKnown: boolean;
  blockBytes: number; // contextBytes + 72, what the pool charges
  pool: Pool;
  tag: string; //       4 chars as written in source order ('Tst1'), or '' when unknown
  ecpType: string; //   GUID name as written (e.g. 'GUID_ECP_NETWORK_OPEN_CONTEXT') or '' when unknown
  cleanup: string | null; // name of the cleanup callback or null
  lookaside: ObjId | null; // lookaside it came from (null when pool, including fallback)
  fallbackToPool: boolean; // allocated from a lookaside call but larger than its entry
  quotaBytes: number;
  state: 'allocated' | 'inserted' | 'freed';
  list: ObjId | null; // list it is inserted in
  acknowledged: boolean;
  fromUserMode: boolean;
  family: Family;
  owner: Owner;
  site: Site; //       where it was allocated (or first seen, for foreign ones)
  freedAt: Site | null;
}

export interface EcpListObj {
  id: ObjId;
  kind: 'ecp-list';
  address: string;
  blockBytes: number; // 24
  pool: Pool; //        always 'paged' for allocated lists
  tag: string; //       'FSel' for quota-charged lists; lists from FsRtl's internal lookaside are reported with tag 'FSel' too
  quotaBytes: number;
  state: 'allocated' | 'freed';
  members: ObjId[]; // insertion order
  attachedTo: null | { kind: 'callback-data' | 'irp'; name: string } | { kind: 'create'; createId: number };
  family: Family;
  owner: Owner;
  site: Site;
  freedAt: Site | null;
}

export interface LookasideObj {
  id: ObjId;
  kind: 'lookaside';
  name: string; //     the variable/expression that names it in source, e.g. 'g_EcpLookaside'
  tag: string;
  pool: Pool;
  flags: number; //    FSRTL_ECP_LOOKASIDE_FLAGS at init
  entryBytes: number; // Size + 72
  depth: number; //    current number of free entries cached
  totalAllocates: number;
  allocateMisses: number;
  totalFrees: number;
  freeMisses: number;
  outstanding: number; // entries handed out and not returned
  state: 'initialized' | 'deleted';
  family: Family;
  site: Site;
}

export interface DriverCreateContextObj {
  id: ObjId;
  kind: 'driver-create-context';
  name: string;
  initialized: boolean; // IoInitializeDriverCreateContext ran
  extraCreateParameter: ObjId | null | 'unknown';
  deviceObjectHintSet: boolean;
  site: Site;
}

export type KernelObj = EcpContextObj | EcpListObj | LookasideObj | DriverCreateContextObj;

/** One thing that went wrong, as the kernel saw it. Rules turn these into diagnostics. */
export type ViolationKind =
  | 'double-free' //          list or ECP freed twice
  | 'free-inserted' //        ECP freed while a list owns it (bug check 0x10C/0x6 territory)
  | 'use-after-free' //       a freed list/ECP (or an ECP inside a freed list) passed to a routine
  | 'foreign-free' //         freeing a list/ECP that belongs to an in-flight create
  | 'empty-list-create' //    create issued with an empty list (bug check 0x10C/0x15)
  | 'create-context-uninitialized' // driver context not initialised before a create
  | 'create-context-list-dead' //    ExtraCreateParameter points at a freed list
  | 'create-context-list-unset' //   function built ECPs but ExtraCreateParameter is not set
  | 'duplicate-type' //       insert of a second ECP with the same GUID (returns STATUS_INVALID_PARAMETER)
  | 'irql' //                 routine called above its maximum IRQL
  | 'family-mix' //           Flt object released/used through FsRtl or the reverse
  | 'lookaside-flags' //      delete flags differ from init flags
  | 'lookaside-outstanding' // lookaside deleted while entries are still allocated
  | 'insert-foreign-memory'; // inserted pointer did not come from an ECP allocator

export interface Violation {
  kind: ViolationKind;
  site: Site; //          the call where it happened
  objects: ObjId[]; //    objects involved
  related: { site: Site; message: string }[]; // e.g. "freed first here"
  bugCheck?: BugCheck;
  message: string;
}

export interface BugCheck {
  code: string; //     '0x10C'
  name: string; //     'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION'
  subcode: string; //  '0x15'
  meaning: string;
}

/** A value as the engine understands it. */
export type SimValue =
  | { kind: 'obj'; id: ObjId }
  | { kind: 'null' }
  | { kind: 'int'; value: number }
  | { kind: 'unknown' };

/** How the engine asks a fallible routine to end. */
export interface CallOptions {
  /** Force this outcome: 'success' or an NTSTATUS name the routine can return. */
  outcome?: 'success' | string;
  /**
   * Insert into a list the engine cannot see into (a parameter): the name it is known by on this
   * path. ECPs inserted under one name are remembered, so a second ECP of the same type into it
   * is a certain duplicate.
   */
  unseenList?: string;
}

export interface CallResult {
  /** NTSTATUS name returned, 'TRUE'/'FALSE' for BOOLEAN routines, null for VOID. */
  status: string | null;
  /** Objects produced into out-parameters, by parameter index. null = NULL written. */
  outs: Record<number, ObjId | null>;
  violations: Violation[];
  /** Set when the call stopped the machine (the path ends here). */
  bugCheck?: BugCheck;
}

/** Fault injection, Driver Verifier low-resources style. Allocation ordinals are 1-based. */
export interface FaultPlan {
  failAllocations?: number[]; // fail the Nth allocation attempt(s)
  failTags?: string[]; //       fail every allocation with these pool tags
}

export interface PoolTagRow {
  tag: string;
  tagHex: string; // e.g. '0x31747354' (little-endian ULONG as the pool stores it)
  pool: Pool;
  allocs: number;
  frees: number;
  diff: number;
  bytes: number;
}

export interface LiveAllocation {
  address: string;
  bytes: number;
  tag: string;
  pool: Pool;
  kind: 'ecp-list' | 'ecp-context' | 'lookaside-entry';
  objectId: ObjId;
  line: number; //   1-based source line that made it
  owner: Owner;
  freedBy: string; // routine that will free it, e.g. 'FltFreeExtraCreateParameterList'
}

export interface KernelSnapshot {
  irql: string; //  'PASSIVE_LEVEL' | 'APC_LEVEL' | 'DISPATCH_LEVEL'
  paged: { bytes: number; allocs: number; peakBytes: number; peakAllocs: number };
  nonpaged: { bytes: number; allocs: number; peakBytes: number; peakAllocs: number };
  quotaBytes: number;
  tags: PoolTagRow[];
  live: LiveAllocation[];
  lookasides: (LookasideObj & { hitRate: number })[];
  lists: (EcpListObj & { contexts: EcpContextObj[] })[];
  /** ECPs that are in no list (allocated, removed or rejected). */
  looseContexts: EcpContextObj[];
  cleanupCallbacks: { callback: string; ecpType: string; address: string; line: number }[];
  allocationAttempts: number;
  bugCheck: BugCheck | null;
}

/** A create request source: the callback data or IRP of an in-flight create, named as in source. */
export interface CreateSource {
  kind: 'callback-data' | 'irp';
  name: string; // e.g. 'Data', 'Irp'
}

export interface AllocateEcpArgs {
  ecpType: string; //          GUID name as written ('' if unknown)
  contextBytes?: number; //    undefined = unknown (e.g. sizeof of a type we cannot size); use 0 and sizeKnown=false
  flags?: number; //           FSRTL_ALLOCATE_ECP_FLAGS, undefined = unknown (treat as 0)
  cleanup: string | null;
  tag?: string; //             pool tag as text ('Tst1'); undefined = unknown
}

/**
 * The simulated kernel. One instance is one machine state on one path; the engine clones it at
 * every fork, so clone() must be cheap (objects are small records; copy them, never share).
 *
 * Every routine method takes `opts.outcome`: when it names a failure status the routine fails with
 * it (out-parameters set as the routine documents: NULL), when it is 'success' the routine
 * succeeds unless success is impossible (a duplicate insert still fails with
 * STATUS_INVALID_PARAMETER), and when absent the fault plan decides (allocation failures).
 * Methods never throw for bad input: misuse becomes a Violation.
 */
export interface Kernel {
  /** A copy for a fork; with `faults`, the copy fails allocations by that plan from now on. */
  clone(faults?: FaultPlan): Kernel;
  /** Equal for two kernels in exactly the same state, object ids included. */
  exactKey(): string;
  get(id: ObjId): KernelObj | undefined;
  objects(): KernelObj[];
  /** The pool tag of each allocation attempt so far, in order ('' when unknown). */
  attemptTags(): string[];
  /** How many allocation attempts the path has made so far. */
  readonly allocationAttempts: number;

  /** IRQL as a number: 0 PASSIVE, 1 APC, 2 DISPATCH. */
  irql: number;
  setIrql(level: number): void;
  /** Check a routine's IRQL maximum against the current level; returns an 'irql' violation or null. */
  checkIrql(routine: string, maxIrql: number, site: Site): Violation | null;

  allocateList(family: Family, flags: number | undefined, site: Site, opts?: CallOptions): CallResult & { out: ObjId | null };
  freeList(family: Family, list: SimValue, site: Site): CallResult;
  allocateEcp(family: Family, args: AllocateEcpArgs, site: Site, opts?: CallOptions): CallResult & { out: ObjId | null };
  initLookaside(family: Family, name: string, flags: number | undefined, size: number | undefined, tag: string | undefined, site: Site): CallResult;
  deleteLookaside(family: Family, name: string, flags: number | undefined, site: Site): CallResult;
  allocateEcpFromLookaside(family: Family, lookasideName: string, args: Omit<AllocateEcpArgs, 'tag'>, site: Site, opts?: CallOptions): CallResult & { out: ObjId | null };
  freeEcp(family: Family, ecp: SimValue, site: Site): CallResult;
  insert(family: Family, list: SimValue, ecp: SimValue, site: Site, opts?: CallOptions): CallResult;
  /** ECP stays in the list; on a foreign list with an unknown member the kernel makes a foreign ECP. */
  find(family: Family, list: SimValue, ecpType: string, site: Site, opts?: CallOptions): CallResult & { out: ObjId | null };
  /** Unlinks; the caller owns the ECP afterwards (owner 'caller' even if the list was foreign). */
  remove(family: Family, list: SimValue, ecpType: string, site: Site, opts?: CallOptions): CallResult & { out: ObjId | null };
  getNext(family: Family, list: SimValue, current: SimValue, site: Site, opts?: CallOptions): CallResult & { out: ObjId | null };
  /** Success may yield NULL (no list): outcome 'success-null' forces that, 'success' forces a foreign list. */
  getListFromCreate(family: Family, source: CreateSource, site: Site, opts?: CallOptions): CallResult & { out: ObjId | null };
  /** On success the create owns the list and its ECPs (owner 'create'); on failure the caller keeps it. */
  setListIntoCreate(family: Family, source: CreateSource, list: SimValue, site: Site, opts?: CallOptions): CallResult;
  acknowledge(family: Family, ecp: SimValue, site: Site): CallResult;
  isAcknowledged(family: Family, ecp: SimValue, site: Site): CallResult;
  isFromUserMode(family: Family, ecp: SimValue, site: Site): CallResult;
  prepareToReuse(family: Family, ecp: SimValue, site: Site): CallResult;

  /** IoInitializeDriverCreateContext on the variable `name`; returns its object id. */
  initDriverCreateContext(name: string, site: Site): ObjId;
  /** `dcc.ExtraCreateParameter = list` (list may be null/unknown). Creates the context object if missing (uninitialised). */
  setExtraCreateParameter(name: string, list: SimValue, site: Site): void;
  /** `dcc.DeviceObjectHint = non-NULL`. */
  setDeviceObjectHint(name: string, site: Site): void;
  /**
   * FltCreateFileEx2 / IoCreateFileEx with DriverContext `dccName` (null when NULL was passed).
   * `builtEcps` tells whether the function allocated lists/ECPs (for create-context-list-unset).
   * Empty list → bugCheck 0x10C/0x15 and the path ends. The caller keeps ownership of its list.
   */
  createFile(family: Family, dccName: string | null, builtEcps: boolean, site: Site, opts?: CallOptions): CallResult;

  /** The object left the engine's sight (stored in a field/global, returned, passed to unknown code). */
  escape(id: ObjId): void;
  /** The list was handed to code the engine cannot see: it may have inserted into it. */
  noteUnseenCode(id: ObjId): void;
  /** Every member of the list is known to the path: not foreign, no unseen code since it was allocated. */
  membersKnown(id: ObjId): boolean;
  /** An escaped ECP context is the caller's again (published through an out-parameter, then rejected by an insert). */
  reclaim(id: ObjId): void;
  /** A walked ECP of unknown type turns out (by a GUID test) to be of `ecpType`. */
  learnEcpType(id: ObjId, ecpType: string): void;
  /**
   * The unseen list known as `name` may have changed (an ECP removed, the list freed or handed to
   * code the engine cannot see): forget what was inserted into it (of `ecpType`, or all when '').
   * `name` null forgets it for every unseen list.
   */
  forgetUnseenList(name: string | null, ecpType: string): void;

  /** Objects this path still owes a free for (owner 'caller', not freed): the leak candidates. */
  leaks(): KernelObj[];
  /** Lookaside lists initialised and not deleted. */
  undeletedLookasides(): LookasideObj[];
  snapshot(): KernelSnapshot;
  readonly bugCheck: BugCheck | null;
}

export interface KernelOptions {
  faults?: FaultPlan;
  /** Starting IRQL, 0 by default. */
  irql?: number;
}
