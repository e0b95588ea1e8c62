import { describe, expect, it } from 'vitest';
import { catalog } from '../../../server/src/catalog';

describe('flags', () => {
  it('has the header values', () => {
    const value = (n: string) => catalog.flags.get(n)?.value;
    expect(value('FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA')).toBe(0x1);
    expect(value('FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA')).toBe(0x1);
    expect(value('FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL')).toBe(0x2);
    expect(value('FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL')).toBe(0x2);
    expect(catalog.flags.size).toBe(4);
  });

  it('places every flag in the family that lists it', () => {
    for (const fam of catalog.flagFamilies.values()) {
      const members = [...catalog.flags.values()].filter((f) => f.family === fam.name).map((f) => f.name);
      expect(fam.constants.sort()).toEqual(members.sort());
    }
    expect(catalog.flagFamilies.size).toBe(3);
  });

  it('resolves every flagFamily a parameter references, and only *-flags roles carry one', () => {
    for (const r of catalog.routines.values()) {
      for (const p of r.params) {
        const flagRole = ['list-flags', 'ecp-flags', 'lookaside-flags'].includes(p.role);
        expect(Boolean(p.flagFamily), `${r.name}.${p.name}`).toBe(flagRole);
        if (p.flagFamily) {
          expect(catalog.flagFamilies.has(p.flagFamily)).toBe(true);
          expect(p.type).toBe(p.flagFamily);
        }
      }
    }
  });

  it('lists in acceptedBy exactly the routines whose parameters take the family', () => {
    for (const fam of catalog.flagFamilies.values()) {
      const takers = [...catalog.routines.values()].filter((r) => r.params.some((p) => p.flagFamily === fam.name)).map((r) => r.name);
      expect(fam.acceptedBy.slice().sort(), fam.name).toEqual(takers.sort());
      expect(takers.length).toBeGreaterThan(1);
    }
  });

  it('keeps the list flag family to list allocators only', () => {
    expect(catalog.flagFamilies.get('FSRTL_ALLOCATE_ECPLIST_FLAGS')!.acceptedBy.sort()).toEqual([
      'FltAllocateExtraCreateParameterList',
      'FsRtlAllocateExtraCreateParameterList',
    ]);
  });
});

describe('statuses', () => {
  const FACTS_0: Record<string, number> = {
    STATUS_SUCCESS: 0x00000000,
    STATUS_INVALID_PARAMETER: 0xc000000d,
    STATUS_INVALID_PARAMETER_1: 0xc00000ef,
    STATUS_INVALID_PARAMETER_2: 0xc00000f0,
    STATUS_INVALID_PARAMETER_3: 0xc00000f1,
    STATUS_NOT_FOUND: 0xc0000225,
    STATUS_INSUFFICIENT_RESOURCES: 0xc000009a,
    STATUS_INTEGER_OVERFLOW: 0xc0000095,
    STATUS_IMPLEMENTATION_LIMIT: 0xc000042b,
    STATUS_MOUNT_POINT_NOT_RESOLVED: 0xc0000368,
    STATUS_INVALID_DEVICE_OBJECT_PARAMETER: 0xc0000369,
    STATUS_OBJECT_PATH_SYNTAX_BAD: 0xc000003b,
    STATUS_FILE_LOCK_CONFLICT: 0xc0000054,
    STATUS_STOPPED_ON_SYMLINK: 0x8000002d,
  };
  it.each(Object.entries(FACTS_0))('%s = facts §0 value', (name, value) => {
    expect(catalog.statuses.get(name)?.value).toBe(value);
  });

  it('has every status a routine returns', () => {
    for (const r of catalog.routines.values()) {
      for (const c of r.returnCodes.filter((x) => x.status.startsWith('STATUS_'))) {
        expect(catalog.statuses.has(c.status), `${r.name}: ${c.status}`).toBe(true);
      }
    }
  });

  it('stores values as unsigned 32-bit numbers', () => {
    for (const s of catalog.statuses.values()) expect(s.value >>> 0).toBe(s.value);
  });
});
