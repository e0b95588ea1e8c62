/**
 * Every NTSTATUS the catalogued routines document or were observed to return (values from
 * ntstatus.h, as listed in the facts file §0), plus the representative create failure.
 */
import type { StatusInfo } from './types';

export const statusList: StatusInfo[] = [
  { name: 'STATUS_SUCCESS', value: 0x00000000, meaning: 'The call succeeded.' },
  {
    name: 'STATUS_INVALID_PARAMETER',
    value: 0xc000000d,
    meaning:
      'A parameter is invalid. From the insert routines: an ECP of the same GUID is already in the list (the ECP stays with the caller). From the get-list routines: not a create.',
  },
  {
    name: 'STATUS_INVALID_PARAMETER_1',
    value: 0xc00000ef,
    meaning: 'The first parameter is invalid. Returned by IoSetIrpExtraCreateParameter (and so FsRtlSetEcpListIntoIrp) when the IRP is not a create.',
  },
  {
    name: 'STATUS_INVALID_PARAMETER_2',
    value: 0xc00000f0,
    meaning:
      'The second parameter is invalid. Flt routines: the callback data is not an IRP-based create. Io/FsRtl set-list routines (observed): the IRP already carries a list.',
  },
  {
    name: 'STATUS_INVALID_PARAMETER_3',
    value: 0xc00000f1,
    meaning: 'The third parameter is invalid. FltSetEcpListIntoCallbackData: the create already has an ECP list.',
  },
  {
    name: 'STATUS_NOT_FOUND',
    value: 0xc0000225,
    meaning: 'No ECP of the requested type (find/remove), or no further ECP (get-next). The out pointer is NULL.',
  },
  {
    name: 'STATUS_INSUFFICIENT_RESOURCES',
    value: 0xc000009a,
    meaning: 'Pool or quota exhausted. The allocators return NULL through their out-parameter; nothing needs freeing.',
  },
  {
    name: 'STATUS_INTEGER_OVERFLOW',
    value: 0xc0000095,
    meaning: 'Undocumented ECP allocator failure: SizeOfContext plus the hidden header wraps around.',
  },
  {
    name: 'STATUS_IMPLEMENTATION_LIMIT',
    value: 0xc000042b,
    meaning: 'Observed in newer builds: an ECP list passed to too many nested creates (its internal use counter saturated).',
  },
  {
    name: 'STATUS_MOUNT_POINT_NOT_RESOLVED',
    value: 0xc0000368,
    meaning: 'Create with a device hint or instance: a mount point in the path does not resolve to the targeted volume (documented together with STATUS_INVALID_DEVICE_OBJECT_PARAMETER).',
  },
  {
    name: 'STATUS_INVALID_DEVICE_OBJECT_PARAMETER',
    value: 0xc0000369,
    meaning: 'Create with a device hint or instance: a mount point in the path does not resolve to the targeted volume (documented together with STATUS_MOUNT_POINT_NOT_RESOLVED).',
  },
  { name: 'STATUS_OBJECT_PATH_SYNTAX_BAD', value: 0xc000003b, meaning: 'The object path is malformed.' },
  { name: 'STATUS_FILE_LOCK_CONFLICT', value: 0xc0000054, meaning: 'From IoCreateFileEx: NTFS could not proceed because its log file is full.' },
  {
    name: 'STATUS_STOPPED_ON_SYMLINK',
    value: 0x8000002d,
    meaning:
      'Warning status (NT_SUCCESS is FALSE): with IO_STOP_ON_SYMLINK the create stopped at a symbolic link; IoStatusBlock->Information holds a REPARSE_DATA_BUFFER the caller must free.',
  },
  {
    name: 'STATUS_OBJECT_NAME_NOT_FOUND',
    value: 0xc0000034,
    meaning: 'The named file does not exist. Used by ECP Lens as the representative failure of a create.',
  },
];
