/**
 * Context structures of the system-defined ECPs (ntifs.h / ntddk.h, WDK 10.0.22621), field by field.
 * Nested members are listed with a dotted name (e.g. `in.Location`).
 */
import type { TypeInfo } from './types';
import { ddiUrl, SYSTEM_ECPS_URL, VISTA, WIN7, WIN8 } from './build';
import { struct } from './types-info';
import { C15, C17_ATOMIC, C18, C27, C28, C29, C30_CSV_V1, C31 } from './corrections';

const NTIFS = 'ntifs.h';
const ns = (slug: string) => ddiUrl('ntifs', 'ns', slug);

const NETWORK_OPEN_DECL = (name: string, withFlags: boolean) => `typedef struct _${name} {
    USHORT Size;
    USHORT Reserved;
    struct {
        struct {
            NETWORK_OPEN_LOCATION_QUALIFIER Location;
            NETWORK_OPEN_INTEGRITY_QUALIFIER Integrity;${withFlags ? '\n            NETWORK_OPEN_IN_FLAGS Flags;' : ''}
        } in;
        struct {
            NETWORK_OPEN_LOCATION_QUALIFIER Location;
            NETWORK_OPEN_INTEGRITY_QUALIFIER Integrity;${withFlags ? '\n            NETWORK_OPEN_OUT_FLAGS Flags;' : ''}
        } out;
    } DUMMYSTRUCTNAME;
} ${name}, *P${name};`;

const networkOpenFields = (withFlags: boolean): [string, string, string][] => [
  ['Size', 'USHORT', 'Must be sizeof the structure.'],
  ['Reserved', 'USHORT', 'Must be 0.'],
  ['in.Location', 'NETWORK_OPEN_LOCATION_QUALIFIER', 'Requested location: Any 0, Remote 1, Loopback 2.'],
  ['in.Integrity', 'NETWORK_OPEN_INTEGRITY_QUALIFIER', 'Requested integrity: Any 0, None 1, Signed 2, Encrypted 3 (Maximum 4).'],
  ...(withFlags
    ? ([['in.Flags', 'NETWORK_OPEN_IN_FLAGS', 'DISABLE_HANDLE_COLLAPSING 0x1, DISABLE_HANDLE_DURABILITY 0x2, DISABLE_OPLOCKS 0x4 (Win8), REQ_MUTUAL_AUTH 0x8; FORCE_MAX_EOF_HACK 0x40000000 and FORCE_BUFFERED_SYNCHRONOUS_IO_HACK 0x80000000 are internal.']] as [string, string, string][])
    : []),
  ['out.Location', 'NETWORK_OPEN_LOCATION_QUALIFIER', 'Location granted (output).'],
  ['out.Integrity', 'NETWORK_OPEN_INTEGRITY_QUALIFIER', 'Integrity granted (output; not implemented).'],
  ...(withFlags ? ([['out.Flags', 'NETWORK_OPEN_OUT_FLAGS', 'Output: RET_MUTUAL_AUTH 0x8 only.']] as [string, string, string][]) : []),
];

export const systemTypes: TypeInfo[] = [
  {
    ...struct('NETWORK_OPEN_ECP_CONTEXT', NTIFS, 'Windows Vista (Flags: Windows 7)', ns('_network_open_ecp_context'),
      'Context of GUID_ECP_NETWORK_OPEN_CONTEXT: location/integrity restrictions and flags for a network open (28 bytes on x64).', networkOpenFields(true)),
    declaration: NETWORK_OPEN_DECL('NETWORK_OPEN_ECP_CONTEXT', true),
    docErrors: [C18],
  },
  {
    ...struct('NETWORK_OPEN_ECP_CONTEXT_V0', NTIFS, WIN7, ns('_network_open_ecp_context_v0'),
      'Vista layout of the network-open context (no Flags); Windows 7+ drivers use it to read an ECP that came from a Vista system.', networkOpenFields(false)),
    declaration: NETWORK_OPEN_DECL('NETWORK_OPEN_ECP_CONTEXT_V0', false),
  },
  struct('NETWORK_APP_INSTANCE_ECP_CONTEXT', NTIFS, WIN8, ns('_network_app_instance_ecp_context'), 'Context of GUID_ECP_NETWORK_APP_INSTANCE.', [
    ['Size', 'USHORT', 'Must be sizeof the structure.'],
    ['Reserved', 'USHORT', 'Must be 0.'],
    ['AppInstanceID', 'GUID', 'Identifier shared by all opens of one application instance.'],
  ]),
  struct('NETWORK_APP_INSTANCE_VERSION_ECP_CONTEXT', NTIFS, 'Windows 8.1 (NTDDI_WINBLUE)', SYSTEM_ECPS_URL, 'Context of GUID_ECP_NETWORK_APP_INSTANCE_VERSION (no structure page).', [
    ['Size', 'USHORT', 'Must be sizeof the structure.'],
    ['Reserved', 'USHORT', 'Must be 0.'],
    ['VersionHigh', 'UINT64', 'High part of the instance version.'],
    ['VersionLow', 'UINT64', 'Low part of the instance version.'],
  ]),
  struct('PREFETCH_OPEN_ECP_CONTEXT', NTIFS, VISTA, ns('_prefetch_open_ecp_context'), 'Context of GUID_ECP_PREFETCH_OPEN. Reject it when it comes from user mode.', [
    ['Context', 'PVOID', 'Opaque prefetcher context.'],
  ]),
  struct('NFS_OPEN_ECP_CONTEXT', NTIFS, WIN7, ns('_nfs_open_ecp_context'), 'Context of GUID_ECP_NFS_OPEN (read-only).', [
    ['ExportAlias', 'PUNICODE_STRING', 'Share name: a hint, may be NULL or empty.'],
    ['ClientSocketAddress', 'PSOCKADDR_STORAGE_NFS', 'Address of the client that asked for the open.'],
  ], {
    declaration: 'typedef struct _NFS_OPEN_ECP_CONTEXT {\n    PUNICODE_STRING ExportAlias;\n    PSOCKADDR_STORAGE_NFS ClientSocketAddress;\n} NFS_OPEN_ECP_CONTEXT, *PNFS_OPEN_ECP_CONTEXT, **PPNFS_OPEN_ECP_CONTEXT;',
    aliases: ['PNFS_OPEN_ECP_CONTEXT', 'PPNFS_OPEN_ECP_CONTEXT'],
    docErrors: [C27],
  }),
  struct('SRV_OPEN_ECP_CONTEXT', NTIFS, WIN7, ns('_srv_open_ecp_context'), 'Context of GUID_ECP_SRV_OPEN (read-only).', [
    ['ShareName', 'PUNICODE_STRING', 'Share the open came through; may be NULL.'],
    ['SocketAddress', 'PSOCKADDR_STORAGE_NFS', 'Client address; may be NULL.'],
    ['OplockBlockState', 'BOOLEAN', 'The server blocks the open while waiting for an oplock break.'],
    ['OplockAppState', 'BOOLEAN', 'The server requests an oplock with this open.'],
    ['OplockFinalState', 'BOOLEAN', 'This is the final open requesting the oplock.'],
    ['Version', 'USHORT', 'Windows 10 1703+: read only when the ECP size reaches this field.'],
    ['InstanceType', 'SRV_INSTANCE_TYPE', 'Read only when Version >= SRV_OPEN_ECP_CONTEXT_VERSION_2: Undefined 0, Primary 1, Csv 2, SBL 3, SR 4, VSMB 5.'],
  ]),
  struct('OPLOCK_KEY_ECP_CONTEXT', NTIFS, WIN7, 'https://learn.microsoft.com/en-us/windows-hardware/drivers/ifs/oplock-key-ecp-context', 'Context of GUID_ECP_OPLOCK_KEY (Windows 7 form of the oplock key).', [
    ['OplockKey', 'GUID', 'Key shared by handles of one client cache.'],
    ['Reserved', 'ULONG', 'Must be 0.'],
  ], { docErrors: [C28, C31] }),
  struct('DUAL_OPLOCK_KEY_ECP_CONTEXT', NTIFS, WIN8, ns('dual_oplock_key_ecp_context'), 'Context of GUID_ECP_DUAL_OPLOCK_KEY.', [
    ['ParentOplockKey', 'GUID', 'Parent-directory oplock key.'],
    ['TargetOplockKey', 'GUID', 'Target oplock key.'],
    ['ParentOplockKeySet', 'BOOLEAN', 'TRUE when ParentOplockKey is valid.'],
    ['TargetOplockKeySet', 'BOOLEAN', 'TRUE when TargetOplockKey is valid.'],
  ], { docErrors: [C28] }),
  struct('OPLOCK_KEY_CONTEXT', 'ntddk.h', WIN8, ddiUrl('ntddk', 'ns', '_oplock_key_context'), 'Returned by IoGetOplockKeyContextEx: keys captured from the create\'s oplock-key ECP.', [
    ['Version', 'USHORT', 'OPLOCK_KEY_VERSION_WIN7 (1) or OPLOCK_KEY_VERSION_WIN8 (2).'],
    ['Flags', 'USHORT', 'OPLOCK_KEY_FLAG_PARENT_KEY 0x1, OPLOCK_KEY_FLAG_TARGET_KEY 0x2.'],
    ['ParentOplockKey', 'GUID', 'Valid when OPLOCK_KEY_FLAG_PARENT_KEY is set.'],
    ['TargetOplockKey', 'GUID', 'Valid when OPLOCK_KEY_FLAG_TARGET_KEY is set.'],
    ['Reserved', 'ULONG', 'Reserved.'],
  ]),
  struct('RKF_BYPASS_ECP_CONTEXT', NTIFS, WIN8, ns('rkf_bypass_ecp_context'), 'Context of GUID_ECP_RKF_BYPASS.', [
    ['Reserved', 'INT', 'Must be 0.'],
    ['Version', 'INT', 'Must be 0.'],
  ]),
  struct('IO_DEVICE_HINT_ECP_CONTEXT', NTIFS, WIN8, ns('io_device_hint_ecp_context'), 'Context of GUID_ECP_IO_DEVICE_HINT (I/O manager to FltMgr).', [
    ['TargetDevice', 'PDEVICE_OBJECT', 'Device the reparse leads to.'],
    ['RemainingName', 'UNICODE_STRING', 'Rest of the path after the reparse.'],
  ]),
  struct('CSV_DOWN_LEVEL_OPEN_ECP_CONTEXT', NTIFS, WIN8, ns('csv_down_level_open_ecp_context'), 'Context of GUID_ECP_CSV_DOWN_LEVEL_OPEN (sent by CSVFS).', [
    ['Version', 'ULONG', 'CSV_DOWN_LEVEL_OPEN_ECP_CONTEXT_V1 (1).'],
    ['IsResume', 'BOOLEAN', 'TRUE when CSVFS re-establishes state after a pause.'],
    ['FileType', 'CSV_DOWN_LEVEL_FILE_TYPE', 'CsvDownLevelFileObject 0, CsvCsvFsInternalFileObject 1.'],
    ['SourceNodeId', 'ULONG', 'Cluster node that originated the create.'],
    ['DestinationNodeId', 'ULONG', 'Cluster node the create targets.'],
  ], { docErrors: [C30_CSV_V1] }),
  struct('CSV_QUERY_FILE_REVISION_ECP_CONTEXT', NTIFS, WIN8, ns('csv_query_file_revision_ecp_context'), 'Context of GUID_ECP_CSV_QUERY_FILE_REVISION (query-type; outputs valid when acknowledged).', [
    ['FileId', 'LONGLONG', 'Output: file ID.'],
    ['FileRevision[3]', 'LONGLONG', 'Output: revision counters; any 0 means "assume modified".'],
  ]),
  struct('CSV_QUERY_FILE_REVISION_ECP_CONTEXT_FILE_ID_128', NTIFS, WIN8, ns('csv_query_file_revision_ecp_context_file_id_128'), 'Context of GUID_ECP_CSV_QUERY_FILE_REVISION_FILE_ID_128.', [
    ['FileId', 'FILE_ID_128', 'Output: 128-bit file ID.'],
    ['FileRevision[3]', 'LONGLONG', 'Output: revision counters; any 0 means "assume modified".'],
  ]),
  struct('CSV_SET_HANDLE_PROPERTIES_ECP_CONTEXT', NTIFS, WIN8, ns('csv_set_handle_properties_ecp_context'), 'Context of GUID_ECP_CSV_SET_HANDLE_PROPERTIES.', [
    ['Size', 'SIZE_T', 'Must be sizeof the structure.'],
    ['PauseTimeoutInSeconds', 'ULONG', '0xFFFFFFFF default, 0 no pausing, else rounded up to 10 s, at most 30 minutes.'],
    ['Flags', 'ULONG', 'VALID_ONLY_IF_CSV_COORDINATOR 0x1; unknown low-16 bits fail the create.'],
  ]),
  struct('IO_STOP_ON_SYMLINK_FILTER_ECP_v0', NTIFS, 'Windows 10, version 1803', ns('_io_stop_on_symlink_filter_ecp_v0'), 'Context of ECP_TYPE_IO_STOP_ON_SYMLINK_FILTER_GUID.', [
    ['Out.ReparseCount', 'ULONG', 'Output: number of name-grafting reparses.'],
    ['Out.RemainingPathLength', 'ULONG', 'Output: length of the path left after the last reparse.'],
  ], { declaration: 'typedef struct _IO_STOP_ON_SYMLINK_FILTER_ECP_v0 {\n    struct {\n        ULONG ReparseCount;\n        ULONG RemainingPathLength;\n    } Out;\n} IO_STOP_ON_SYMLINK_FILTER_ECP_v0, *PIO_STOP_ON_SYMLINK_FILTER_ECP_v0;' }),
  struct('CREATE_REDIRECTION_ECP_CONTEXT', NTIFS, 'Windows 10 (NTDDI_THRESHOLD)', ns('create_redirection_ecp_context'), 'Context of GUID_ECP_CREATE_REDIRECTION (alias WCIFS_REDIRECTION_ECP_CONTEXT). Query-type: outputs valid when acknowledged.', [
    ['Size', 'USHORT', 'Input: sizeof the structure.'],
    ['Flags', 'USHORT', 'Output: SERVICED_FROM_LAYER 0x1, _SCRATCH 0x2, _REGISTERED_LAYER 0x4, _REMOTE_LAYER 0x8, _USER_MODE 0x10.'],
    ['FileId', 'FILE_ID_128', 'Output: ID of the file that served the create.'],
    ['VolumeGuid', 'GUID', 'Output: volume of that file.'],
  ], { aliases: ['PCREATE_REDIRECTION_ECP_CONTEXT', 'WCIFS_REDIRECTION_ECP_CONTEXT', 'PWCIFS_REDIRECTION_ECP_CONTEXT'], docErrors: [C15] }),
  struct('ATOMIC_CREATE_ECP_CONTEXT', NTIFS, 'Windows 10, version 1607 (header: NTDDI_WIN10_TH2)', ns('_atomic_create_ecp_context'), 'Context of GUID_ECP_ATOMIC_CREATE: operations to perform atomically with the create, and what was done.', [
    ['Size', 'USHORT', 'sizeof the structure.'],
    ['InFlags', 'USHORT', 'ATOMIC_CREATE_ECP_IN_FLAG_* operations requested (BEST_EFFORT 0x100 tolerates partial success).'],
    ['OutFlags', 'USHORT', 'ATOMIC_CREATE_ECP_OUT_FLAG_* operations performed.'],
    ['ReparseBufferLength', 'USHORT', 'Length of ReparseBuffer (<= 16 KB).'],
    ['ReparseBuffer', 'PREPARSE_DATA_BUFFER', 'Reparse point to set.'],
    ['FileSize', 'LONGLONG', 'End of file to set.'],
    ['ValidDataLength', 'LONGLONG', 'Valid data length to set (may need privilege).'],
    ['FileTimestamps', 'PFILE_TIMESTAMPS', 'Timestamps to set or returned.'],
    ['FileAttributes', 'ULONG', 'Attributes to set or returned.'],
    ['UsnSourceInfo', 'ULONG', 'USN source info to mark.'],
    ['Usn', 'USN', 'USN returned.'],
    ['SuppressFileAttributeInheritanceMask', 'ULONG', 'Attributes not to inherit.'],
    ['InOpFlags', 'ULONG', 'IN_OP_FLAG_CASE_SENSITIVE_FLAGS_SPECIFIED 0x1.'],
    ['OutOpFlags', 'ULONG', 'OUT_OP_FLAG_CASE_SENSITIVE_FLAGS_SET 0x1.'],
    ['InGenFlags', 'ULONG', 'Generic input flags (with GEN_FLAGS_SPECIFIED).'],
    ['OutGenFlags', 'ULONG', 'Generic output flags.'],
    ['CaseSensitiveFlagsMask', 'ULONG', 'Case-sensitivity bits to change.'],
    ['InCaseSensitiveFlags', 'ULONG', 'Case-sensitivity values requested.'],
    ['OutCaseSensitiveFlags', 'ULONG', 'Case-sensitivity values set.'],
  ], { docErrors: [C17_ATOMIC] }),
  struct('ECP_OPEN_PARAMETERS', NTIFS, 'Windows 10, version 1709', ns('_ecp_open_parameters'), 'Context of GUID_ECP_OPEN_PARAMETERS.', [
    ['Size', 'USHORT', 'sizeof the structure.'],
    ['Reserved', 'USHORT', 'Must be 0.'],
    ['Flags', 'ULONG', 'OPEN_FOR_READ 0x1, OPEN_FOR_WRITE 0x2, OPEN_FOR_DELETE 0x4, IGNORE_DIR_CASE_SENSITIVITY 0x8, FAIL_ON_CASE_SENSITIVE_DIR 0x10.'],
  ]),
  struct('QUERY_ON_CREATE_ECP_CONTEXT', NTIFS, 'Windows 10, version 1809', ns('_query_on_create_ecp_context'), 'Context of GUID_ECP_QUERY_ON_CREATE. Internal and release-specific: never build or size it yourself.', [
    ['RequestedClasses', 'ULONG', 'QoCFile* classes requested.'],
    ['ClassesProcessed', 'ULONG', 'Classes the file system handled.'],
    ['ClassesWithErrors', 'ULONG', 'Classes that failed.'],
    ['ClassesWithNoData', 'ULONG', 'Classes with nothing to return.'],
    ['StatInformation', 'QUERY_ON_CREATE_FILE_STAT_INFORMATION', 'Stat data.'],
    ['LxInformation', 'QUERY_ON_CREATE_FILE_LX_INFORMATION', 'Linux-style data.'],
    ['EaInformation', 'QUERY_ON_CREATE_EA_INFORMATION', 'Extended attributes (buffer freed by FltMgr with the ECP).'],
  ], { docErrors: [C29] }),
  struct('VETO_BINDING_ECP_CONTEXT', NTIFS, 'Windows 11, version 24H2', 'https://learn.microsoft.com/en-us/windows-hardware/drivers/ifs/vetoing-a-bind-link', 'Context of GUID_ECP_TYPE_VETO_BINDING (not in the 10.0.22621 headers).', [
    ['ShouldVetoBinding', 'BOOLEAN', 'Set to TRUE to veto the bind link.'],
  ]),
  struct('CREATE_USER_PROCESS_ECP_CONTEXT', 'ntddk.h', 'Windows 10 (NTDDI_WINTHRESHOLD)', null, 'Context of GUID_ECP_CREATE_USER_PROCESS.', [
    ['Size', 'USHORT', 'sizeof the structure.'],
    ['Reserved', 'USHORT', 'Reserved.'],
    ['AccessToken', 'PACCESS_TOKEN', 'Token of the process being created.'],
  ]),
];
