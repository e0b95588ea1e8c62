/**
 * I/O-manager routines around ECPs: IoCreateFileEx and its driver context, the undocumented
 * Io{Get,Set,Clear}IrpExtraCreateParameter, the ECP-less IoCreateFileSpecifyDeviceObjectHint and the
 * oplock-key readers. Prototypes as in ntddk.h (WDK 10.0.22621).
 */
import type { RoutineInfo } from './types';
import { param, ddiUrl, NTDDK_HEADER, NTOS_LIB, VISTA, WIN7, WIN8, OK, okSet } from './build';
import { C19, C20, C21, C31 } from './corrections';
import { createParams as cp, createReturnCodes, CREATE_PITFALLS } from './routines-flt-create';

const url = (name: string) => ddiUrl('ntddk', 'nf', name);
const ioBase = { family: 'io' as const, header: NTDDK_HEADER, library: NTOS_LIB, documented: true };
const undocumented = {
  ...ioBase,
  irqlMax: null,
  irqlNote: 'Undocumented; the header has no IRQL annotation.',
  minWindows: VISTA,
  documented: false,
  docUrl: null,
  docErrors: [],
  noCounterpartReason: 'Undocumented I/O-manager layer under the FsRtl routines; there is no filter-manager twin.',
  counterpart: null,
};
const irp = (sal: string) => param('Irp', 'PIRP', sal, 'irp', 'An IRP_MJ_CREATE IRP (Irp->Flags has IRP_CREATE_OPERATION).');
const tailParams = [
  param('Disposition', 'ULONG', '_In_', 'other', 'FILE_OPEN, FILE_CREATE, ...'),
  param('CreateOptions', 'ULONG', '_In_', 'other', 'FILE_* create options.'),
  param('EaBuffer', 'PVOID', '_In_opt_', 'other', 'Extended attributes for a new file, or NULL.'),
  cp.eaLength,
  param('CreateFileType', 'CREATE_FILE_TYPE', '_In_', 'other', 'Drivers pass CreateFileTypeNone.'),
  param('InternalParameters', 'PVOID', '_In_opt_', 'other', 'Drivers pass NULL.'),
  param('Options', 'ULONG', '_In_', 'other', 'IO_FORCE_ACCESS_CHECK 0x1, IO_OPEN_TARGET_DIRECTORY 0x4, IO_STOP_ON_SYMLINK 0x8, IO_IGNORE_SHARE_ACCESS_CHECK 0x800 — not ECP flags.'),
];
const headParams = [cp.handle, cp.access, cp.attrs, cp.iosb, cp.allocation, cp.fileAttributes, cp.share];
const oplockKeyPrototype = (ret: string, name: string) => `NTKERNELAPI
${ret} ${name}(
    _In_ PFILE_OBJECT FileObject);`;

export const ioRoutines: RoutineInfo[] = [
  {
    ...ioBase,
    name: 'IoCreateFileEx',
    op: 'createFile',
    prototype: `NTKERNELAPI
NTSTATUS IoCreateFileEx(
    _Out_ PHANDLE FileHandle,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes,
    _Out_ PIO_STATUS_BLOCK IoStatusBlock,
    _In_opt_ PLARGE_INTEGER AllocationSize,
    _In_ ULONG FileAttributes,
    _In_ ULONG ShareAccess,
    _In_ ULONG Disposition,
    _In_ ULONG CreateOptions,
    _In_opt_ PVOID EaBuffer,
    _In_ ULONG EaLength,
    _In_ CREATE_FILE_TYPE CreateFileType,
    _In_opt_ PVOID InternalParameters,
    _In_ ULONG Options,
    _In_opt_ PIO_DRIVER_CREATE_CONTEXT DriverContext);`,
    returnType: 'NTSTATUS',
    params: [...headParams, ...tailParams, cp.driverContext],
    irqlMax: 'PASSIVE_LEVEL',
    minWindows: VISTA,
    mustInspectResult: false,
    returnCodes: createReturnCodes,
    counterpart: 'FltCreateFileEx2',
    summary:
      'Opens or creates a file from kernel code and can pass ECPs, a device-object hint, a transaction and a silo through DriverContext. A non-NULL DeviceObjectHint sends the create only to that device and those below it. Never returns STATUS_REPARSE.',
    ownership:
      'The ECP list in DriverContext stays the caller\'s: allocate it with FsRtlAllocateExtraCreateParameterList and free it with FsRtlFreeExtraCreateParameterList after the call. ECPs that lower drivers add are freed before return, so the list comes back unchanged and may be reused. Close the handle with ZwClose.',
    pitfalls: [...CREATE_PITFALLS, 'Initialise DriverContext with IoInitializeDriverCreateContext; a hand-zeroed structure has Size 0.'],
    docErrors: [C21],
    docUrl: url('IoCreateFileEx'),
  },
  {
    ...ioBase,
    name: 'IoCreateFileSpecifyDeviceObjectHint',
    op: 'other',
    prototype: `NTKERNELAPI
NTSTATUS IoCreateFileSpecifyDeviceObjectHint(
    _Out_ PHANDLE FileHandle,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes,
    _Out_ PIO_STATUS_BLOCK IoStatusBlock,
    _In_opt_ PLARGE_INTEGER AllocationSize,
    _In_ ULONG FileAttributes,
    _In_ ULONG ShareAccess,
    _In_ ULONG Disposition,
    _In_ ULONG CreateOptions,
    _In_opt_ PVOID EaBuffer,
    _In_ ULONG EaLength,
    _In_ CREATE_FILE_TYPE CreateFileType,
    _In_opt_ PVOID InternalParameters,
    _In_ ULONG Options,
    _In_opt_ PVOID DeviceObject);`,
    returnType: 'NTSTATUS',
    params: [...headParams, ...tailParams, param('DeviceObject', 'PVOID', '_In_opt_', 'other', 'Device to send the create to (and below); NULL for the top of the stack.')],
    irqlMax: 'PASSIVE_LEVEL',
    minWindows: 'Windows XP',
    mustInspectResult: false,
    returnCodes: [
      { status: 'STATUS_SUCCESS', meaning: 'The file is open; *FileHandle is valid.', outValue: 'set' },
      { status: 'STATUS_OBJECT_NAME_NOT_FOUND', meaning: 'Representative create failure.', fork: true, anyFailure: true, outValue: 'undefined' },
      { status: 'STATUS_INVALID_DEVICE_OBJECT_PARAMETER', meaning: 'With DeviceObject: a mount point in the path does not resolve to the targeted volume.' },
      { status: 'STATUS_MOUNT_POINT_NOT_RESOLVED', meaning: 'With DeviceObject: a mount point in the path does not resolve to the targeted volume.' },
    ],
    counterpart: null,
    noCounterpartReason: 'Pre-Vista create with a device hint but no DriverContext, so it cannot carry ECPs; IoCreateFileEx supersedes it.',
    summary: 'XP-era create that targets a given device object and the devices below it. It has no DriverContext and therefore no way to send ECPs.',
    ownership: 'No ECP objects involved. Close the handle with ZwClose.',
    pitfalls: ['To send ECPs, switch to IoCreateFileEx (or FltCreateFileEx2 in a minifilter).'],
    docErrors: [C19],
    docUrl: url('IoCreateFileSpecifyDeviceObjectHint'),
  },
  {
    ...ioBase,
    name: 'IoInitializeDriverCreateContext',
    op: 'initDriverCreateContext',
    prototype: `VOID FORCEINLINE IoInitializeDriverCreateContext(
    PIO_DRIVER_CREATE_CONTEXT DriverContext);`,
    returnType: 'VOID',
    params: [{ ...param('DriverContext', 'PIO_DRIVER_CREATE_CONTEXT', '', 'driver-create-context', 'Structure to initialise (stack or pool).'), direction: 'out' }],
    irqlMax: 'DISPATCH_LEVEL',
    irqlNote: 'Any IRQL when the structure is in non-paged memory; <= APC_LEVEL when it is pageable.',
    minWindows: VISTA,
    library: 'none (FORCEINLINE in ntddk.h)',
    mustInspectResult: false,
    returnCodes: [],
    counterpart: null,
    noCounterpartReason: 'Shared by both families: FltCreateFileEx2 and IoCreateFileEx take the same structure.',
    summary:
      'Zeroes an IO_DRIVER_CREATE_CONTEXT, sets Size to sizeof(IO_DRIVER_CREATE_CONTEXT) and, when compiled for NTDDI_WIN10_RS1 or later, sets SiloContext to IO_USE_AMBIENT_SILO.',
    ownership: 'No allocation. Afterwards set ExtraCreateParameter to your (non-empty) ECP list; the list stays yours.',
    pitfalls: ['Call it before touching any field; a structure zeroed by hand has Size 0.', 'Leave DeviceObjectHint NULL when the context goes to FltCreateFileEx2.'],
    docErrors: [C20],
    docUrl: url('IoInitializeDriverCreateContext'),
  },
  {
    ...undocumented,
    name: 'IoGetIrpExtraCreateParameter',
    op: 'getListFromCreate',
    prototype: `NTSTATUS IoGetIrpExtraCreateParameter(
    _In_ PIRP Irp,
    _Outptr_result_maybenull_ struct _ECP_LIST **ExtraCreateParameter);`,
    returnType: 'NTSTATUS',
    params: [irp('_In_'), param('ExtraCreateParameter', 'struct _ECP_LIST **', '_Outptr_result_maybenull_', 'list-out', 'Receives the IRP\'s list, or NULL.')],
    mustInspectResult: false,
    returnCodes: [
      okSet('*ExtraCreateParameter is the list from Irp->UserBuffer, or NULL.'),
      { status: 'STATUS_INVALID_PARAMETER', meaning: 'The IRP is not a create.', fork: true, outValue: 'undefined' },
    ],
    summary: 'Undocumented: reads the ECP list of a create IRP. FsRtlGetEcpListFromIrp is the documented wrapper; prefer it.',
    ownership: 'No transfer: the list belongs to the create.',
    pitfalls: ['Undocumented and without an official page; whether it can be imported from NtosKrnl.lib is unconfirmed.'],
  },
  {
    ...undocumented,
    name: 'IoSetIrpExtraCreateParameter',
    op: 'setListIntoCreate',
    prototype: `NTSTATUS IoSetIrpExtraCreateParameter(
    _Inout_ PIRP Irp,
    _In_ struct _ECP_LIST *ExtraCreateParameter);`,
    returnType: 'NTSTATUS',
    params: [irp('_Inout_'), param('ExtraCreateParameter', 'struct _ECP_LIST *', '_In_', 'list', 'List to attach.')],
    mustInspectResult: false,
    returnCodes: [
      { ...OK, meaning: 'The create now owns the list.' },
      { status: 'STATUS_INVALID_PARAMETER_1', meaning: 'The IRP is not a create. The caller still owns the list.' },
      { status: 'STATUS_INVALID_PARAMETER_2', meaning: 'The IRP already has a list. The caller still owns its list.', fork: true },
    ],
    summary: 'Undocumented: attaches an ECP list to a create IRP. FsRtlSetEcpListIntoIrp is the documented wrapper; prefer it.',
    ownership: 'As FsRtlSetEcpListIntoIrp: on success the create owns the list, on failure the caller does.',
    pitfalls: ['Undocumented; use FsRtlSetEcpListIntoIrp.'],
  },
  {
    ...undocumented,
    name: 'IoClearIrpExtraCreateParameter',
    op: 'clearListFromCreate',
    prototype: `VOID IoClearIrpExtraCreateParameter(
    _Inout_ PIRP Irp);`,
    returnType: 'VOID',
    params: [irp('_Inout_')],
    mustInspectResult: false,
    returnCodes: [],
    summary: 'Undocumented: detaches the ECP list pointer from a create IRP.',
    ownership: 'Whether it frees anything is not established; treat a list you detach as yours again.',
    pitfalls: ['Undocumented; never clear the list of a create you did not build.'],
  },
  {
    ...ioBase,
    name: 'IoGetOplockKeyContext',
    op: 'other',
    prototype: oplockKeyPrototype('POPLOCK_KEY_ECP_CONTEXT', 'IoGetOplockKeyContext'),
    returnType: 'POPLOCK_KEY_ECP_CONTEXT',
    params: [param('FileObject', 'PFILE_OBJECT', '_In_', 'other', 'File object to query.')],
    irqlMax: 'DISPATCH_LEVEL',
    minWindows: WIN7,
    mustInspectResult: false,
    returnCodes: [
      { status: 'non-NULL', meaning: 'The target oplock key captured from the create\'s oplock-key ECP.' },
      { status: 'NULL', meaning: 'The file object has no target oplock key.' },
    ],
    counterpart: null,
    noCounterpartReason: 'Reads data kept on the file object; no list or ECP routine involved.',
    summary: 'Returns the target oplock key (from GUID_ECP_OPLOCK_KEY) kept for a file object. Meant for Windows 7; use IoGetOplockKeyContextEx on Windows 8 and later.',
    ownership: 'The structure belongs to the file object: do not free it.',
    pitfalls: ['Returns only the target key; the parent key needs IoGetOplockKeyContextEx.'],
    docErrors: [C31],
    docUrl: url('IoGetOplockKeyContext'),
  },
  {
    ...ioBase,
    name: 'IoGetOplockKeyContextEx',
    op: 'other',
    prototype: oplockKeyPrototype('POPLOCK_KEY_CONTEXT', 'IoGetOplockKeyContextEx'),
    returnType: 'POPLOCK_KEY_CONTEXT',
    params: [param('FileObject', 'PFILE_OBJECT', '_In_', 'other', 'File object to query.')],
    irqlMax: 'DISPATCH_LEVEL',
    minWindows: WIN8,
    mustInspectResult: false,
    returnCodes: [
      { status: 'non-NULL', meaning: 'OPLOCK_KEY_CONTEXT with the parent and/or target key (check its Flags).' },
      { status: 'NULL', meaning: 'The file object has no oplock keys.' },
    ],
    counterpart: null,
    noCounterpartReason: 'Reads data kept on the file object; no list or ECP routine involved.',
    summary: 'Returns the parent and target oplock keys captured from the oplock-key ECPs (GUID_ECP_DUAL_OPLOCK_KEY or GUID_ECP_OPLOCK_KEY) of the file object\'s create.',
    ownership: 'The structure belongs to the file object: do not free it.',
    pitfalls: ['Test OPLOCK_KEY_FLAG_PARENT_KEY / OPLOCK_KEY_FLAG_TARGET_KEY before reading a key.'],
    docErrors: [],
    docUrl: url('IoGetOplockKeyContextEx'),
  },
];
