/**
 * Filter-manager routines that issue or shape creates with ECPs: FltCreateFileEx2, the ECP-based
 * open-reparse helpers and FltRequestFileInfoOnCreateCompletion. Prototypes as in fltKernel.h.
 */
import type { ParamInfo, ReturnCode, RoutineInfo } from './types';
import { param, ddiUrl, OK, noMemory } from './build';
import { C17_REPARSE_ROUTINES, C21, C22 } from './corrections';
import { filterParam, fltBase } from './routines-flt';

const url = (name: string) => ddiUrl('fltkernel', 'nf', name);
const data = param('Data', 'PFLT_CALLBACK_DATA', '_In_', 'callback-data', 'Callback data of the IRP_MJ_CREATE concerned.');
const entry = (doc: string) => param('OpenReparseEntry', 'POPEN_REPARSE_LIST_ENTRY', '_In_', 'other', doc);
const notCreate = (fork: boolean): ReturnCode => ({
  status: 'STATUS_INVALID_PARAMETER_2',
  meaning: 'Data is not a create operation.',
  ...(fork ? { fork: true } : {}),
});
const REPARSE_MIN = 'Windows 10, version 1607 (header: FLT_MGR_WINTHRESHOLD, 1507)';

/** Parameters common to FltCreateFileEx2 and IoCreateFileEx (after the filter-specific ones). */
export const createParams = {
  handle: param('FileHandle', 'PHANDLE', '_Out_', 'other', 'Receives the kernel handle on success.'),
  access: param('DesiredAccess', 'ACCESS_MASK', '_In_', 'other', 'Requested access.'),
  attrs: param('ObjectAttributes', 'POBJECT_ATTRIBUTES', '_In_', 'other', 'Name of the file; use OBJ_KERNEL_HANDLE.'),
  iosb: param('IoStatusBlock', 'PIO_STATUS_BLOCK', '_Out_', 'other', 'Receives the final status and information.'),
  allocation: param('AllocationSize', 'PLARGE_INTEGER', '_In_opt_', 'other', 'Initial allocation size, or NULL.'),
  fileAttributes: param('FileAttributes', 'ULONG', '_In_', 'other', 'FILE_ATTRIBUTE_* for a new file.'),
  share: param('ShareAccess', 'ULONG', '_In_', 'other', 'FILE_SHARE_* bits.'),
  eaLength: param('EaLength', 'ULONG', '_In_', 'other', 'Bytes in EaBuffer.'),
  driverContext: param(
    'DriverContext',
    'PIO_DRIVER_CREATE_CONTEXT',
    '_In_opt_',
    'driver-create-context',
    'Initialised with IoInitializeDriverCreateContext; carries ExtraCreateParameter (a non-empty ECP list), transaction and silo.',
  ),
};

/** Outcomes shared by the two create routines that carry ECPs. */
export const createReturnCodes: ReturnCode[] = [
  { status: 'STATUS_SUCCESS', meaning: 'The file is open; *FileHandle is valid. The ECP list is unchanged and still the caller\'s.', outValue: 'set' },
  {
    status: 'STATUS_OBJECT_NAME_NOT_FOUND',
    meaning: 'Representative create failure (any NTSTATUS from the file system is possible). The caller still owns the ECP list and must free it.',
    fork: true,
    anyFailure: true,
    outValue: 'undefined',
  },
  { status: 'STATUS_INVALID_DEVICE_OBJECT_PARAMETER', meaning: 'With a device hint (or Instance): a mount point in the path does not resolve to the targeted volume.' },
  { status: 'STATUS_MOUNT_POINT_NOT_RESOLVED', meaning: 'With a device hint (or Instance): a mount point in the path does not resolve to the targeted volume.' },
  { status: 'STATUS_OBJECT_PATH_SYNTAX_BAD', meaning: 'The path in ObjectAttributes is malformed.' },
  { status: 'STATUS_STOPPED_ON_SYMLINK', meaning: 'With IO_STOP_ON_SYMLINK: a symbolic link was reached; IoStatusBlock->Information holds a REPARSE_DATA_BUFFER the caller must free.' },
  { status: 'STATUS_FILE_LOCK_CONFLICT', meaning: 'NTFS could not proceed because its log file is full.' },
];

const CREATE_PITFALLS = [
  'ExtraCreateParameter must point to a list holding at least one ECP: an empty list bug-checks (0x10C, subcode 0x15).',
  'The list is not consumed: free it after the call on every path, success or failure.',
  'IRQL must be PASSIVE_LEVEL.',
  'Check FltIsEcpAcknowledged / FsRtlIsEcpAcknowledged before reading outputs of query-type ECPs.',
];
export { CREATE_PITFALLS };

export const fltCreateRoutines: RoutineInfo[] = [
  {
    ...fltBase,
    name: 'FltCreateFileEx2',
    op: 'createFile',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS FLTAPI FltCreateFileEx2(
    _In_ PFLT_FILTER Filter,
    _In_opt_ PFLT_INSTANCE Instance,
    _Out_ PHANDLE FileHandle,
    _Outptr_opt_ PFILE_OBJECT *FileObject,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes,
    _Out_ PIO_STATUS_BLOCK IoStatusBlock,
    _In_opt_ PLARGE_INTEGER AllocationSize,
    _In_ ULONG FileAttributes,
    _In_ ULONG ShareAccess,
    _In_ ULONG CreateDisposition,
    _In_ ULONG CreateOptions,
    _In_reads_bytes_opt_(EaLength) PVOID EaBuffer,
    _In_ ULONG EaLength,
    _In_ ULONG Flags,
    _In_opt_ PIO_DRIVER_CREATE_CONTEXT DriverContext);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      param('Instance', 'PFLT_INSTANCE', '_In_opt_', 'instance', 'Send the create to the filters below this instance; NULL for the top of the stack.'),
      createParams.handle,
      param('FileObject', 'PFILE_OBJECT *', '_Outptr_opt_', 'other', 'Optionally receives a referenced file object (dereference it later).'),
      createParams.access,
      createParams.attrs,
      createParams.iosb,
      createParams.allocation,
      createParams.fileAttributes,
      createParams.share,
      param('CreateDisposition', 'ULONG', '_In_', 'other', 'FILE_OPEN, FILE_CREATE, ...'),
      param('CreateOptions', 'ULONG', '_In_', 'other', 'FILE_* create options.'),
      param('EaBuffer', 'PVOID', '_In_reads_bytes_opt_(EaLength)', 'other', 'Extended attributes for a new file, or NULL.'),
      createParams.eaLength,
      param('Flags', 'ULONG', '_In_', 'other', 'IoCreateFileEx Options bits (IO_FORCE_ACCESS_CHECK, IO_STOP_ON_SYMLINK, ...) — not an ECP flag.'),
      { ...createParams.driverContext, doc: `${createParams.driverContext.doc} DeviceObjectHint must be NULL here.` },
    ],
    irqlMax: 'PASSIVE_LEVEL',
    mustInspectResult: true,
    returnCodes: createReturnCodes,
    counterpart: 'IoCreateFileEx',
    summary:
      'Opens or creates a file from a minifilter, starting below Instance, and can pass ECPs, a transaction and a silo through DriverContext. With GUID_ECP_FLT_CREATEFILE_TARGET in the list (Windows 8+) it can follow a reparse to another volume.',
    ownership:
      'The ECP list in DriverContext stays the caller\'s: allocate it with FltAllocateExtraCreateParameterList and free it with FltFreeExtraCreateParameterList after the call. ECPs that lower drivers add are freed before return, so the list comes back with exactly the caller\'s ECPs and may be reused (after FltPrepareToReuseEcp for acknowledged ones). The handle must be closed with FltClose.',
    pitfalls: [...CREATE_PITFALLS, 'DriverContext->DeviceObjectHint must be NULL: Instance plays that role.'],
    docErrors: [C21, C22],
    docUrl: url('FltCreateFileEx2'),
  },
  {
    ...fltBase,
    name: 'FltAddOpenReparseEntry',
    op: 'openReparse',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltAddOpenReparseEntry(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ POPEN_REPARSE_LIST_ENTRY OpenReparseEntry);`,
    returnType: 'NTSTATUS',
    params: [filterParam(), data, entry('Caller-allocated entry; must stay valid until removed.')],
    minWindows: REPARSE_MIN,
    mustInspectResult: true,
    returnCodes: [{ ...OK, meaning: 'The entry is part of the create\'s open-reparse ECP.' }, notCreate(true)],
    counterpart: null,
    noCounterpartReason: 'Filter-manager helper only; outside FltMgr the ECP_TYPE_OPEN_REPARSE_GUID ECP is built by hand.',
    releasedBy: ['FltRemoveOpenReparseEntry'],
    summary:
      'Adds an OPEN_REPARSE_LIST_ENTRY to a create, creating the ECP list and the ECP_TYPE_OPEN_REPARSE_GUID ECP if needed, so that the file system opens matching reparse points instead of reparsing.',
    ownership: 'The entry stays caller memory; the filter is referenced for the entry\'s lifetime. Take the entry out with FltRemoveOpenReparseEntry before freeing it.',
    pitfalls: ['Call FltRemoveOpenReparseEntry only for entries this routine added.', 'On failure do not remove the entry — it was never added.'],
    docErrors: [C17_REPARSE_ROUTINES],
    docUrl: url('FltAddOpenReparseEntry'),
  },
  {
    ...fltBase,
    name: 'FltRemoveOpenReparseEntry',
    op: 'openReparse',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltRemoveOpenReparseEntry(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ POPEN_REPARSE_LIST_ENTRY OpenReparseEntry);`,
    returnType: 'VOID',
    params: [filterParam(), data, entry('An entry previously added with FltAddOpenReparseEntry.')],
    minWindows: REPARSE_MIN,
    mustInspectResult: false,
    returnCodes: [],
    counterpart: null,
    noCounterpartReason: 'Filter-manager helper only (pairs with FltAddOpenReparseEntry).',
    summary: 'Takes an entry added with FltAddOpenReparseEntry back out of the create and drops the filter reference it held.',
    ownership: 'The entry returns to the caller, who may free it afterwards.',
    pitfalls: ['Any other entry (one you did not add with FltAddOpenReparseEntry) is invalid here.'],
    docErrors: [C17_REPARSE_ROUTINES],
    docUrl: url('FltRemoveOpenReparseEntry'),
  },
  {
    ...fltBase,
    name: 'FltCopyOpenReparseList',
    op: 'openReparse',
    prototype: `_Must_inspect_result_ _IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltCopyOpenReparseList(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA Data,
    _Inout_ PECP_LIST EcpList);`,
    returnType: 'NTSTATUS',
    params: [filterParam(), data, param('EcpList', 'PECP_LIST', '_Inout_', 'list', 'A new list (yours) that receives a copy of the open-reparse information.')],
    minWindows: REPARSE_MIN,
    mustInspectResult: true,
    returnCodes: [{ ...OK, meaning: 'EcpList now carries the copied open-reparse information.' }, notCreate(true)],
    counterpart: null,
    noCounterpartReason: 'Filter-manager helper only (pairs with FltFreeOpenReparseList).',
    releasedBy: ['FltFreeOpenReparseList'],
    summary: 'Copies the open-reparse information of a create into a list of your own, so a second create you issue (e.g. with FltCreateFileEx2) honours the same reparse rules.',
    ownership: 'The copied information belongs to the caller\'s list: release it with FltFreeOpenReparseList, then free the list itself.',
    pitfalls: ['Release the copy with FltFreeOpenReparseList before freeing the list.'],
    docErrors: [C17_REPARSE_ROUTINES],
    docUrl: url('FltCopyOpenReparseList'),
  },
  {
    ...fltBase,
    name: 'FltFreeOpenReparseList',
    op: 'openReparse',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
VOID FLTAPI FltFreeOpenReparseList(
    _In_ PFLT_FILTER Filter,
    _In_ PECP_LIST EcpList);`,
    returnType: 'VOID',
    params: [filterParam(), param('EcpList', 'PECP_LIST', '_In_', 'list', 'The list filled by FltCopyOpenReparseList.')],
    minWindows: REPARSE_MIN,
    mustInspectResult: false,
    returnCodes: [],
    counterpart: null,
    noCounterpartReason: 'Filter-manager helper only (pairs with FltCopyOpenReparseList).',
    summary: 'Releases the open-reparse information that FltCopyOpenReparseList put into a list. The list itself survives.',
    ownership: 'Frees the copied information only; the list remains the caller\'s to free with FltFreeExtraCreateParameterList.',
    pitfalls: ['This is not a list free: the ECP_LIST still has to be released.'],
    docErrors: [C17_REPARSE_ROUTINES],
    docUrl: url('FltFreeOpenReparseList'),
  },
  {
    ...fltBase,
    name: 'FltRequestFileInfoOnCreateCompletion',
    op: 'other',
    prototype: `_IRQL_requires_max_(APC_LEVEL)
NTSTATUS FLTAPI FltRequestFileInfoOnCreateCompletion(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ ULONG InfoClassFlags);`,
    returnType: 'NTSTATUS',
    params: [
      filterParam(),
      data,
      param('InfoClassFlags', 'ULONG', '_In_', 'other', 'Any combination of QoCFileStatInformation (0x1), QoCFileLxInformation (0x2), QoCFileEaInformation (0x4), QoCFileUsnInformation (0x8).'),
    ],
    irqlNote: 'The page leaves IRQL blank; the header annotation says APC_LEVEL.',
    minWindows: 'Windows 10, version 1809 (FLT_MGR_WIN10_RS5)',
    mustInspectResult: false,
    returnCodes: [
      { ...OK, meaning: 'The request was attached (a GUID_ECP_QUERY_ON_CREATE ECP on the create).' },
      { status: 'STATUS_INSUFFICIENT_RESOURCES', meaning: 'No memory for the request; nothing was attached.', fork: true },
      notCreate(false),
    ],
    counterpart: null,
    noCounterpartReason: 'Filter-manager only; the underlying GUID_ECP_QUERY_ON_CREATE layout is internal.',
    summary:
      'In pre-create, asks the file system to capture file information while it opens the file; read it in post-create with FltRetrieveFileInfoOnCreateCompletion(Ex). Internally attaches a GUID_ECP_QUERY_ON_CREATE ECP.',
    ownership: 'Filter manager owns the ECP it attaches and frees it (and any EA buffer the file system allocated) with the create.',
    pitfalls: ['Never build QUERY_ON_CREATE_ECP_CONTEXT yourself: its layout changes between releases.', 'The file system may not support the request; be ready to query the information the usual way.'],
    docErrors: [],
    docUrl: url('FltRequestFileInfoOnCreateCompletion'),
  },
];
