/**
 * Where the official documentation (or the WDK header) is wrong, incomplete or inconsistent about
 * ECPs — one record per entry of the facts file's §5, attached to every routine, flag, GUID and
 * type it concerns. `ref` is the entry number. Wording is the project's own.
 */
import type { DocCorrection } from './types';

const c = (ref: number, where: string, claim: string, truth: string): DocCorrection => ({ ref, where, claim, truth });

export const C1 = c(
  1,
  'nf-fltkernel-fltallocateextracreateparameter, nf-ntifs-fsrtlallocateextracreateparameter',
  'The Flags parameter is documented with FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA, the flag of the list allocators.',
  'ECP allocators take FSRTL_ALLOCATE_ECP_FLAGS, so the constant to use is FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA. Both are 0x1: the wrong name compiles and behaves the same, but it belongs to the other flag family.',
);

export const C2 = c(
  2,
  'nf-ntifs-fsrtlallocateextracreateparameterlist',
  'A list from this routine is released with FltFreeExtraCreateParameter.',
  'That routine frees one ECP and belongs to the filter-manager family. Free the list with FsRtlFreeExtraCreateParameterList (header pairing, implementation and the IO_DRIVER_CREATE_CONTEXT page agree).',
);

export const C3 = c(
  3,
  'nf-ntifs-fsrtlallocateextracreateparameter',
  'The return-value section talks about FltAllocateExtraCreateParameter.',
  'Copied from the Flt page; the statuses listed are those of FsRtlAllocateExtraCreateParameter itself.',
);

export const C4 = c(
  4,
  'nf-ntifs-fsrtlinsertextracreateparameter',
  'The requirements say "FltInsertExtraCreateParameter is available…" and the remarks assume the ECP came from FltAllocateExtraCreateParameter.',
  'Wording copied from the Flt page. The FsRtl routine behaves identically and takes ECPs from FsRtlAllocateExtraCreateParameter(FromLookasideList).',
);

/** §5 #5: an FsRtl page sends the reader to a Flt routine for the paired step. */
export function c5(page: string, fltNamed: string, fsrtlMeant: string): DocCorrection {
  return c(
    5,
    page,
    `The page tells the reader to use ${fltNamed} for the matching step.`,
    `Use ${fsrtlMeant}, the routine of the same family. Mixing families appears to work at run time (the FsRtl free path hands filter-manager ECPs back to FltMgr) but that is unconfirmed, and the IO_DRIVER_CREATE_CONTEXT page asks drivers to stay within one family.`,
  );
}

export const C5_CONTEXT = c(
  5,
  'ns-ntddk-_io_driver_create_context',
  'Minifilters must use the Flt* ECP routines and other drivers the FsRtl* routines.',
  'Several FsRtl pages point at Flt routines and the "Attaching ECPs" page allows either family, so the rule is not applied consistently. Keep every list and ECP within the family that created it; ECP Lens reports mixing (ecp-api-family-mix).',
);

export const C6 = c(
  6,
  'nf-ntifs-fsrtlsetecplistintoirp',
  'Fails with STATUS_INVALID_PARAMETER_2 when the IRP is not a create and STATUS_INVALID_PARAMETER_3 when a list is already attached.',
  'Those numbers were copied from the Flt page, where Filter is parameter 1. The routine forwards to IoSetIrpExtraCreateParameter, which in the builds examined returns STATUS_INVALID_PARAMETER_1 (0xC00000EF) and STATUS_INVALID_PARAMETER_2 (0xC00000F0) for those two cases. Test with NT_SUCCESS, not for one code.',
);

export const C7 = c(
  7,
  'nf-fltkernel-fltgetnextextracreateparameter, nf-ntifs-fsrtlgetnextextracreateparameter',
  'A NULL EcpList makes the routine return STATUS_INVALID_PARAMETER.',
  'The FsRtl implementation (three builds examined) does not check for NULL and would fault; the Flt wrapper is unverified (ReactOS does check). Never pass a list that may be NULL.',
);

export const C8 = c(
  8,
  'nf-ntifs-fsrtlgetnextextracreateparameter (Syntax block)',
  'The syntax block marks NextEcpContext as [out], i.e. required.',
  'The header says _Outptr_opt_, the text says optional and the implementation checks for NULL: it is optional.',
);

export const C9 = c(
  9,
  'nf-fltkernel-fltdeleteextracreateparameterlookasidelist',
  'Filter is shown as [in] (required).',
  'The header declares it _In_opt_ since WDK 10.0.18362 (it was _In_ through 10.0.17763).',
);

export const C10 = c(
  10,
  'nf-ntifs-fsrtlinitextracreateparameterlookasidelist, nf-ntifs-fsrtldeleteextracreateparameterlookasidelist, ntifs.h',
  'The page says IRQL <= APC_LEVEL, while the header annotation tests `Flags|FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL` and so always allows DISPATCH_LEVEL.',
  'The header uses | where & was meant, so its first condition is always true and static analysis never objects. The intent is probably DISPATCH_LEVEL for non-paged lists (unconfirmed). Stay at or below APC_LEVEL as the page says.',
);

export const C11 = c(
  11,
  'nc-ntifs-pfsrtl_extra_create_parameter_cleanup_callback',
  'The metadata gives IRQL PASSIVE_LEVEL while the remarks say the callback runs regardless of IRQL; the list of routines that take a callback leaves out FsRtlAllocateExtraCreateParameterFromLookasideList and FsRtlInitializeExtraCreateParameter.',
  'The callback runs synchronously on whatever thread frees the ECP (explicit free, list free, or the I/O manager after a create), and those frees happen at <= APC_LEVEL: write it for <= APC_LEVEL and never block. Both omitted routines take a cleanup callback too.',
);

export const C12 = c(
  12,
  'nf-ntifs-fsrtlinitializeextracreateparameter',
  'The syntax shows Ecp as [in]; TotalSize is described as the size of the ECP context structure.',
  'The header marks Ecp _Out_: the routine writes the ECP header into that storage. TotalSize covers header plus context (ReactOS semantics; an in-box caller passes 0x48, the bare x64 header, for an empty context).',
);

export const C13 = c(
  13,
  'nf-fltkernel-fltinsertextracreateparameter, nf-ntifs-fsrtlinsertextracreateparameter',
  'Inserting a second ECP with the same GUID returns STATUS_INVALID_PARAMETER.',
  'Accurate (a kernel test and the implementation agree), but incomplete: the same code also means a generic bad argument, so the status alone cannot tell a duplicate from misuse, and the page does not stress that the rejected ECP stays with the caller.',
);

export const C14 = c(
  14,
  'nf-fltkernel-fltallocateextracreateparameter(fromlookasidelist), nf-ntifs-fsrtlallocateextracreateparameter(fromlookasidelist)',
  'STATUS_INSUFFICIENT_RESOURCES is the only failure listed.',
  'The implementation also returns STATUS_INTEGER_OVERFLOW (0xC0000095) when SizeOfContext plus the header wraps (>= 0xFFFFFFB8 on x64); ReactOS reports STATUS_INSUFFICIENT_RESOURCES there. Treat any failure as "no ECP".',
);

export const C15 = c(
  15,
  'ifs/system-defined-ecps',
  'The table pairs ECP_TYPE_CLFS_CREATE_CONTAINER with CREATE_REDIRECTION_ECP_CONTEXT and gives GUID_ECP_CREATE_REDIRECTION no structure.',
  'CREATE_REDIRECTION_ECP_CONTEXT belongs to GUID_ECP_CREATE_REDIRECTION; the CLFS container ECP has no public structure.',
);

export const C16 = c(
  16,
  'ifs/system-defined-ecps vs. container anti-virus guidance, ECP_OPEN_PARAMETERS, OPLOCK_KEY and NETWORK_OPEN pages, avscan sample',
  'Drivers must never attach system-defined ECPs.',
  'Other official pages and samples tell requesters to attach some of them. The ban is meant for informational ECPs (prefetch, NFS, SRV, keys and network data coming from above); query-type ECPs are attached by the requester to its own create and read back only when acknowledged.',
);

export const C17_ATOMIC = c(
  17,
  'ns-ntifs-_atomic_create_ecp_context',
  'Minimum version Windows 10, version 1607.',
  'The header defines it from NTDDI_WIN10_TH2 (version 1511); whether 1511 honours it at run time is unconfirmed.',
);

export const C17_REPARSE_TYPES = c(
  17,
  'ns-ntifs-_open_reparse_list, ns-ntifs-_open_reparse_list_entry',
  'Minimum version Windows 10, version 1607.',
  'The header declares them from NTDDI_WINBLUE (or with INCLUDE_OPEN_REPARSE_SUPPORT).',
);

export const C17_REPARSE_ROUTINES = c(
  17,
  'nf-fltkernel-fltaddopenreparseentry, -fltremoveopenreparseentry, -fltcopyopenreparselist, -fltfreeopenreparselist',
  'Minimum version Windows 10, version 1607.',
  'The header declares them under FLT_MGR_WINTHRESHOLD (Windows 10, version 1507).',
);

export const C18 = c(
  18,
  'ns-ntifs-_network_open_ecp_context',
  'The table for out.Flags repeats the in flags, and the in-flag list omits NETWORK_OPEN_ECP_IN_FLAG_REQ_MUTUAL_AUTH (0x8) and NETWORK_OPEN_ECP_IN_FLAG_FORCE_MAX_EOF_HACK (0x40000000).',
  'The only out flag is NETWORK_OPEN_ECP_OUT_FLAG_RET_MUTUAL_AUTH (0x8); the in flags include REQ_MUTUAL_AUTH 0x8 and the internal FORCE_MAX_EOF_HACK 0x40000000.',
);

export const C19 = c(
  19,
  'nf-ntddk-iocreatefilespecifydeviceobjecthint',
  'The remarks speak of this routine\'s "DriverContext parameter" moving to DeviceObjectHint.',
  'The parameter is DeviceObject. The routine has no DriverContext at all, which is why it cannot carry ECPs; IoCreateFileEx replaces it.',
);

export const C20 = c(
  20,
  'nf-ntddk-ioinitializedrivercreatecontext',
  'Starting in Windows 10, version 1607, the routine sets SiloContext to IO_USE_AMBIENT_SILO.',
  'It is a FORCEINLINE in ntddk.h: SiloContext is set (and the structure has that field) only when the driver is compiled with NTDDI_VERSION >= NTDDI_WIN10_RS1, whatever OS it later runs on.',
);

export const C21 = c(
  21,
  'nf-ntddk-iocreatefileex, nf-fltkernel-fltcreatefileex2, ns-ntddk-_io_driver_create_context',
  'ExtraCreateParameter is described without saying what an empty list does.',
  'A list with no ECP in it makes the create bug-check: 0x10C FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION, parameter 1 = 0x15. Set ExtraCreateParameter only after at least one insert succeeded.',
);

export const C22 = c(
  22,
  'nf-fltkernel-fltcreatefileex2 vs. nf-fltkernel-fltallocateextracreateparameterlist / -fltallocateextracreateparameter',
  'One page says lower filters should not add or delete ECPs on the caller\'s list; the others say filters may attach ECPs to an existing list during IRP_MJ_CREATE.',
  'Both hold: ECPs added by anyone during the create are freed by the I/O manager when it ends, so the caller gets back exactly its own ECPs. What a filter must never do is remove or free the caller\'s ECPs.',
);

export const C23 = c(
  23,
  'nf-ntifs-fsrtlgetecplistfromirp',
  'The page does not say the list can be NULL on success, and its return text speaks of the "final completion status of the operation".',
  'Success with *EcpList == NULL is normal: the create carries no ECPs (header: _Outptr_result_maybenull_). The status is the routine\'s own; failure means the IRP is not a create.',
);

export const C24 = c(
  24,
  'nf-fltkernel-fltallocateextracreateparameter (source as of 2024-03)',
  'The "See also" entry labelled FltSetEcpListIntoCallbackData links to the Remove page.',
  'Fixed in the later rendering; the intended target is FltSetEcpListIntoCallbackData.',
);

export const C25 = c(
  25,
  'nf-fltkernel-fltfindextracreateparameter, nf-ntifs-fsrtlfindextracreateparameter',
  'The routine name is misspelled "FindExtraCreateParamter".',
  'The name is …FindExtraCreateParameter; a copied misspelling will not link.',
);

export const C26 = c(
  26,
  'FltAcknowledgeEcp, FltAllocateExtraCreateParameter(List), FltDeleteExtraCreateParameterLookasideList, FltFreeExtraCreateParameterList pages',
  'The API location is given as FltMgr.dll.',
  'The routine lives in fltmgr.sys; drivers link against FltMgr.lib.',
);

export const C27 = c(
  27,
  'ns-ntifs-_nfs_open_ecp_context (Syntax block)',
  'The syntax shows PPNFS_OPEN_ECP_CONTEXT as a plain pointer typedef.',
  'The header declares `**PPNFS_OPEN_ECP_CONTEXT`: a pointer to a pointer.',
);

export const C28 = c(
  28,
  'ns-ntifs-_oplock_key_ecp_context, ifs/system-defined-ecps',
  'The successor structure is called "DUAL_OP_LOCK_KEY_ECP_CONTEXT" or "DUAL OPLOCK_KEY_ECP_CONTEXT".',
  'Its name is DUAL_OPLOCK_KEY_ECP_CONTEXT (GUID_ECP_DUAL_OPLOCK_KEY).',
);

export const C29 = c(
  29,
  'ns-ntifs-_query_on_create_ecp_context',
  'The current page lists 13 members.',
  'WDK 10.0.22621 declares 7; the layout is internal and changes between releases. Never build or size it yourself: use FltRequestFileInfoOnCreateCompletion and FltRetrieveFileInfoOnCreateCompletion(Ex).',
);

export const C30_APP_INSTANCE_VERSION = c(
  30,
  'ntifs.h',
  'The comment above GUID_ECP_NETWORK_APP_INSTANCE_VERSION repeats the APP_INSTANCE value {6AA6BC45-…}.',
  'The value actually defined is {b7d082b9-563b-4f07-a07b-524a8116a010}.',
);

export const C30_CSV_V1 = c(
  30,
  'ntifs.h',
  '`#define CSV_DOWN_LEVEL_OPEN_ECP_CONTEXT_V1 1;` carries a trailing semicolon.',
  'Using the macro inside an expression or condition does not compile; compare against the value in parentheses instead.',
);

export const C30_NO_NTKERNELAPI = c(
  30,
  'ntifs.h',
  'The declaration lacks NTKERNELAPI, unlike its neighbours.',
  'It is a kernel export all the same; the missing import decoration only changes code generation (the call goes through an import thunk).',
);

export const C30_UNANNOTATED_SIZE = c(
  30,
  'fltKernel.h / ntifs.h',
  'SizeOfContext carries no SAL annotation.',
  'It is an ordinary input, as in the sibling allocators; static analysis simply does not check it.',
);

export const C30_NO_MUST_INSPECT = c(
  30,
  'fltKernel.h',
  'Unlike its FsRtl twin, the Flt routine is not marked _Must_inspect_result_.',
  'Its result matters just as much: a failed insert leaves the ECP with the caller, a failed find or remove leaves the out pointer NULL.',
);

export const C31 = c(
  31,
  'ns-ntifs-_oplock_key_ecp_context',
  'The structure is obsolete starting with Windows 8.',
  'The header still defines it from Windows 7 with no upper bound, and IoGetOplockKeyContext still returns it; on Windows 8 and later prefer DUAL_OPLOCK_KEY_ECP_CONTEXT.',
);
