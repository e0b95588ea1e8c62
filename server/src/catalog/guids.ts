/**
 * System-defined ECP types (values from ntifs.h / fltKernel.h / ntddk.h, WDK 10.0.22621).
 * usage: 'informational' — put on creates by the system or a server; filters read it and must not
 * attach or alter it; 'query' — a requester attaches it to its own create and reads results back
 * when acknowledged; 'internal' — system use only.
 */
import type { GuidInfo } from './types';
import { ddiUrl, SYSTEM_ECPS_URL, WIN7, WIN8 } from './build';
import { C15, C16, C17_ATOMIC, C17_REPARSE_TYPES, C18, C27, C28, C29, C30_APP_INSTANCE_VERSION, C30_CSV_V1, C31 } from './corrections';

const NTIFS = 'ntifs.h';
const ns = (slug: string) => ddiUrl('ntifs', 'ns', slug);
const READ_ONLY = 'Read-only for filters: never modify it or attach it yourself.';
const ACK = 'Read the output fields only if Flt/FsRtlIsEcpAcknowledged says the ECP was acknowledged.';

export const guidList: GuidInfo[] = [
  {
    name: 'GUID_ECP_NETWORK_OPEN_CONTEXT', value: 'c584edbf-00df-4d28-b884-35baca8911e8', structure: 'NETWORK_OPEN_ECP_CONTEXT',
    header: NTIFS, minWindows: 'Windows Vista (Flags members: Windows 7)', usage: 'informational',
    doc: 'Network open restrictions (location, integrity, in/out flags) understood by the redirectors. A requester may put it on its own create; filters treat one coming from above as read-only.',
    rules: ['Size must equal sizeof(NETWORK_OPEN_ECP_CONTEXT) and Reserved 0; the SMB redirector rejects other values with STATUS_INVALID_PARAMETER.', 'On Windows 7+, interpret an ECP that originated on Vista with the NETWORK_OPEN_ECP_CONTEXT_V0 layout.', ACK],
    docUrl: ns('_network_open_ecp_context'), docErrors: [C16, C18],
  },
  {
    name: 'GUID_ECP_NETWORK_APP_INSTANCE', value: '6aa6bc45-a7ef-4af7-9008-fa462e144d74', structure: 'NETWORK_APP_INSTANCE_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN8, usage: 'informational',
    doc: 'Application instance ID used by cluster client failover: a create with the same ID on another node can take over the previous instance\'s handles.',
    rules: ['Size = sizeof(NETWORK_APP_INSTANCE_ECP_CONTEXT), Reserved = 0.', READ_ONLY],
    docUrl: ns('_network_app_instance_ecp_context'),
  },
  {
    name: 'GUID_ECP_NETWORK_APP_INSTANCE_VERSION', value: 'b7d082b9-563b-4f07-a07b-524a8116a010', structure: 'NETWORK_APP_INSTANCE_VERSION_ECP_CONTEXT',
    header: NTIFS, minWindows: 'Windows 8.1 (NTDDI_WINBLUE; no structure page)', usage: 'informational',
    doc: 'Version (high/low 64-bit) of an application instance, for failover ordering.',
    rules: ['Only meaningful together with a GUID_ECP_NETWORK_APP_INSTANCE ECP on the same create.', READ_ONLY],
    docUrl: SYSTEM_ECPS_URL, docErrors: [C30_APP_INSTANCE_VERSION],
  },
  {
    name: 'GUID_ECP_PREFETCH_OPEN', value: 'e1777b21-847e-4837-aa45-64161d280655', structure: 'PREFETCH_OPEN_ECP_CONTEXT',
    header: NTIFS, minWindows: 'Windows Vista', usage: 'informational',
    doc: 'Marks a create issued by the prefetcher.',
    rules: [
      'Ignore it when Flt/FsRtlIsEcpFromUserMode is TRUE (spoofing).',
      'Never block or add I/O on prefetcher opens; pass them through.',
      'Track prefetcher file objects yourself (e.g. a stream-handle context) and stop treating the file object as the prefetcher\'s after its cleanup; paging writes may still arrive on it.',
      READ_ONLY,
    ],
    docUrl: ns('_prefetch_open_ecp_context'),
  },
  {
    name: 'GUID_ECP_NFS_OPEN', value: 'f326d30c-e5f8-4fe7-ab74-f5a3196d92db', structure: 'NFS_OPEN_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN7, usage: 'informational',
    doc: 'Put on creates by the NFS server: export alias (a hint; may be NULL or empty) and client address.',
    rules: [READ_ONLY], docUrl: ns('_nfs_open_ecp_context'), docErrors: [C27],
  },
  {
    name: 'GUID_ECP_SRV_OPEN', value: 'bebfaebc-aabf-489d-9d2c-e9e361102853', structure: 'SRV_OPEN_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN7, usage: 'informational',
    doc: 'Put on creates by the SMB server: share name, client address, oplock state; Version and InstanceType from Windows 10 1703.',
    rules: ['Read Version only when the ECP size >= RTL_SIZEOF_THROUGH_FIELD(SRV_OPEN_ECP_CONTEXT, Version); read InstanceType only when Version >= SRV_OPEN_ECP_CONTEXT_VERSION_2.', 'Not every server create carries it.', READ_ONLY],
    docUrl: ns('_srv_open_ecp_context'),
  },
  {
    name: 'GUID_ECP_OPLOCK_KEY', value: '48850596-3050-4be7-9863-fec350ce8d7f', structure: 'OPLOCK_KEY_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN7, usage: 'informational',
    doc: 'Oplock key of a create (Windows 7 form). A caller may supply it to its own IoCreateFileEx; filters must not alter one coming from above.',
    rules: ['Reserved = 0.', 'Use GUID_ECP_DUAL_OPLOCK_KEY on Windows 8 and later.'],
    docUrl: 'https://learn.microsoft.com/en-us/windows-hardware/drivers/ifs/oplock-key-ecp-context', docErrors: [C16, C28, C31],
  },
  {
    name: 'GUID_ECP_DUAL_OPLOCK_KEY', value: '41621a14-b08b-4df1-b676-a05ffdf01bea', structure: 'DUAL_OPLOCK_KEY_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN8, usage: 'informational',
    doc: 'Parent and target oplock keys of a create; each key is valid only when its *KeySet BOOLEAN is TRUE.',
    rules: ['Filters must not alter one coming from above.'], docUrl: ns('dual_oplock_key_ecp_context'), docErrors: [C28],
  },
  {
    name: 'GUID_ECP_RKF_BYPASS', value: '02378cc6-f73c-489c-8282-564d1a99131b', structure: 'RKF_BYPASS_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN8, usage: 'query',
    doc: 'Opens a handle that bypasses the Resume Key Filter; RKF acknowledges the ECP when it honours it.',
    rules: ['Reserved and Version must be 0.', 'Such a handle must not change file state that RKF protects.'],
    docUrl: ns('rkf_bypass_ecp_context'),
  },
  {
    name: 'GUID_ECP_IO_DEVICE_HINT', value: 'f315b732-ac6b-4d4d-be0c-b3126490e1a3', structure: 'IO_DEVICE_HINT_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN8, usage: 'internal',
    doc: 'Passed by the I/O manager to the filter manager when a reparse leads to another device (target device and remaining name).',
    rules: ['System use only.'], docUrl: ns('io_device_hint_ecp_context'),
  },
  {
    name: 'GUID_ECP_CSV_DOWN_LEVEL_OPEN', value: '4248be44-647f-488f-8be5-a08aaf70f028', structure: 'CSV_DOWN_LEVEL_OPEN_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN8, usage: 'informational',
    doc: 'Sent by CSVFS on creates it issues to the underlying file system: resume flag, file type, source and destination node.',
    rules: ['Version = CSV_DOWN_LEVEL_OPEN_ECP_CONTEXT_V1 (1).', READ_ONLY],
    docUrl: ns('csv_down_level_open_ecp_context'), docErrors: [C30_CSV_V1],
  },
  {
    name: 'GUID_ECP_CSV_QUERY_FILE_REVISION', value: '44aec90b-de65-4d46-8fbf-763f9d970b1d', structure: 'CSV_QUERY_FILE_REVISION_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN8, usage: 'query',
    doc: 'Asks CSVFS for a file\'s ID and revision numbers (e.g. to skip rescanning an unchanged file). Attach in pre-create, read in post-create.',
    rules: [ACK, 'If any FileRevision element is 0, assume the file changed.'],
    docUrl: ns('csv_query_file_revision_ecp_context'), docErrors: [C16],
  },
  {
    name: 'GUID_ECP_CSV_QUERY_FILE_REVISION_FILE_ID_128', value: '7a3a4aa1-aa74-4bc6-b070-ab56a38c1fed', structure: 'CSV_QUERY_FILE_REVISION_ECP_CONTEXT_FILE_ID_128',
    header: NTIFS, minWindows: WIN8, usage: 'query',
    doc: 'As GUID_ECP_CSV_QUERY_FILE_REVISION, with a 128-bit file ID.',
    rules: [ACK, 'If any FileRevision element is 0, assume the file changed.'],
    docUrl: ns('csv_query_file_revision_ecp_context_file_id_128'), docErrors: [C16],
  },
  {
    name: 'GUID_ECP_CSV_SET_HANDLE_PROPERTIES', value: '7a9fdd94-7b58-42bb-9740-3cb86983a615', structure: 'CSV_SET_HANDLE_PROPERTIES_ECP_CONTEXT',
    header: NTIFS, minWindows: WIN8, usage: 'query',
    doc: 'Sets CSV handle properties at open: pause timeout (0xFFFFFFFF default, 0 never pause, else rounded up to 10 s, at most 30 min) and flags.',
    rules: ['Unknown flags in the low 16 bits fail the create with STATUS_INVALID_PARAMETER; unknown high 16 bits are ignored.', 'Size = sizeof(CSV_SET_HANDLE_PROPERTIES_ECP_CONTEXT).'],
    docUrl: ns('csv_set_handle_properties_ecp_context'),
  },
  {
    name: 'ECP_TYPE_OPEN_REPARSE_GUID', value: '323eb6a8-affd-4d95-8230-863bce09d37a', structure: 'OPEN_REPARSE_LIST',
    header: NTIFS, minWindows: 'Windows 10, version 1607 (header: NTDDI_WINBLUE)', usage: 'query',
    doc: 'List of reparse tags the file system should open directly instead of reparsing.',
    rules: ['Minifilters manage it with FltAddOpenReparseEntry / FltRemoveOpenReparseEntry and FltCopyOpenReparseList / FltFreeOpenReparseList rather than by hand.'],
    docUrl: ns('_open_reparse_list'), docErrors: [C17_REPARSE_TYPES],
  },
  {
    name: 'ECP_TYPE_IO_STOP_ON_SYMLINK_FILTER_GUID', value: '940e5d56-1646-4d3c-87b6-577ec36a1466', structure: 'IO_STOP_ON_SYMLINK_FILTER_ECP_v0',
    header: NTIFS, minWindows: 'Windows 10, version 1803', usage: 'query',
    doc: 'With IO_STOP_ON_SYMLINK: a zero-length context, or one with only Out, limits stopping to IO_REPARSE_TAG_SYMLINK; Out reports the reparse count and remaining path length.',
    rules: ['Only meaningful with the IO_STOP_ON_SYMLINK create option.'],
    docUrl: ns('_io_stop_on_symlink_filter_ecp_v0'),
  },
  {
    name: 'ECP_TYPE_CLFS_CREATE_CONTAINER', value: '8650c9fe-0cec-8bf6-bd1e-835956541090', structure: null,
    header: NTIFS, minWindows: 'Windows 10 (NTDDI_THRESHOLD)', usage: 'internal',
    doc: 'Sent to NTFS to insert a CLFS container during mount. No public context structure.',
    rules: ['System use only.'], docUrl: SYSTEM_ECPS_URL, docErrors: [C15],
  },
  {
    name: 'GUID_ECP_CREATE_REDIRECTION', value: '188d6bd6-a126-4fa8-bdf2-1ccdf896f3e0', structure: 'CREATE_REDIRECTION_ECP_CONTEXT',
    header: NTIFS, minWindows: 'Windows 10 (NTDDI_THRESHOLD)', usage: 'query',
    doc: 'Asks the container layering filter where a create was served from (layer, scratch, registered or remote layer, user mode). Alias: GUID_ECP_WCIFS_REDIRECTION.',
    rules: ['The caller sets Size; Flags, FileId and VolumeGuid are outputs.', ACK],
    docUrl: ns('create_redirection_ecp_context'), docErrors: [C15, C16],
  },
  {
    name: 'GUID_ECP_ATOMIC_CREATE', value: '4720bd83-52ac-4104-a130-d1ec6a8cc8e5', structure: 'ATOMIC_CREATE_ECP_CONTEXT',
    header: NTIFS, minWindows: 'Windows 10, version 1607 (header: NTDDI_WIN10_TH2)', usage: 'query',
    doc: 'Performs extra operations atomically with the create (sparse, reparse point, EOF, VDL, timestamps, attributes, USN…) and reports which were done.',
    rules: ['Without ATOMIC_CREATE_ECP_IN_FLAG_BEST_EFFORT the file system should fail the create if any requested operation cannot be done.', 'ReparseBufferLength <= 16 KB; setting VDL may need privilege.', ACK],
    docUrl: ns('_atomic_create_ecp_context'), docErrors: [C17_ATOMIC],
  },
  {
    name: 'GUID_ECP_OPEN_PARAMETERS', value: 'cd0a93c3-3bb7-463d-accb-969d3435a5a5', structure: 'ECP_OPEN_PARAMETERS',
    header: NTIFS, minWindows: 'Windows 10, version 1709', usage: 'query',
    doc: 'Tells the file system what the open is really for (read, write, delete, case-sensitivity handling) so a filter\'s own open can avoid lock and oplock conflicts.',
    rules: ['Size = sizeof(ECP_OPEN_PARAMETERS), Reserved = 0.'],
    docUrl: ns('_ecp_open_parameters'), docErrors: [C16],
  },
  {
    name: 'GUID_ECP_QUERY_ON_CREATE', value: '1aca62e9-abb4-4ff2-bb5c-1c79025e417f', structure: 'QUERY_ON_CREATE_ECP_CONTEXT',
    header: NTIFS, minWindows: 'Windows 10, version 1809', usage: 'internal',
    doc: 'Carries the file-information request of FltRequestFileInfoOnCreateCompletion. Reserved for system use.',
    rules: ['Never build it yourself; use FltRequestFileInfoOnCreateCompletion and FltRetrieveFileInfoOnCreateCompletion(Ex).', 'The filter manager frees the EA buffer the file system allocated when the ECP is freed.'],
    docUrl: ns('_query_on_create_ecp_context'), docErrors: [C29],
  },
  {
    name: 'GUID_ECP_CLOUDFILES_ATTRIBUTION', value: '2932ff52-8378-4fc1-8edb-6bdc8f602709', structure: null,
    header: NTIFS, minWindows: 'Windows 10, version 2004 (NTDDI_WIN10_VB)', usage: 'internal',
    doc: 'Cloud-files attribution on VAIL (header comment). No public structure.',
    rules: ['System use only.'], docUrl: null,
  },
  {
    name: 'GUID_ECP_TYPE_VETO_BINDING', value: null, structure: 'VETO_BINDING_ECP_CONTEXT',
    header: NTIFS, minWindows: 'Windows 11, version 24H2 (pre-release documentation)', usage: 'query',
    doc: 'Arrives on the IRP_MJ_QUERY_OPEN that BindFlt sends for CreateBindLink; a minifilter below BindFlt sets ShouldVetoBinding = TRUE to refuse the bind link (boot partition only).',
    rules: ['Only the ShouldVetoBinding output may be written.'],
    docUrl: 'https://learn.microsoft.com/en-us/windows-hardware/drivers/ifs/vetoing-a-bind-link',
    valueNote: 'Not in the WDK 10.0.22621 headers; the value is unconfirmed.',
  },
  {
    name: 'GUID_ECP_FLT_CREATEFILE_TARGET', value: 'ce08041d-f411-447f-b70d-ccee45c23fac', structure: 'FLT_CREATEFILE_TARGET_ECP_CONTEXT',
    header: 'fltkernel.h', minWindows: WIN8, usage: 'query',
    doc: 'Put on a FltCreateFileEx2 list to learn where a reparse to another volume leads, or (FLTTCFL_AUTO_REPARSE) to let FltMgr retarget the create to this filter\'s instance there. Not on the system-defined ECPs page.',
    rules: [ACK, 'When acknowledged, dereference non-NULL Instance and Volume (FltObjectDereference) and release FileNameInformation (FltReleaseFileNameInformation).'],
    docUrl: ddiUrl('fltkernel', 'ns', '_flt_createfile_target_ecp_context'),
  },
  {
    name: 'GUID_ECP_CREATE_USER_PROCESS', value: 'e0e429ff-6ddc-4e65-aab6-45d05a038a08', structure: 'CREATE_USER_PROCESS_ECP_CONTEXT',
    header: 'ntddk.h', minWindows: 'Windows 10 (NTDDI_WINTHRESHOLD)', usage: 'informational',
    doc: 'Carries the access token of a process being created, so licensing and anti-malware components can decide whether it may launch. Not on the system-defined ECPs page.',
    rules: [READ_ONLY], docUrl: null,
  },
  {
    name: 'IopSymlinkECPGuid', value: '73d5118a-88ba-439f-92f4-46d38952d250', structure: null,
    header: '(none: undocumented)', minWindows: 'unknown', usage: 'internal',
    doc: 'Undocumented kernel symbolic-link ECP, seen in third-party file-system source. Do not rely on it.',
    rules: ['Undocumented; layout and meaning may change.'], docUrl: null,
  },
  {
    name: 'GUID_ECP_FILTER_DEVICE_TYPE', value: null, structure: null,
    header: '(none: undocumented)', minWindows: 'unknown', usage: 'internal',
    doc: 'Undocumented ECP; the kernel rejects it when it comes from user mode. Do not rely on it.',
    rules: ['Undocumented.'], docUrl: null,
    valueNote: 'Not published in any header examined.',
  },
];

