/**
 * Filter-manager ECP routines, part 1: list and ECP lifetime and lookaside lists.
 * Prototypes as in fltKernel.h (WDK 10.0.22621). Part 2 (membership, create lists, acknowledgement)
 * is in routines-flt-lookup.ts; FltCreateFileEx2 and the open-reparse helpers in routines-flt-create.ts.
 */
import type { RoutineInfo, ParamInfo } from './types';
import { param, ddiUrl, FLT_HEADER, FLT_LIB, VISTA, okSet, noMemory, INTEGER_OVERFLOW } from './build';
import { FLT, allocListText, freeListText, allocEcpText, allocFromLookasideText, freeEcpText, initLookasideText, deleteLookasideText } from './shared';
import { C1, C9, C14, C22, C24, C26, C30_UNANNOTATED_SIZE } from './corrections';

export const filterParam = (sal = '_In_'): ParamInfo =>
  param('Filter', 'PFLT_FILTER', sal, 'filter', 'Opaque filter pointer returned by FltRegisterFilter.');

/** Fields every Flt routine shares. */
export const fltBase = {
  family: 'flt' as const,
  irqlMax: 'APC_LEVEL' as const,
  minWindows: VISTA,
  header: FLT_HEADER,
  library: FLT_LIB,
  documented: true,
};

const url = (name: string) => ddiUrl('fltkernel', 'nf', name);

export const fltLifetimeRoutines: RoutineInfo[] = [
  {
    ...fltBase,
    name: 'FltAllocateExtraCreateParameterList',
    op: 'allocateList',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltAllocateExtraCreateParameterList(
    _In_ PFLT_FILTER Filter,
    _In_ FSRTL_ALLOCATE_ECPLIST_FLAGS Flags,
    _Outptr_ PECP_LIST *EcpList);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('Flags', 'FSRTL_ALLOCATE_ECPLIST_FLAGS', '_In_', 'list-flags', '0 or FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA.', 'FSRTL_ALLOCATE_ECPLIST_FLAGS'),
      param('EcpList', 'PECP_LIST *', '_Outptr_', 'list-out', 'Receives the new, empty list.'),
    ],
    mustInspectResult: true,
    returnCodes: [okSet('*EcpList points to an empty list.'), noMemory('EcpList')],
    counterpart: 'FsRtlAllocateExtraCreateParameterList',
    releasedBy: ['FltFreeExtraCreateParameterList'],
    ...allocListText(FLT),
    docErrors: [C22, C26],
    docUrl: url('FltAllocateExtraCreateParameterList'),
  },
  {
    ...fltBase,
    name: 'FltFreeExtraCreateParameterList',
    op: 'freeList',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltFreeExtraCreateParameterList(
    _In_ PFLT_FILTER Filter,
    _In_ PECP_LIST EcpList);`,
    returnType: 'VOID',
    params: [filterParam(), param('EcpList', 'PECP_LIST', '_In_', 'list', 'List to free with every ECP still in it.')],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FsRtlFreeExtraCreateParameterList',
    ...freeListText(FLT),
    docErrors: [C26],
    docUrl: url('FltFreeExtraCreateParameterList'),
  },
  {
    ...fltBase,
    name: 'FltAllocateExtraCreateParameter',
    op: 'allocateEcp',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltAllocateExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ LPCGUID EcpType,
         ULONG SizeOfContext,
    _In_ FSRTL_ALLOCATE_ECP_FLAGS Flags,
    _In_opt_ PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback,
    _In_ ULONG PoolTag,
    _Outptr_result_buffer_(SizeOfContext) PVOID *EcpContext);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID naming the ECP type; copied into the hidden header.'),
      param('SizeOfContext', 'ULONG', '', 'context-size', 'Bytes of context the caller needs (the header is added internally). Not annotated in the header.'),
      param('Flags', 'FSRTL_ALLOCATE_ECP_FLAGS', '_In_', 'ecp-flags', 'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA and/or FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL, or 0.', 'FSRTL_ALLOCATE_ECP_FLAGS'),
      param('CleanupCallback', 'PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK', '_In_opt_', 'cleanup-callback', 'Called just before the ECP memory is freed; may be NULL.'),
      param('PoolTag', 'ULONG', '_In_', 'pool-tag', 'Pool tag of the allocation; use a distinctive tag of your own.'),
      param('EcpContext', 'PVOID *', '_Outptr_result_buffer_(SizeOfContext)', 'ecp-out', 'Receives the context pointer (not zeroed).'),
    ],
    mustInspectResult: true,
    returnCodes: [okSet('*EcpContext points to SizeOfContext uninitialised bytes.'), noMemory('EcpContext'), INTEGER_OVERFLOW],
    counterpart: 'FsRtlAllocateExtraCreateParameter',
    releasedBy: ['FltFreeExtraCreateParameter', 'FltFreeExtraCreateParameterList'],
    ...allocEcpText(FLT),
    docErrors: [C1, C14, C22, C24, C26, C30_UNANNOTATED_SIZE],
    docUrl: url('FltAllocateExtraCreateParameter'),
  },
  {
    ...fltBase,
    name: 'FltInitExtraCreateParameterLookasideList',
    op: 'initLookaside',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltInitExtraCreateParameterLookasideList(
    _In_ PFLT_FILTER Filter,
    _Inout_ PVOID Lookaside,
    _In_ FSRTL_ECP_LOOKASIDE_FLAGS Flags,
    _In_ SIZE_T Size,
    _In_ ULONG Tag);`,
    returnType: 'VOID',
    params: [
      filterParam(),
      param('Lookaside', 'PVOID', '_Inout_', 'lookaside', 'Caller storage for a PAGED_LOOKASIDE_LIST or NPAGED_LOOKASIDE_LIST head, itself in non-paged memory.'),
      param('Flags', 'FSRTL_ECP_LOOKASIDE_FLAGS', '_In_', 'lookaside-flags', '0 (paged entries) or FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL.', 'FSRTL_ECP_LOOKASIDE_FLAGS'),
      param('Size', 'SIZE_T', '_In_', 'lookaside-size', 'Context bytes per entry (not a count).'),
      param('Tag', 'ULONG', '_In_', 'pool-tag', 'Pool tag of the entries.'),
    ],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FsRtlInitExtraCreateParameterLookasideList',
    releasedBy: ['FltDeleteExtraCreateParameterLookasideList'],
    ...initLookasideText(FLT),
    docErrors: [],
    docUrl: url('FltInitExtraCreateParameterLookasideList'),
  },
  {
    ...fltBase,
    name: 'FltDeleteExtraCreateParameterLookasideList',
    op: 'deleteLookaside',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltDeleteExtraCreateParameterLookasideList(
    _In_opt_ PFLT_FILTER Filter,
    _Inout_ PVOID Lookaside,
    _In_ FSRTL_ECP_LOOKASIDE_FLAGS Flags);`,
    returnType: 'VOID',
    params: [
      filterParam('_In_opt_'),
      param('Lookaside', 'PVOID', '_Inout_', 'lookaside', 'The lookaside initialised with FltInitExtraCreateParameterLookasideList.'),
      param('Flags', 'FSRTL_ECP_LOOKASIDE_FLAGS', '_In_', 'lookaside-flags', 'Exactly the Flags used at initialisation.', 'FSRTL_ECP_LOOKASIDE_FLAGS'),
    ],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FsRtlDeleteExtraCreateParameterLookasideList',
    ...deleteLookasideText(FLT),
    docErrors: [C9, C26],
    docUrl: url('FltDeleteExtraCreateParameterLookasideList'),
  },
  {
    ...fltBase,
    name: 'FltAllocateExtraCreateParameterFromLookasideList',
    op: 'allocateEcpFromLookaside',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltAllocateExtraCreateParameterFromLookasideList(
    _In_ PFLT_FILTER Filter,
    _In_ LPCGUID EcpType,
    _In_ ULONG SizeOfContext,
    _In_ FSRTL_ALLOCATE_ECP_FLAGS Flags,
    _In_opt_ PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback,
    _Inout_ PVOID LookasideList,
    _Outptr_ PVOID *EcpContext);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID naming the ECP type.'),
      param('SizeOfContext', 'ULONG', '_In_', 'context-size', 'Bytes of context; above the entry size the ECP comes from pool.'),
      param('Flags', 'FSRTL_ALLOCATE_ECP_FLAGS', '_In_', 'ecp-flags', 'FSRTL_ALLOCATE_ECP_FLAG_* bits; NONPAGED should match the lookaside kind.', 'FSRTL_ALLOCATE_ECP_FLAGS'),
      param('CleanupCallback', 'PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK', '_In_opt_', 'cleanup-callback', 'Called just before the ECP is released; may be NULL.'),
      param('LookasideList', 'PVOID', '_Inout_', 'lookaside', 'An initialised ECP lookaside list.'),
      param('EcpContext', 'PVOID *', '_Outptr_', 'ecp-out', 'Receives the context pointer (not zeroed).'),
    ],
    minWindows: VISTA,
    mustInspectResult: true,
    returnCodes: [okSet('*EcpContext points to the new context.'), noMemory('EcpContext'), INTEGER_OVERFLOW],
    counterpart: 'FsRtlAllocateExtraCreateParameterFromLookasideList',
    releasedBy: ['FltFreeExtraCreateParameter', 'FltFreeExtraCreateParameterList'],
    ...allocFromLookasideText(FLT),
    docErrors: [C14],
    docUrl: url('FltAllocateExtraCreateParameterFromLookasideList'),
  },
  {
    ...fltBase,
    name: 'FltFreeExtraCreateParameter',
    op: 'freeEcp',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltFreeExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);`,
    returnType: 'VOID',
    params: [filterParam(), param('EcpContext', 'PVOID', '_In_', 'ecp', 'An ECP that is in no list.')],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FsRtlFreeExtraCreateParameter',
    ...freeEcpText(FLT),
    docErrors: [],
    docUrl: url('FltFreeExtraCreateParameter'),
  },
];
