/**
 * Schema of the ECP catalog: the single source of facts about every ECP routine, type, flag, GUID,
 * status code and bug check. Hover, signature help, completion, the engine (argument roles, arity,
 * IRQL, what frees what) and the rule documentation all read it. Prose is the project's own.
 */

export type Family = 'flt' | 'fsrtl' | 'io';

/** What a routine does to ECP objects: the engine dispatches on this to the simulated kernel. */
export type RoutineOp =
  | 'allocateList'
  | 'initializeList' //            FsRtlInitializeExtraCreateParameterList (caller storage)
  | 'freeList'
  | 'allocateEcp'
  | 'initializeEcp' //             FsRtlInitializeExtraCreateParameter (caller storage)
  | 'allocateEcpFromLookaside'
  | 'freeEcp'
  | 'initLookaside'
  | 'deleteLookaside'
  | 'insert'
  | 'find'
  | 'remove'
  | 'getNext'
  | 'getListFromCreate'
  | 'setListIntoCreate'
  | 'clearListFromCreate'
  | 'acknowledge'
  | 'isAcknowledged'
  | 'isFromUserMode'
  | 'prepareToReuse'
  | 'createFile'
  | 'initDriverCreateContext'
  | 'openReparse' //               FltAdd/RemoveOpenReparseEntry, FltCopy/FreeOpenReparseList
  | 'other';

/** The role an argument plays, so the engine knows which argument is the list, the ECP, ... */
export type ParamRole =
  | 'filter'
  | 'instance'
  | 'callback-data'
  | 'irp'
  | 'list-out' //           PECP_LIST * written by the routine
  | 'list' //               PECP_LIST read/updated
  | 'ecp-out' //            PVOID * receiving an ECP context
  | 'ecp' //                PVOID ECP context
  | 'ecp-current' //        Get-next cursor
  | 'ecp-type' //           LPCGUID
  | 'ecp-type-out' //       LPGUID written
  | 'context-size' //       ULONG SizeOfContext
  | 'context-size-out' //   ULONG * written
  | 'list-flags' //         FSRTL_ALLOCATE_ECPLIST_FLAGS
  | 'ecp-flags' //          FSRTL_ALLOCATE_ECP_FLAGS
  | 'lookaside-flags' //    FSRTL_ECP_LOOKASIDE_FLAGS
  | 'cleanup-callback'
  | 'pool-tag'
  | 'lookaside'
  | 'lookaside-size'
  | 'driver-create-context'
  | 'ecp-header' //         PECP_HEADER caller storage
  | 'other';

export type FlagFamilyName = 'FSRTL_ALLOCATE_ECPLIST_FLAGS' | 'FSRTL_ALLOCATE_ECP_FLAGS' | 'FSRTL_ECP_LOOKASIDE_FLAGS';

export interface ParamInfo {
  name: string;
  type: string; //          as in the header, e.g. 'PECP_LIST *'
  sal: string; //           header annotation, '' when the header has none
  direction: 'in' | 'out' | 'inout';
  optional: boolean;
  role: ParamRole;
  flagFamily?: FlagFamilyName; // for *-flags roles
  doc: string; //           one or two sentences, own words
}

export interface ReturnCode {
  status: string; //        NTSTATUS name, or 'TRUE'/'FALSE'
  meaning: string;
  /** The engine forks on this failure (documented or observed and realistic in normal use). */
  fork?: boolean;
  /** This failure stands for every failure status the routine can return (a create fails with whatever the file system says). */
  anyFailure?: boolean;
  /** Out-parameter value on this outcome, when documented. */
  outValue?: 'null' | 'set' | 'undefined';
}

export type Irql = 'PASSIVE_LEVEL' | 'APC_LEVEL' | 'DISPATCH_LEVEL';

export interface DocCorrection {
  /** What an official page says. */
  claim: string;
  /** What the headers and observed behaviour support. */
  truth: string;
  /** Page(s) concerned. */
  where: string;
  /** Optional addition: number of the entry in the facts file's list of documentation errors (§5). */
  ref?: number;
}

export interface RoutineInfo {
  name: string;
  family: Family;
  op: RoutineOp;
  /** Prototype exactly as in the WDK header (SAL included), one parameter per line. */
  prototype: string;
  returnType: 'NTSTATUS' | 'VOID' | 'BOOLEAN' | string;
  params: ParamInfo[];
  irqlMax: Irql | null; //  null = undocumented
  irqlNote?: string;
  minWindows: string; //    e.g. 'Windows Vista'
  header: string; //        e.g. 'fltkernel.h (include FltKernel.h)'
  library: string; //       e.g. 'FltMgr.lib (fltmgr.sys)'
  mustInspectResult: boolean;
  returnCodes: ReturnCode[];
  /** The same operation in the other family, or null with `noCounterpartReason`. */
  counterpart: string | null;
  noCounterpartReason?: string;
  /** Routines that release what this one allocates (or that this one releases). */
  releasedBy?: string[];
  summary: string; //       one paragraph, own words
  ownership: string; //     who owns and frees what after the call
  pitfalls: string[];
  docErrors: DocCorrection[];
  /** https URL of the official reference page, or null for undocumented routines. */
  docUrl: string | null;
  documented: boolean;
}

export interface FlagInfo {
  name: string;
  value: number;
  family: FlagFamilyName;
  meaning: string;
  /** Optional addition: where official pages get this constant wrong. */
  docErrors?: DocCorrection[];
}

export interface FlagFamilyInfo {
  name: FlagFamilyName;
  doc: string;
  constants: string[]; //   names of FlagInfo in this family
  acceptedBy: string[]; //  routine names taking a parameter of this family
}

export interface GuidInfo {
  name: string;
  /** Registry form without braces, lower case; null when not published. */
  value: string | null;
  structure: string | null; // context structure name
  header: string;
  minWindows: string;
  /** 'informational' ECPs must not be attached by filters; 'query' ECPs are attached by requesters. */
  usage: 'informational' | 'query' | 'internal' | 'user-defined-example';
  doc: string;
  rules: string[];
  docUrl: string | null;
  /** Optional addition: why `value` is null (required by the catalog tests when it is). */
  valueNote?: string;
  /** Optional addition: where official pages or headers get this ECP wrong. */
  docErrors?: DocCorrection[];
}

export interface FieldInfo {
  name: string;
  type: string;
  doc: string;
}

export interface TypeInfo {
  name: string;
  kind: 'opaque' | 'struct' | 'callback' | 'flags-typedef' | 'macro';
  /** Declaration as in the header. */
  declaration: string;
  aliases: string[]; //     e.g. ['PECP_LIST']
  fields: FieldInfo[];
  header: string;
  minWindows: string;
  doc: string;
  docUrl: string | null;
  /** Optional addition: where official pages or headers get this type wrong. */
  docErrors?: DocCorrection[];
}

export interface StatusInfo {
  name: string;
  value: number;
  meaning: string;
}

export interface BugCheckInfo {
  code: number;
  name: string;
  parameters: string[];
  subcodes: { code: number; meaning: string }[];
  docUrl: string;
  /** Optional addition: one paragraph on what the bug check means for ECP code. */
  summary?: string;
  /** Optional addition: how this bug check relates to ECP misuse (set on the related, non-ECP bug checks). */
  relation?: string;
}

export interface Catalog {
  routines: Map<string, RoutineInfo>;
  flags: Map<string, FlagInfo>;
  flagFamilies: Map<FlagFamilyName, FlagFamilyInfo>;
  guids: Map<string, GuidInfo>;
  types: Map<string, TypeInfo>; // keyed by every name and alias
  statuses: Map<string, StatusInfo>;
  bugChecks: Map<string, BugCheckInfo>; // keyed by name and by hex code ('0x10C')
}
