/**
 * The ECP flag constants (values from ntifs.h, identical in ReactOS) and their three families.
 * Two pairs share a value across families (0x1, 0x2), so a wrong-family constant compiles and may
 * even behave — which is exactly why ECP Lens checks the family, not the number.
 * `acceptedBy` is written out by hand; a test checks it against the routines' parameters.
 */
import type { FlagFamilyInfo, FlagInfo } from './types';
import { C1 } from './corrections';

export const flagList: FlagInfo[] = [
  {
    name: 'FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA',
    value: 0x1,
    family: 'FSRTL_ALLOCATE_ECPLIST_FLAGS',
    meaning:
      'Charge the list memory to the current process\'s quota (paged pool instead of the internal list lookaside). The only list flag defined.',
    docErrors: [C1],
  },
  {
    name: 'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA',
    value: 0x1,
    family: 'FSRTL_ALLOCATE_ECP_FLAGS',
    meaning: 'Charge the ECP memory to the current process\'s quota. Ignored when the ECP comes from a lookaside entry.',
    docErrors: [C1],
  },
  {
    name: 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL',
    value: 0x2,
    family: 'FSRTL_ALLOCATE_ECP_FLAGS',
    meaning: 'Allocate the ECP from non-paged pool (NX); without it the ECP is paged.',
  },
  {
    name: 'FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL',
    value: 0x2,
    family: 'FSRTL_ECP_LOOKASIDE_FLAGS',
    meaning: 'Make the ECP lookaside list hand out non-paged entries; without it the entries are paged. Pass the same value to the delete routine.',
  },
];

export const flagFamilyList: FlagFamilyInfo[] = [
  {
    name: 'FSRTL_ALLOCATE_ECPLIST_FLAGS',
    doc: 'ULONG flags of the list allocators. Only FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA (0x1) is defined; any other bit is a mistake.',
    constants: ['FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA'],
    acceptedBy: ['FltAllocateExtraCreateParameterList', 'FsRtlAllocateExtraCreateParameterList'],
  },
  {
    name: 'FSRTL_ALLOCATE_ECP_FLAGS',
    doc: 'ULONG flags of the ECP allocators (pool and lookaside): FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA (0x1) and FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL (0x2), combinable. FsRtlInitializeExtraCreateParameter\'s EcpFlags is not of this type: no flag is defined for it.',
    constants: ['FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA', 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL'],
    acceptedBy: [
      'FltAllocateExtraCreateParameter',
      'FltAllocateExtraCreateParameterFromLookasideList',
      'FsRtlAllocateExtraCreateParameter',
      'FsRtlAllocateExtraCreateParameterFromLookasideList',
    ],
  },
  {
    name: 'FSRTL_ECP_LOOKASIDE_FLAGS',
    doc: 'ULONG flags of the ECP lookaside init/delete routines: FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL (0x2). Init and delete must receive the same value.',
    constants: ['FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL'],
    acceptedBy: [
      'FltInitExtraCreateParameterLookasideList',
      'FltDeleteExtraCreateParameterLookasideList',
      'FsRtlInitExtraCreateParameterLookasideList',
      'FsRtlDeleteExtraCreateParameterLookasideList',
    ],
  },
];
