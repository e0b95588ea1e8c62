/**
 * FsRtl ECP routines, part 1: list and ECP lifetime (pool, caller storage, lookaside).
 * Prototypes as in ntifs.h (WDK 10.0.22621). Part 2 is in routines-fsrtl-lookup.ts.
 */
import type { RoutineInfo } from './types';
import { param, ddiUrl, NTIFS_HEADER, NTOS_LIB, VISTA, WIN7, OK, okSet, noMemory, INTEGER_OVERFLOW } from './build';
import {
  FSRTL,
  allocListText,
  freeListText,
  allocEcpText,
  allocFromLookasideText,
  freeEcpText,
  initLookasideText,
  deleteLookasideText,
} from './shared';
import { C1, C2, C3, C10, C12, C14, C30_NO_NTKERNELAPI, C30_UNANNOTATED_SIZE, c5 } from './corrections';

/** Fields every FsRtl routine shares. */
export const fsrtlBase = {
  family: 'fsrtl' as const,
  irqlMax: 'APC_LEVEL' as const,
  minWindows: VISTA,
  header: NTIFS_HEADER,
  library: NTOS_LIB,
  documented: true,
};

export const fsrtlUrl = (name: string) => ddiUrl('ntifs', 'nf', name);
const cleanup = param(
  'CleanupCallback',
  'PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK',
  '_In_opt_',
  'cleanup-callback',
  'Called just before the ECP memory is released; may be NULL.',
);
const LOOKASIDE_IRQL_NOTE =
  'The header\'s _When_ annotation tests Flags|NONPAGED (always true) and so permits DISPATCH_LEVEL; follow the page: <= APC_LEVEL.';

export const fsrtlLifetimeRoutines: RoutineInfo[] = [
  {
    ...fsrtlBase,
    name: 'FsRtlAllocateExtraCreateParameterList',
    op: 'allocateList',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlAllocateExtraCreateParameterList(
    _In_ FSRTL_ALLOCATE_ECPLIST_FLAGS Flags,
    _Outptr_ PECP_LIST *EcpList);`,
    returnType: 'NTSTATUS',
    params: [
      param('Flags', 'FSRTL_ALLOCATE_ECPLIST_FLAGS', '_In_', 'list-flags', '0 or FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA.', 'FSRTL_ALLOCATE_ECPLIST_FLAGS'),
      param('EcpList', 'PECP_LIST *', '_Outptr_', 'list-out', 'Receives the new, empty list.'),
    ],
    mustInspectResult: true,
    returnCodes: [okSet('*EcpList points to an empty list.'), noMemory('EcpList')],
    counterpart: 'FltAllocateExtraCreateParameterList',
    releasedBy: ['FsRtlFreeExtraCreateParameterList'],
    ...allocListText(FSRTL),
    docErrors: [C2],
    docUrl: fsrtlUrl('FsRtlAllocateExtraCreateParameterList'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlFreeExtraCreateParameterList',
    op: 'freeList',
    prototype: `_IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
VOID FsRtlFreeExtraCreateParameterList(
    _In_ PECP_LIST EcpList);`,
    returnType: 'VOID',
    params: [param('EcpList', 'PECP_LIST', '_In_', 'list', 'List to free with every ECP still in it.')],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FltFreeExtraCreateParameterList',
    ...freeListText(FSRTL),
    docErrors: [],
    docUrl: fsrtlUrl('FsRtlFreeExtraCreateParameterList'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlInitializeExtraCreateParameterList',
    op: 'initializeList',
    prototype: `NTKERNELAPI
NTSTATUS FsRtlInitializeExtraCreateParameterList(
    _Inout_ PECP_LIST EcpList);`,
    returnType: 'NTSTATUS',
    params: [param('EcpList', 'PECP_LIST', '_Inout_', 'list', 'Caller storage to initialise as an empty list.')],
    irqlNote: 'The page says <= APC_LEVEL; the header carries no IRQL annotation.',
    minWindows: WIN7,
    mustInspectResult: false,
    returnCodes: [{ ...OK, meaning: 'The storage is an empty list. (The page allows an error status without naming one.)' }],
    counterpart: null,
    noCounterpartReason: 'The filter manager has no caller-storage list initialiser; minifilters use FltAllocateExtraCreateParameterList.',
    summary:
      'Turns caller-provided storage (e.g. on the stack) into an empty ECP list, avoiding an allocation. Windows 7 and later.',
    ownership:
      'The storage stays the caller\'s. Do not release it with FsRtlFreeExtraCreateParameterList (that returns memory to pool or a lookaside); free or remove each ECP yourself before the storage goes away.',
    pitfalls: [
      'ECP_LIST is opaque, so third-party code cannot size the storage portably; whether this is supported outside Windows is unconfirmed.',
      'Not available on Windows Vista.',
    ],
    docErrors: [],
    docUrl: fsrtlUrl('FsRtlInitializeExtraCreateParameterList'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlAllocateExtraCreateParameter',
    op: 'allocateEcp',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlAllocateExtraCreateParameter(
    _In_ LPCGUID EcpType,
    _In_ ULONG SizeOfContext,
    _In_ FSRTL_ALLOCATE_ECP_FLAGS Flags,
    _In_opt_ PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback,
    _In_ ULONG PoolTag,
    _Outptr_result_bytebuffer_(SizeOfContext) PVOID *EcpContext);`,
    returnType: 'NTSTATUS',
    params: [
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID naming the ECP type; copied into the hidden header.'),
      param('SizeOfContext', 'ULONG', '_In_', 'context-size', 'Bytes of context the caller needs (header added internally).'),
      param('Flags', 'FSRTL_ALLOCATE_ECP_FLAGS', '_In_', 'ecp-flags', 'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA and/or FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL, or 0.', 'FSRTL_ALLOCATE_ECP_FLAGS'),
      cleanup,
      param('PoolTag', 'ULONG', '_In_', 'pool-tag', 'Pool tag of the allocation; use a distinctive tag of your own.'),
      param('EcpContext', 'PVOID *', '_Outptr_result_bytebuffer_(SizeOfContext)', 'ecp-out', 'Receives the context pointer (not zeroed).'),
    ],
    mustInspectResult: true,
    returnCodes: [okSet('*EcpContext points to SizeOfContext uninitialised bytes.'), noMemory('EcpContext'), INTEGER_OVERFLOW],
    counterpart: 'FltAllocateExtraCreateParameter',
    releasedBy: ['FsRtlFreeExtraCreateParameter', 'FsRtlFreeExtraCreateParameterList'],
    ...allocEcpText(FSRTL),
    docErrors: [
      C1,
      C3,
      C14,
      c5('nf-ntifs-fsrtlallocateextracreateparameter', 'FltInsertExtraCreateParameter', 'FsRtlInsertExtraCreateParameter'),
    ],
    docUrl: fsrtlUrl('FsRtlAllocateExtraCreateParameter'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlFreeExtraCreateParameter',
    op: 'freeEcp',
    prototype: `_IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
VOID FsRtlFreeExtraCreateParameter(
    _In_ PVOID EcpContext);`,
    returnType: 'VOID',
    params: [param('EcpContext', 'PVOID', '_In_', 'ecp', 'An ECP that is in no list.')],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FltFreeExtraCreateParameter',
    ...freeEcpText(FSRTL),
    docErrors: [c5('nf-ntifs-fsrtlfreeextracreateparameter', 'FltRemoveExtraCreateParameter', 'FsRtlRemoveExtraCreateParameter')],
    docUrl: fsrtlUrl('FsRtlFreeExtraCreateParameter'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlInitializeExtraCreateParameter',
    op: 'initializeEcp',
    prototype: `NTKERNELAPI
VOID FsRtlInitializeExtraCreateParameter(
    _Out_ PECP_HEADER Ecp,
    _In_ ULONG EcpFlags,
    _In_opt_ PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback,
    _In_ ULONG TotalSize,
    _In_ LPCGUID EcpType,
    _In_opt_ PVOID ListAllocatedFrom);`,
    returnType: 'VOID',
    params: [
      param('Ecp', 'PECP_HEADER', '_Out_', 'ecp-header', 'Caller storage for header plus context; the header is written here.'),
      param('EcpFlags', 'ULONG', '_In_', 'other', 'No flags are defined: pass 0 (not an FSRTL_ALLOCATE_ECP_FLAGS value).'),
      cleanup,
      param('TotalSize', 'ULONG', '_In_', 'other', 'Size of header plus context in bytes (not the context alone).'),
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID naming the ECP type.'),
      param('ListAllocatedFrom', 'PVOID', '_In_opt_', 'lookaside', 'Lookaside the storage came from, or NULL.'),
    ],
    irqlNote: 'The page says <= APC_LEVEL; the header carries no IRQL annotation.',
    minWindows: WIN7,
    mustInspectResult: false,
    returnCodes: [],
    counterpart: null,
    noCounterpartReason: 'The filter manager has no caller-storage ECP initialiser; minifilters use FltAllocateExtraCreateParameter.',
    summary:
      'Builds an ECP in caller-provided storage: writes the hidden header, after which the context starts at Ecp + sizeof(ECP_HEADER). Windows 7 and later.',
    ownership: 'The storage stays the caller\'s; it must outlive every list the ECP is in. Do not pass it to FsRtlFreeExtraCreateParameter unless it came from ListAllocatedFrom.',
    pitfalls: [
      'ECP_HEADER is opaque (72 bytes on x64 in the builds examined): third-party use is unconfirmed.',
      'TotalSize includes the header.',
    ],
    docErrors: [C12],
    docUrl: fsrtlUrl('FsRtlInitializeExtraCreateParameter'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlInitExtraCreateParameterLookasideList',
    op: 'initLookaside',
    prototype: `_When_(Flags|FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL, _IRQL_requires_max_(DISPATCH_LEVEL))
_When_(!(Flags|FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL), _IRQL_requires_max_(APC_LEVEL))
NTKERNELAPI
VOID FsRtlInitExtraCreateParameterLookasideList(
    _Inout_ PVOID Lookaside,
    _In_ FSRTL_ECP_LOOKASIDE_FLAGS Flags,
    _In_ SIZE_T Size,
    _In_ ULONG Tag);`,
    returnType: 'VOID',
    params: [
      param('Lookaside', 'PVOID', '_Inout_', 'lookaside', 'Caller storage for a PAGED_LOOKASIDE_LIST or NPAGED_LOOKASIDE_LIST head, itself in non-paged memory.'),
      param('Flags', 'FSRTL_ECP_LOOKASIDE_FLAGS', '_In_', 'lookaside-flags', '0 (paged entries) or FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL.', 'FSRTL_ECP_LOOKASIDE_FLAGS'),
      param('Size', 'SIZE_T', '_In_', 'lookaside-size', 'Context bytes per entry (not a count).'),
      param('Tag', 'ULONG', '_In_', 'pool-tag', 'Pool tag of the entries.'),
    ],
    irqlNote: LOOKASIDE_IRQL_NOTE,
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FltInitExtraCreateParameterLookasideList',
    releasedBy: ['FsRtlDeleteExtraCreateParameterLookasideList'],
    ...initLookasideText(FSRTL),
    docErrors: [C10],
    docUrl: fsrtlUrl('FsRtlInitExtraCreateParameterLookasideList'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlDeleteExtraCreateParameterLookasideList',
    op: 'deleteLookaside',
    prototype: `_When_(Flags|FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL, _IRQL_requires_max_(DISPATCH_LEVEL))
_When_(!(Flags|FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL), _IRQL_requires_max_(APC_LEVEL))
VOID FsRtlDeleteExtraCreateParameterLookasideList(
    _Inout_ PVOID Lookaside,
    _In_ FSRTL_ECP_LOOKASIDE_FLAGS Flags);`,
    returnType: 'VOID',
    params: [
      param('Lookaside', 'PVOID', '_Inout_', 'lookaside', 'The lookaside initialised with FsRtlInitExtraCreateParameterLookasideList.'),
      param('Flags', 'FSRTL_ECP_LOOKASIDE_FLAGS', '_In_', 'lookaside-flags', 'Exactly the Flags used at initialisation.', 'FSRTL_ECP_LOOKASIDE_FLAGS'),
    ],
    irqlNote: LOOKASIDE_IRQL_NOTE,
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FltDeleteExtraCreateParameterLookasideList',
    ...deleteLookasideText(FSRTL),
    docErrors: [C10, C30_NO_NTKERNELAPI],
    docUrl: fsrtlUrl('FsRtlDeleteExtraCreateParameterLookasideList'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlAllocateExtraCreateParameterFromLookasideList',
    op: 'allocateEcpFromLookaside',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlAllocateExtraCreateParameterFromLookasideList(
    _In_ LPCGUID EcpType,
         ULONG SizeOfContext,
    _In_ FSRTL_ALLOCATE_ECP_FLAGS Flags,
    _In_opt_ PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback,
    _Inout_ PVOID LookasideList,
    _Outptr_ PVOID *EcpContext);`,
    returnType: 'NTSTATUS',
    params: [
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID naming the ECP type.'),
      param('SizeOfContext', 'ULONG', '', 'context-size', 'Bytes of context; above the entry size the ECP comes from pool. Not annotated in the header.'),
      param('Flags', 'FSRTL_ALLOCATE_ECP_FLAGS', '_In_', 'ecp-flags', 'FSRTL_ALLOCATE_ECP_FLAG_* bits; NONPAGED should match the lookaside kind.', 'FSRTL_ALLOCATE_ECP_FLAGS'),
      cleanup,
      param('LookasideList', 'PVOID', '_Inout_', 'lookaside', 'An initialised ECP lookaside list.'),
      param('EcpContext', 'PVOID *', '_Outptr_', 'ecp-out', 'Receives the context pointer (not zeroed).'),
    ],
    mustInspectResult: true,
    returnCodes: [okSet('*EcpContext points to the new context.'), noMemory('EcpContext'), INTEGER_OVERFLOW],
    counterpart: 'FltAllocateExtraCreateParameterFromLookasideList',
    releasedBy: ['FsRtlFreeExtraCreateParameter', 'FsRtlFreeExtraCreateParameterList'],
    ...allocFromLookasideText(FSRTL),
    docErrors: [C14, C30_UNANNOTATED_SIZE],
    docUrl: fsrtlUrl('FsRtlAllocateExtraCreateParameterFromLookasideList'),
  },
];
