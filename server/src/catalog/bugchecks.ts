/**
 * Bug check 0x10C, raised by the ECP support code itself, and the two bug checks that ECP mistakes
 * usually end in when 0x10C does not catch them: Driver Verifier's leak report at unload (0xC4,
 * subcode 0x62) and corrupted-list fast-fail (0x139).
 */
import type { BugCheckInfo } from './types';

const DEBUGGER = 'https://learn.microsoft.com/en-us/windows-hardware/drivers/debugger';

export const bugCheckList: BugCheckInfo[] = [
  {
    code: 0x10c,
    name: 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION',
    parameters: [
      'Parameter 1: violation type (subcode below)',
      'Parameter 2: 0 (reserved)',
      'Parameter 3: address of the ECP involved (0 for list-level violations such as 0x15)',
      'Parameter 4: address of the ECP list involved',
    ],
    subcodes: [
      { code: 0x1, meaning: 'ECP signature is invalid: a bad pointer or corrupted memory was used as an ECP.' },
      { code: 0x2, meaning: 'ECP has undefined flag bits set.' },
      { code: 0x3, meaning: 'ECP was not allocated by FsRtl (e.g. ExAllocatePool memory passed as an ECP).' },
      { code: 0x4, meaning: 'ECP carries flags that are illegal for a parameter passed by a create caller.' },
      { code: 0x5, meaning: 'ECP is corrupted: its recorded size is smaller than the ECP header.' },
      { code: 0x6, meaning: 'ECP being freed still has list links: it is probably still in a list (remove it first).' },
      { code: 0x11, meaning: 'ECP list signature is invalid.' },
      { code: 0x12, meaning: 'ECP list has undefined flag bits set.' },
      { code: 0x13, meaning: 'ECP list was not allocated by FsRtl.' },
      { code: 0x14, meaning: 'ECP list carries flags that are illegal for a list passed by a create caller.' },
      { code: 0x15, meaning: 'ECP list passed by the create caller is empty (IoCreateFileEx / FltCreateFileEx2 with an ExtraCreateParameter list holding no ECP).' },
    ],
    docUrl: `${DEBUGGER}/bug-check-0x10c---fsrtl-extra-create-parameter-violation`,
    summary:
      'Raised by the kernel\'s ECP code when it finds a malformed ECP or ECP list. The subcode says what was wrong. The one most reachable from correct-looking driver code is 0x15: an empty list given to a create. Retail builds do not check every case (freeing an ECP that is still linked is usually not caught here but corrupts the list).',
  },
  {
    code: 0xc4,
    name: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
    parameters: [
      'Parameter 1: 0x62 (the subcode relevant to ECPs)',
      'Parameter 2: name of the driver',
      'Parameter 3: Verifier\'s internal record for the driver',
      'Parameter 4: number of allocations (paged + non-paged) still outstanding',
    ],
    subcodes: [{ code: 0x62, meaning: 'The driver unloaded without freeing all its pool allocations.' }],
    docUrl: `${DEBUGGER}/bug-check-0xc4--driver-verifier-detected-violation`,
    summary: 'Driver Verifier\'s general bug check; with Pool Tracking enabled, subcode 0x62 reports allocations leaked at unload.',
    relation:
      'Leaked ECP lists, ECPs or an undeleted ECP lookaside list surface here at unload (ecp-list-leak, ecp-context-leak, ecp-lookaside-not-deleted), tagged with the pool tag you passed.',
  },
  {
    code: 0x139,
    name: 'KERNEL_SECURITY_CHECK_FAILURE',
    parameters: [
      'Parameter 1: kind of corruption (3 = a LIST_ENTRY was corrupted)',
      'Parameter 2: address of the trap frame',
      'Parameter 3: address of the exception record',
      'Parameter 4: reserved',
    ],
    subcodes: [{ code: 0x3, meaning: 'A LIST_ENTRY failed its consistency check (FAST_FAIL_CORRUPT_LIST_ENTRY).' }],
    docUrl: `${DEBUGGER}/bug-check-0x139--kernel-security-check-failure`,
    summary: 'A kernel consistency check failed and the system stopped on purpose (fast fail).',
    relation:
      'The ECP list routines unlink entries with checked LIST_ENTRY operations, so an ECP freed while still in a list (ecp-free-inserted) or freed twice typically ends here later, far from the bug.',
  },
];
