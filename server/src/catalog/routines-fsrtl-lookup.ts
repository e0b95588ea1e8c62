/**
 * FsRtl ECP routines, part 2: list membership and lookup, the list attached to a create IRP,
 * acknowledgement, origin and reuse. Prototypes as in ntifs.h (WDK 10.0.22621).
 */
import type { RoutineInfo } from './types';
import { param, WIN8, OK, okSet, TRUE_FALSE } from './build';
import { FSRTL, insertText, findText, removeText, getNextText, ackText, isAckText, fromUserText, reuseText } from './shared';
import { C4, C6, C7, C8, C13, C23, C25, C30_NO_NTKERNELAPI, c5 } from './corrections';
import { fsrtlBase, fsrtlUrl } from './routines-fsrtl';

const ecpIn = (doc: string) => param('EcpContext', 'PVOID', '_In_', 'ecp', doc);
const irp = (sal: string) => param('Irp', 'PIRP', sal, 'irp', 'An IRP_MJ_CREATE IRP (Irp->Flags has IRP_CREATE_OPERATION).');
const notFound = (meaning: string) => ({ status: 'STATUS_NOT_FOUND', meaning, fork: true, outValue: 'null' as const });

export const fsrtlLookupRoutines: RoutineInfo[] = [
  {
    ...fsrtlBase,
    name: 'FsRtlInsertExtraCreateParameter',
    op: 'insert',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlInsertExtraCreateParameter(
    _Inout_ PECP_LIST EcpList,
    _Inout_ PVOID EcpContext);`,
    returnType: 'NTSTATUS',
    params: [
      param('EcpList', 'PECP_LIST', '_Inout_', 'list', 'List that receives the ECP (at its tail).'),
      param('EcpContext', 'PVOID', '_Inout_', 'ecp', 'ECP from an ECP allocator, not in any list.'),
    ],
    mustInspectResult: true,
    returnCodes: [
      { ...OK, meaning: 'The list now owns the ECP.' },
      { status: 'STATUS_INVALID_PARAMETER', meaning: 'An ECP of the same GUID is already in the list (duplicate). The ECP was not inserted: the caller still owns it and must free it.', fork: true },
    ],
    counterpart: 'FltInsertExtraCreateParameter',
    releasedBy: ['FsRtlFreeExtraCreateParameterList'],
    ...insertText(FSRTL),
    docErrors: [C4, C13],
    docUrl: fsrtlUrl('FsRtlInsertExtraCreateParameter'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlFindExtraCreateParameter',
    op: 'find',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlFindExtraCreateParameter(
    _In_ PECP_LIST EcpList,
    _In_ LPCGUID EcpType,
    _Outptr_opt_ PVOID *EcpContext,
    _Out_opt_ ULONG *EcpContextSize);`,
    returnType: 'NTSTATUS',
    params: [
      param('EcpList', 'PECP_LIST', '_In_', 'list', 'List to search (must not be NULL).'),
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID of the ECP wanted.'),
      param('EcpContext', 'PVOID *', '_Outptr_opt_', 'ecp-out', 'Receives the ECP; NULL to test presence only.'),
      param('EcpContextSize', 'ULONG *', '_Out_opt_', 'context-size-out', 'Receives the context size (header excluded).'),
    ],
    mustInspectResult: true,
    returnCodes: [okSet('The ECP is in the list; it stays there.'), notFound('No ECP of that type: *EcpContext is NULL, *EcpContextSize 0.')],
    counterpart: 'FltFindExtraCreateParameter',
    ...findText(FSRTL),
    docErrors: [C25],
    docUrl: fsrtlUrl('FsRtlFindExtraCreateParameter'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlRemoveExtraCreateParameter',
    op: 'remove',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlRemoveExtraCreateParameter(
    _Inout_ PECP_LIST EcpList,
    _In_ LPCGUID EcpType,
    _Outptr_ PVOID *EcpContext,
    _Out_opt_ ULONG *EcpContextSize);`,
    returnType: 'NTSTATUS',
    params: [
      param('EcpList', 'PECP_LIST', '_Inout_', 'list', 'List to take the ECP from.'),
      param('EcpType', 'LPCGUID', '_In_', 'ecp-type', 'GUID of the ECP to remove.'),
      param('EcpContext', 'PVOID *', '_Outptr_', 'ecp-out', 'Receives the removed ECP (required).'),
      param('EcpContextSize', 'ULONG *', '_Out_opt_', 'context-size-out', 'Receives the context size.'),
    ],
    mustInspectResult: true,
    returnCodes: [okSet('The ECP is out of the list and owned by the caller.'), notFound('No ECP of that type: *EcpContext is NULL, the size is undefined.')],
    counterpart: 'FltRemoveExtraCreateParameter',
    releasedBy: ['FsRtlFreeExtraCreateParameter'],
    ...removeText(FSRTL),
    docErrors: [c5('nf-ntifs-fsrtlremoveextracreateparameter', 'FltFreeExtraCreateParameter', 'FsRtlFreeExtraCreateParameter')],
    docUrl: fsrtlUrl('FsRtlRemoveExtraCreateParameter'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlGetNextExtraCreateParameter',
    op: 'getNext',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlGetNextExtraCreateParameter(
    _In_ PECP_LIST EcpList,
    _In_opt_ PVOID CurrentEcpContext,
    _Out_opt_ LPGUID NextEcpType,
    _Outptr_opt_ PVOID *NextEcpContext,
    _Out_opt_ ULONG *NextEcpContextSize);`,
    returnType: 'NTSTATUS',
    params: [
      param('EcpList', 'PECP_LIST', '_In_', 'list', 'List to enumerate (must not be NULL).'),
      param('CurrentEcpContext', 'PVOID', '_In_opt_', 'ecp-current', 'NULL for the first ECP, else the ECP returned last time.'),
      param('NextEcpType', 'LPGUID', '_Out_opt_', 'ecp-type-out', 'Receives the GUID of the next ECP.'),
      param('NextEcpContext', 'PVOID *', '_Outptr_opt_', 'ecp-out', 'Receives the next ECP (optional).'),
      param('NextEcpContextSize', 'ULONG *', '_Out_opt_', 'context-size-out', 'Receives its context size.'),
    ],
    mustInspectResult: true,
    returnCodes: [
      okSet('The next ECP was returned; it stays in the list.'),
      notFound('End of list (or empty list): *NextEcpContext is NULL, the size 0 and the GUID zeroed.'),
      { status: 'STATUS_INVALID_PARAMETER', meaning: 'Documented for a NULL EcpList, but the implementation does not check — see the correction below.' },
    ],
    counterpart: 'FltGetNextExtraCreateParameter',
    ...getNextText(FSRTL),
    docErrors: [C7, C8],
    docUrl: fsrtlUrl('FsRtlGetNextExtraCreateParameter'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlGetEcpListFromIrp',
    op: 'getListFromCreate',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlGetEcpListFromIrp(
    _In_ PIRP Irp,
    _Outptr_result_maybenull_ PECP_LIST *EcpList);`,
    returnType: 'NTSTATUS',
    params: [irp('_In_'), param('EcpList', 'PECP_LIST *', '_Outptr_result_maybenull_', 'list-out', 'Receives the create\'s list, or NULL when it has none.')],
    mustInspectResult: true,
    returnCodes: [
      okSet('*EcpList is the create\'s list — or NULL when the create carries no ECPs (normal).'),
      { status: 'STATUS_INVALID_PARAMETER', meaning: 'The IRP is not a create; *EcpList is undefined.', fork: true, outValue: 'undefined' },
    ],
    counterpart: 'FltGetEcpListFromCallbackData',
    summary:
      'Returns the ECP list attached to an IRP_MJ_CREATE IRP (a thin wrapper of IoGetIrpExtraCreateParameter). Success with a NULL list is the common case.',
    ownership: 'No transfer: the list belongs to the create. Never free it or its ECPs; ECPs you add to it during the create are freed for you.',
    pitfalls: ['Check *EcpList for NULL before using it.', 'ECPs found here may come from user mode: check FsRtlIsEcpFromUserMode.'],
    docErrors: [C23],
    docUrl: fsrtlUrl('FsRtlGetEcpListFromIrp'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlSetEcpListIntoIrp',
    op: 'setListIntoCreate',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
NTSTATUS FsRtlSetEcpListIntoIrp(
    _Inout_ PIRP Irp,
    _In_ PECP_LIST EcpList);`,
    returnType: 'NTSTATUS',
    params: [irp('_Inout_'), param('EcpList', 'PECP_LIST', '_In_', 'list', 'A list you allocated, with at least one ECP in it.')],
    mustInspectResult: true,
    returnCodes: [
      { ...OK, meaning: 'The create now owns the list and its ECPs; they are freed when the create completes.' },
      { status: 'STATUS_INVALID_PARAMETER_1', meaning: 'Observed (not documented): the IRP is not a create. The caller still owns the list.' },
      {
        status: 'STATUS_INVALID_PARAMETER_2',
        meaning: 'Documented for "not a create IRP"; observed for "a list is already attached". Either way the caller still owns the list and must free it.',
        fork: true,
      },
      { status: 'STATUS_INVALID_PARAMETER_3', meaning: 'Documented for "a list is already attached"; not seen in the builds examined. The caller still owns the list.' },
    ],
    counterpart: 'FltSetEcpListIntoCallbackData',
    summary: 'Attaches a list you built to a create IRP that has none (FsRtlGetEcpListFromIrp returned NULL). Wraps IoSetIrpExtraCreateParameter.',
    ownership: 'On success the I/O manager owns the list and every ECP in it and frees them when the create finishes. On failure the caller still owns the list and must free it.',
    pitfalls: ['Free the list on the failure path.', 'Test the result with NT_SUCCESS: the specific failure codes differ between the page and the implementation.'],
    docErrors: [C6],
    docUrl: fsrtlUrl('FsRtlSetEcpListIntoIrp'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlAcknowledgeEcp',
    op: 'acknowledge',
    prototype: `_IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
VOID FsRtlAcknowledgeEcp(
    _In_ PVOID EcpContext);`,
    returnType: 'VOID',
    params: [ecpIn('ECP to mark as acknowledged.')],
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FltAcknowledgeEcp',
    ...ackText(FSRTL),
    docErrors: [c5('nf-ntifs-fsrtlacknowledgeecp', 'FltIsEcpAcknowledged', 'FsRtlIsEcpAcknowledged')],
    docUrl: fsrtlUrl('FsRtlAcknowledgeEcp'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlIsEcpAcknowledged',
    op: 'isAcknowledged',
    prototype: `_IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
BOOLEAN FsRtlIsEcpAcknowledged(
    _In_ PVOID EcpContext);`,
    returnType: 'BOOLEAN',
    params: [ecpIn('ECP to test.')],
    mustInspectResult: false,
    returnCodes: TRUE_FALSE('The ECP was acknowledged.', 'It was not (the default for a new ECP).'),
    counterpart: 'FltIsEcpAcknowledged',
    ...isAckText(FSRTL),
    docErrors: [c5('nf-ntifs-fsrtlisecpacknowledged', 'FltAcknowledgeEcp', 'FsRtlAcknowledgeEcp')],
    docUrl: fsrtlUrl('FsRtlIsEcpAcknowledged'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlIsEcpFromUserMode',
    op: 'isFromUserMode',
    prototype: `_IRQL_requires_max_(APC_LEVEL) NTKERNELAPI
BOOLEAN FsRtlIsEcpFromUserMode(
    _In_ PVOID EcpContext);`,
    returnType: 'BOOLEAN',
    params: [ecpIn('ECP to test.')],
    mustInspectResult: false,
    returnCodes: TRUE_FALSE('The ECP originated in user mode: do not trust its contents.', 'It was created in kernel mode.'),
    counterpart: 'FltIsEcpFromUserMode',
    ...fromUserText(),
    docErrors: [],
    docUrl: fsrtlUrl('FsRtlIsEcpFromUserMode'),
  },
  {
    ...fsrtlBase,
    name: 'FsRtlPrepareToReuseEcp',
    op: 'prepareToReuse',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FsRtlPrepareToReuseEcp(
    _In_ PVOID EcpContext);`,
    returnType: 'VOID',
    params: [ecpIn('ECP whose acknowledged mark is cleared.')],
    minWindows: WIN8,
    mustInspectResult: false,
    returnCodes: [],
    counterpart: 'FltPrepareToReuseEcp',
    ...reuseText(FSRTL),
    docErrors: [C30_NO_NTKERNELAPI],
    docUrl: fsrtlUrl('FsRtlPrepareToReuseEcp'),
  },
];
