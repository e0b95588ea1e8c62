/** NTSTATUS classification for condition pruning (severity is the top two bits). */
import { catalogStatusValue } from './catalogAccess';

export type StatusClass = 'success' | 'information' | 'warning' | 'error';

export function statusValue(name: string): number | undefined {
  if (name === 'STATUS_SUCCESS') return 0;
  return catalogStatusValue(name) ?? EXTRA_STATUS[name];
}

/** Common statuses compared against in driver code that the ECP catalog need not describe. */
const EXTRA_STATUS: Record<string, number> = {
  STATUS_UNSUCCESSFUL: 0xc0000001,
  STATUS_NOT_IMPLEMENTED: 0xc0000002,
  STATUS_NO_MEMORY: 0xc0000017,
  STATUS_ACCESS_DENIED: 0xc0000022,
  STATUS_OBJECT_NAME_NOT_FOUND: 0xc0000034,
  STATUS_OBJECT_NAME_COLLISION: 0xc0000035,
  STATUS_OBJECT_PATH_NOT_FOUND: 0xc000003a,
  STATUS_NOT_SUPPORTED: 0xc00000bb,
  STATUS_BUFFER_TOO_SMALL: 0xc0000023,
  STATUS_BUFFER_OVERFLOW: 0x80000005,
  STATUS_PENDING: 0x103,
  STATUS_REPARSE: 0x104,
  STATUS_MORE_ENTRIES: 0x105,
  STATUS_NOT_FOUND: 0xc0000225,
  STATUS_INVALID_PARAMETER: 0xc000000d,
  STATUS_INSUFFICIENT_RESOURCES: 0xc000009a,
  STATUS_FLT_DO_NOT_ATTACH: 0xc01c000f,
};

export function statusClass(name: string): StatusClass | undefined {
  const value = statusValue(name);
  if (value === undefined) return undefined;
  const sev = (value >>> 30) & 3;
  return sev === 0 ? 'success' : sev === 1 ? 'information' : sev === 2 ? 'warning' : 'error';
}

export function isStatusName(name: string): boolean {
  return name.startsWith('STATUS_') && statusValue(name) !== undefined;
}
