/**
 * ECP types: the opaque list and header, IO_DRIVER_CREATE_CONTEXT field by field, the cleanup
 * callback, the three flag typedefs, the macros ECP code meets, FLT_CREATEFILE_TARGET_ECP_CONTEXT
 * and OPEN_REPARSE_LIST(_ENTRY). The system ECP context structures are in types-system.ts.
 */
import type { FieldInfo, TypeInfo } from './types';
import { ddiUrl, VISTA, WIN7, WIN8 } from './build';
import { C5_CONTEXT, C11, C17_REPARSE_TYPES, C21 } from './corrections';

type F = [name: string, type: string, doc: string];
const fields = (list: F[]): FieldInfo[] => list.map(([name, type, doc]) => ({ name, type, doc }));

/** A plain structure whose declaration follows directly from its fields. */
export function struct(
  name: string,
  header: string,
  minWindows: string,
  docUrl: string | null,
  doc: string,
  list: F[],
  extra: Partial<TypeInfo> = {},
): TypeInfo {
  const body = list.map(([n, t]) => `    ${t.endsWith('*') ? t : `${t} `}${n};`).join('\n');
  return {
    name,
    kind: 'struct',
    declaration: `typedef struct _${name} {\n${body}\n} ${name}, *P${name};`,
    aliases: [`P${name}`],
    fields: fields(list),
    header,
    minWindows,
    doc,
    docUrl,
    ...extra,
  };
}

function macro(name: string, declaration: string, header: string, minWindows: string, doc: string): TypeInfo {
  return { name, kind: 'macro', declaration, aliases: [], fields: [], header, minWindows, doc, docUrl: null };
}

function flagsTypedef(name: string, doc: string): TypeInfo {
  return { name, kind: 'flags-typedef', declaration: `typedef ULONG ${name};`, aliases: [], fields: [], header: 'ntifs.h', minWindows: VISTA, doc, docUrl: null };
}

export const coreTypes: TypeInfo[] = [
  {
    name: 'ECP_LIST',
    kind: 'opaque',
    declaration: 'typedef struct _ECP_LIST ECP_LIST;\ntypedef struct _ECP_LIST *PECP_LIST;',
    aliases: ['PECP_LIST', '_ECP_LIST'],
    fields: [],
    header: 'ntifs.h',
    minWindows: VISTA,
    doc: 'Opaque list of ECPs (at most one per GUID) attached to a create. Obtain one only from Flt/FsRtlAllocateExtraCreateParameterList (or from a create), free it only with the matching Free…List. Internally (x64, undocumented): signature \'EcpL\', flags, LIST_ENTRY — 24 bytes.',
    docUrl: null,
  },
  {
    name: 'ECP_HEADER',
    kind: 'opaque',
    declaration: 'typedef struct _ECP_HEADER ECP_HEADER;\ntypedef struct _ECP_HEADER *PECP_HEADER;',
    aliases: ['PECP_HEADER', '_ECP_HEADER'],
    fields: [],
    header: 'ntifs.h',
    minWindows: WIN7,
    doc: 'Opaque header that precedes every ECP context (72 bytes on x64 in the builds examined: signature \'EcpH\', links, GUID, cleanup callback, flags, size, lookaside, filter). Public only for FsRtlInitializeExtraCreateParameter. Never free an ECP pointer with ExFreePool: the block starts at the header.',
    docUrl: null,
  },
  {
    name: 'IO_DRIVER_CREATE_CONTEXT',
    kind: 'struct',
    declaration: `typedef struct _IO_DRIVER_CREATE_CONTEXT {
    CSHORT Size;
    struct _ECP_LIST *ExtraCreateParameter;
    PVOID DeviceObjectHint;
    PTXN_PARAMETER_BLOCK TxnParameters;
#if (NTDDI_VERSION >= NTDDI_WIN10_RS1)
    PESILO SiloContext;
#endif
} IO_DRIVER_CREATE_CONTEXT, *PIO_DRIVER_CREATE_CONTEXT;`,
    aliases: ['PIO_DRIVER_CREATE_CONTEXT', '_IO_DRIVER_CREATE_CONTEXT'],
    fields: fields([
      ['Size', 'CSHORT', 'Set by IoInitializeDriverCreateContext to sizeof the structure (x64: 40 with SiloContext, 32 without); treat as read-only. It tells the I/O manager which fields exist.'],
      ['ExtraCreateParameter', 'struct _ECP_LIST *', 'The ECP list to send, or NULL. Must hold at least one ECP (an empty list bug-checks 0x10C/0x15). The list stays the caller\'s: free it after the create.'],
      ['DeviceObjectHint', 'PVOID', 'IoCreateFileEx only: send the create to this device (a legacy filter or the file system in the volume\'s stack) and below. Must be NULL with FltCreateFileEx2, which uses Instance.'],
      ['TxnParameters', 'PTXN_PARAMETER_BLOCK', 'Transaction to open the file in (from IoGetTransactionParameterBlock), or NULL.'],
      ['SiloContext', 'PESILO', 'Windows 10 1607+: the silo the file belongs to. IoInitializeDriverCreateContext sets IO_USE_AMBIENT_SILO when compiled for NTDDI_WIN10_RS1 or later.'],
    ]),
    header: 'ntddk.h (include Ntddk.h, Ntifs.h or FltKernel.h)',
    minWindows: VISTA,
    doc: 'Extra inputs of FltCreateFileEx2 and IoCreateFileEx: ECP list, device hint, transaction, silo. May live on the stack or in paged or non-paged memory. Always initialise it with IoInitializeDriverCreateContext.',
    docUrl: ddiUrl('ntddk', 'ns', '_io_driver_create_context'),
    docErrors: [C5_CONTEXT, C21],
  },
  {
    name: 'PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK',
    kind: 'callback',
    declaration: `typedef VOID (*PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK)(
    _Inout_ PVOID EcpContext,
    _In_ LPCGUID EcpType);`,
    aliases: [],
    fields: fields([
      ['EcpContext', 'PVOID', 'The context about to be freed; still readable.'],
      ['EcpType', 'LPCGUID', 'Points at the ECP\'s own stored GUID.'],
    ]),
    header: 'ntifs.h (include Ntifs.h or FltKernel.h)',
    minWindows: VISTA,
    doc: 'Optional callback given to Flt/FsRtlAllocateExtraCreateParameter(FromLookasideList) and FsRtlInitializeExtraCreateParameter. Called exactly once per ECP, synchronously, by whatever frees it (explicit free, list free or the I/O manager after a create), before the memory goes. Release what the context references — never the context itself, and never block: it can run at APC_LEVEL.',
    docUrl: ddiUrl('ntifs', 'nc', 'pfsrtl_extra_create_parameter_cleanup_callback'),
    docErrors: [C11],
  },
  flagsTypedef('FSRTL_ALLOCATE_ECPLIST_FLAGS', 'Flags of Flt/FsRtlAllocateExtraCreateParameterList: FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA (0x1) only.'),
  flagsTypedef('FSRTL_ALLOCATE_ECP_FLAGS', 'Flags of the ECP allocators: FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA (0x1), FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL (0x2).'),
  flagsTypedef('FSRTL_ECP_LOOKASIDE_FLAGS', 'Flags of the ECP lookaside init/delete routines: FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL (0x2).'),
  macro('IO_USE_AMBIENT_SILO', '#define IO_USE_AMBIENT_SILO ((PESILO)1)', 'ntddk.h', 'Windows 10, version 1607', 'SiloContext value meaning "the caller\'s current silo"; set by IoInitializeDriverCreateContext when compiled for NTDDI_WIN10_RS1+.'),
  macro('IRP_CREATE_OPERATION', '#define IRP_CREATE_OPERATION 0x00000080', 'wdm.h', 'Windows 2000', 'Irp->Flags bit marking a create IRP; the Io/FsRtl get/set-list routines refuse IRPs without it.'),
  macro('IO_DRIVER_CREATE_CONTEXT_IS_MIN_SIZE', '#define IO_DRIVER_CREATE_CONTEXT_IS_MIN_SIZE(DriverContext) (DriverContext->Size >= (FIELD_OFFSET(IO_DRIVER_CREATE_CONTEXT, TxnParameters) + sizeof(DriverContext->TxnParameters)))', 'ntddk.h', VISTA, 'True when the structure is at least the pre-silo size (through TxnParameters).'),
  macro('IO_DRIVER_CREATE_CONTEXT_CONTAINS_SILO_CONTEXT', '#define IO_DRIVER_CREATE_CONTEXT_CONTAINS_SILO_CONTEXT(DriverContext) (DriverContext->Size >= (FIELD_OFFSET(IO_DRIVER_CREATE_CONTEXT, SiloContext) + sizeof(DriverContext->SiloContext)))', 'ntddk.h', 'Windows 10, version 1607', 'True when the structure includes SiloContext.'),
  macro('IO_FORCE_ACCESS_CHECK', '#define IO_FORCE_ACCESS_CHECK 0x0001', 'wdm.h', VISTA, 'IoCreateFileEx Options / FltCreateFileEx2 Flags: check access as for a user-mode caller. Not an ECP flag.'),
  macro('IO_OPEN_TARGET_DIRECTORY', '#define IO_OPEN_TARGET_DIRECTORY 0x0004', 'wdm.h', VISTA, 'Create option bit: open the parent directory of the named file. Not an ECP flag.'),
  macro('IO_STOP_ON_SYMLINK', '#define IO_STOP_ON_SYMLINK 0x0008', 'wdm.h', VISTA, 'Create option bit: stop at a symbolic link and return STATUS_STOPPED_ON_SYMLINK (the caller frees the returned reparse buffer). Narrow it with ECP_TYPE_IO_STOP_ON_SYMLINK_FILTER_GUID.'),
  macro('IO_IGNORE_SHARE_ACCESS_CHECK', '#define IO_IGNORE_SHARE_ACCESS_CHECK 0x0800', 'wdm.h', VISTA, 'Create option bit: skip the share-access check. Not an ECP flag.'),
  macro('FLTTCFL_AUTO_REPARSE', '#define FLTTCFL_AUTO_REPARSE 0x0001', 'fltkernel.h', WIN8, 'FLT_CREATEFILE_TARGET_ECP_CONTEXT.Flags: let FltMgr retarget the create to this filter\'s instance on the new volume.'),
  macro('FLT_MAX_DEVICE_REPARSE_ATTEMPTS', '#define FLT_MAX_DEVICE_REPARSE_ATTEMPTS 64', 'fltkernel.h', WIN8, 'Limit on cross-device reparses FltCreateFileEx2 follows with GUID_ECP_FLT_CREATEFILE_TARGET.'),
  {
    ...struct(
      'FLT_CREATEFILE_TARGET_ECP_CONTEXT',
      'fltkernel.h',
      WIN8,
      ddiUrl('fltkernel', 'ns', '_flt_createfile_target_ecp_context'),
      'Context of GUID_ECP_FLT_CREATEFILE_TARGET: tells a FltCreateFileEx2 caller where a reparse to another volume led, or (FLTTCFL_AUTO_REPARSE) lets FltMgr follow it. Check acknowledgement; then release the references it returns.',
      [
        ['Instance', 'PFLT_INSTANCE', 'Output: referenced instance of the filter on the target volume, or NULL. FltObjectDereference it.'],
        ['Volume', 'PFLT_VOLUME', 'Output: referenced target volume, or NULL. FltObjectDereference it.'],
        ['FileNameInformation', 'PFLT_FILE_NAME_INFORMATION', 'Output: name on the target volume, or NULL. FltReleaseFileNameInformation it.'],
        ['Flags', 'FLT_CREATEFILE_TARGET_FLAGS', 'Input: 0 (return after filling the target) or FLTTCFL_AUTO_REPARSE.'],
      ],
    ),
  },
  struct(
    'OPEN_REPARSE_LIST',
    'ntifs.h',
    'Windows 10, version 1607 (header: NTDDI_WINBLUE)',
    ddiUrl('ntifs', 'ns', '_open_reparse_list'),
    'Context of ECP_TYPE_OPEN_REPARSE_GUID: head of the list of OPEN_REPARSE_LIST_ENTRY items. Minifilters use FltAddOpenReparseEntry and friends instead of building it.',
    [['OpenReparseList', 'LIST_ENTRY', 'Head of the OPEN_REPARSE_LIST_ENTRY list.']],
    { docErrors: [C17_REPARSE_TYPES] },
  ),
  struct(
    'OPEN_REPARSE_LIST_ENTRY',
    'ntifs.h',
    'Windows 10, version 1607 (header: NTDDI_WINBLUE)',
    ddiUrl('ntifs', 'ns', '_open_reparse_list_entry'),
    'One reparse tag (and optional GUID) the file system should open directly instead of reparsing, with conditions in Flags: TAG_ENCOUNTERED 0x1, REPARSE_IF_CHILD_EXISTS 0x2, _CHILD_NOT_EXISTS 0x4, _DIRECTORY_FINAL_COMPONENT 0x8, _NON_DIRECTORY_NON_FINAL_COMPONENT 0x10, _NON_DIRECTORY_FINAL_COMPONENT 0x20, OVERRIDE_CREATE_OPTION 0x40, RETURN_REPARSE_DATA_BUFFER 0x80 (combination REPARSE_ALWAYS 0x7E).',
    [
      ['OpenReparseListEntry', 'LIST_ENTRY', 'Links in the OPEN_REPARSE_LIST.'],
      ['ReparseTag', 'ULONG', 'Reparse tag to open directly.'],
      ['Flags', 'ULONG', 'OPEN_REPARSE_POINT_* conditions.'],
      ['ReparseGuid', 'GUID', 'GUID of a third-party reparse point, when relevant.'],
      ['Size', 'USHORT', 'Valid only with OPEN_REPARSE_POINT_VERSION_EX (0x80000000) in Flags.'],
      ['RemainingLength', 'USHORT', 'Valid only with OPEN_REPARSE_POINT_VERSION_EX.'],
    ],
    { docErrors: [C17_REPARSE_TYPES] },
  ),
];
