/**
 * Filter-manager ECP routines, part 2: list membership and lookup, the list attached to a create
 * (callback data), acknowledgement, origin and reuse. Prototypes as in fltKernel.h (WDK 10.0.22621).
 */
import type { RoutineInfo } from './types';
import { param, ddiUrl, WIN8, OK, okSet, TRUE_FALSE } from './build';
import { FLT, insertText, findText, removeText, getNextText, ackText, isAckText, fromUserText, reuseText } from './shared';
import { C7, C13, C25, C26, C30_NO_MUST_INSPECT } from './corrections';
import { filterParam, fltBase } from './routines-flt';

const url = (name: string) => ddiUrl('fltkernel', 'nf', name);
const ecpIn = (doc: string) => param('EcpContext', 'PVOID', '_In_', 'ecp', doc);
const cbData = param('CallbackData', 'PFLT_CALLBACK_DATA', '_In_', 'callback-data', 'Callback data of an IRP_MJ_CREATE (pre- or post-create).');
const notFound = (meaning: string) => ({ status: 'STATUS_NOT_FOUND', meaning, fork: true, outValue: 'null' as const });

export const fltLookupRoutines: RoutineInfo[] = [
  {
    ...fltBase,
    name: 'FltInsertExtraCreateParameter',
    op: 'insert',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltInsertExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _Inout_ PECP_LIST EcpList,
    _Inout_ PVOID EcpContext);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('EcpList', 'PECP_LIST', '_Inout_', 'list', 'List that receives the ECP (at its tail).'),
      param('EcpContext', 'PVOID', '_Inout_', 'ecp', 'ECP from an ECP allocator, not in any list.'),
    ],
    mustInspectResult: false,
    returnCodes: [
      { ...OK, meaning: 'The list now owns the ECP.' },
      { status: 'STATUS_INVALID_PARAMETER', meaning: 'An ECP of the same GUID is already in the list (duplicate). The ECP was not inserted: the caller still owns it and must free it.', fork: true },
    ],
    counterpart: 'FsRtlInsertExtraCreateParameter',
    releasedBy: ['FltFreeExtraCreateParameterList'],
    ...insertText(FLT),
    docErrors: [C13, C30_NO_MUST_INSPECT],
    docUrl: url('FltInsertExtraCreateParameter'),
  },
  {
    ...fltBase,
    name: 'FltFindExtraCreateParameter',
    op: 'find',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltFindExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ PECP_LIST EcpList,
    _In_ LPCGUID EcpType,
    _Outptr_opt_result_buffer_(*EcpContextSize) PVOID *EcpContext,
    _Out_opt_ ULONG *EcpContextSize);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('EcpList', 'PECP_LIST', '_In_', 'list', 'List to search (must not be NULL).'),
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID of the ECP wanted.'),
      param('EcpContext', 'PVOID *', '_Outptr_opt_result_buffer_(*EcpContextSize)', 'ecp-out', 'Receives the ECP; NULL to test presence only.'),
      param('EcpContextSize', 'ULONG *', '_Out_opt_', 'context-size-out', 'Receives the context size (header excluded).'),
    ],
    mustInspectResult: false,
    returnCodes: [okSet('The ECP is in the list; it stays there.'), notFound('No ECP of that type: *EcpContext is NULL, *EcpContextSize 0.')],
    counterpart: 'FsRtlFindExtraCreateParameter',
    ...findText(FLT),
    docErrors: [C25, C30_NO_MUST_INSPECT],
    docUrl: url('FltFindExtraCreateParameter'),
  },
  {
    ...fltBase,
    name: 'FltRemoveExtraCreateParameter',
    op: 'remove',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltRemoveExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _Inout_ PECP_LIST EcpList,
    _In_ LPCGUID EcpType,
    _Outptr_result_buffer_(*EcpContextSize) PVOID *EcpContext,
    _Out_opt_ ULONG *EcpContextSize);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('EcpList', 'PECP_LIST', '_Inout_', 'list', 'List to take the ECP from.'),
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID of the ECP to remove.'),
      param('EcpContext', 'PVOID *', '_Outptr_result_buffer_(*EcpContextSize)', 'ecp-out', 'Receives the removed ECP (required).'),
      param('EcpContextSize', 'ULONG *', '_Out_opt_', 'context-size-out', 'Receives the context size.'),
    ],
    mustInspectResult: false,
    returnCodes: [okSet('The ECP is out of the list and owned by the caller.'), notFound('No ECP of that type: *EcpContext is NULL, the size is undefined.')],
    counterpart: 'FsRtlRemoveExtraCreateParameter',
    releasedBy: ['FltFreeExtraCreateParameter'],
    ...removeText(FLT),
    docErrors: [C30_NO_MUST_INSPECT],
    docUrl: url('FltRemoveExtraCreateParameter'),
  },
  {
    ...fltBase,
    name: 'FltGetNextExtraCreateParameter',
    op: 'getNext',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltGetNextExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ PECP_LIST EcpList,
    _In_opt_ PVOID CurrentEcpContext,
    _Out_opt_ LPGUID NextEcpType,
    _Outptr_opt_ PVOID *NextEcpContext,
    _Out_opt_ ULONG *NextEcpContextSize);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('EcpList', 'PECP_LIST', '_In_', 'list', 'List to enumerate (must not be NULL).'),
      param('CurrentEcpContext', 'PVOID', '_In_opt_', 'ecp-current', 'NULL for the first ECP, else the ECP returned last time.'),
      param('NextEcpType', 'LPGUID', '_Out_opt_', 'ecp-type-out', 'Receives the GUID of the next ECP.'),
      param('NextEcpContext', 'PVOID *', '_Outptr_opt_', 'ecp-out', 'Receives the next ECP.'),
      param('NextEcpContextSize', 'ULONG *', '_Out_opt_', 'context-size-out', 'Receives its context size.'),
    ],
    mustInspectResult: false,
    returnCodes: [
      okSet('The next ECP was returned; it stays in the list.'),
      notFound('End of list (or empty list): *NextEcpContext is NULL and the size 0.'),
      { status: 'STATUS_INVALID_PARAMETER', meaning: 'Documented for a NULL EcpList; do not rely on it — see the correction below.' },
    ],
    counterpart: 'FsRtlGetNextExtraCreateParameter',
    ...getNextText(FLT),
    docErrors: [C7],
    docUrl: url('FltGetNextExtraCreateParameter'),
  },
  {
    ...fltBase,
    name: 'FltGetEcpListFromCallbackData',
    op: 'getListFromCreate',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltGetEcpListFromCallbackData(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _Outptr_result_maybenull_ PECP_LIST *EcpList);`,
    returnType: 'NTSTATUS',
    params: [filterParam(), cbData, param('EcpList', 'PECP_LIST *', '_Outptr_result_maybenull_', 'list-out', 'Receives the create\'s list, or NULL when it has none.')],
    mustInspectResult: false,
    returnCodes: [
      okSet('*EcpList is the create\'s list — or NULL when the create carries no ECPs (normal).'),
      { status: 'STATUS_INVALID_PARAMETER', meaning: 'Not an IRP-based create; *EcpList is undefined.', fork: true, outValue: 'undefined' },
    ],
    counterpart: 'FsRtlGetEcpListFromIrp',
    summary: 'Returns the ECP list attached to a create operation, in pre- or post-create. Most creates carry none, so success with a NULL list is the common case.',
    ownership: 'No transfer: the list belongs to the create (the I/O manager, or the create\'s issuer). Never free it or its ECPs; adding ECPs to it is allowed during IRP_MJ_CREATE, and those are freed for you.',
    pitfalls: [
      'Check *EcpList for NULL before using it.',
      'If it is NULL and you want to attach ECPs, allocate a list, insert, then FltSetEcpListIntoCallbackData.',
      'ECPs found here may come from user mode: check FltIsEcpFromUserMode.',
    ],
    docErrors: [],
    docUrl: url('FltGetEcpListFromCallbackData'),
  },
  {
    ...fltBase,
    name: 'FltSetEcpListIntoCallbackData',
    op: 'setListIntoCreate',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltSetEcpListIntoCallbackData(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ PECP_LIST EcpList);`,
    returnType: 'NTSTATUS',
    params: [filterParam(), cbData, param('EcpList', 'PECP_LIST', '_In_', 'list', 'A list you allocated, with at least one ECP in it.')],
    mustInspectResult: false,
    returnCodes: [
      { ...OK, meaning: 'The create now owns the list and its ECPs; they are freed when the create completes.' },
      { status: 'STATUS_INVALID_PARAMETER_2', meaning: 'The callback data is not an IRP-based create. The caller still owns the list.' },
      { status: 'STATUS_INVALID_PARAMETER_3', meaning: 'The create already has a list (add to it instead). The caller still owns its list and must free it.', fork: true },
    ],
    counterpart: 'FsRtlSetEcpListIntoIrp',
    summary: 'Attaches a list you built to a create that has none (FltGetEcpListFromCallbackData returned NULL), typically in pre-create.',
    ownership: 'On success the I/O manager owns the list and every ECP in it and frees them when the create finishes: never free them yourself. On failure the caller still owns the list and must free it.',
    pitfalls: [
      'Free the list on the failure path — a common leak.',
      'A second attach to the same create fails with STATUS_INVALID_PARAMETER_3: get the existing list and insert into it.',
      'Attach only a list with at least one ECP in it.',
    ],
    docErrors: [],
    docUrl: url('FltSetEcpListIntoCallbackData'),
  },
  {
    ...fltBase,
    name: 'FltAcknowledgeEcp',
    op: 'acknowledge',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltAcknowledgeEcp(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);`,
    returnType: 'VOID',
    params: [filterParam(), ecpIn('ECP to mark as acknowledged.')],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FsRtlAcknowledgeEcp',
    ...ackText(FLT),
    docErrors: [C26],
    docUrl: url('FltAcknowledgeEcp'),
  },
  {
    ...fltBase,
    name: 'FltIsEcpAcknowledged',
    op: 'isAcknowledged',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
BOOLEAN FLTAPI FltIsEcpAcknowledged(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);`,
    returnType: 'BOOLEAN',
    params: [filterParam(), ecpIn('ECP to test.')],
    mustInspectResult: false,
    returnCodes: TRUE_FALSE('The ECP was acknowledged.', 'It was not (the default for a new ECP).'),
    counterpart: 'FsRtlIsEcpAcknowledged',
    ...isAckText(FLT),
    docErrors: [],
    docUrl: url('FltIsEcpAcknowledged'),
  },
  {
    ...fltBase,
    name: 'FltIsEcpFromUserMode',
    op: 'isFromUserMode',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
BOOLEAN FLTAPI FltIsEcpFromUserMode(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);`,
    returnType: 'BOOLEAN',
    params: [filterParam(), ecpIn('ECP to test.')],
    mustInspectResult: false,
    returnCodes: TRUE_FALSE('The ECP originated in user mode: do not trust its contents.', 'It was created in kernel mode.'),
    counterpart: 'FsRtlIsEcpFromUserMode',
    ...fromUserText(),
    docErrors: [],
    docUrl: url('FltIsEcpFromUserMode'),
  },
  {
    ...fltBase,
    name: 'FltPrepareToReuseEcp',
    op: 'prepareToReuse',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltPrepareToReuseEcp(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);`,
    returnType: 'VOID',
    params: [filterParam(), ecpIn('ECP whose acknowledged mark is cleared.')],
    minWindows: WIN8,
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FsRtlPrepareToReuseEcp',
    ...reuseText(FLT),
    docErrors: [],
    docUrl: url('FltPrepareToReuseEcp'),
  },
];
