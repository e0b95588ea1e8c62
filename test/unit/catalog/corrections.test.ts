import { describe, expect, it } from 'vitest';
import { catalog, routine } from '../../../server/src/catalog';
import type { DocCorrection } from '../../../server/src/catalog';

const refs = (list: DocCorrection[] | undefined) => (list ?? []).map((c) => c.ref);
const withRef = (list: DocCorrection[] | undefined, ref: number) => (list ?? []).find((c) => c.ref === ref);

function everyCorrection(): DocCorrection[] {
  return [
    ...[...catalog.routines.values()].flatMap((r) => r.docErrors),
    ...[...catalog.flags.values()].flatMap((f) => f.docErrors ?? []),
    ...[...catalog.guids.values()].flatMap((g) => g.docErrors ?? []),
    ...[...catalog.types.values()].flatMap((t) => t.docErrors ?? []),
  ];
}

describe('facts §5 corrections on the right items', () => {
  it('#1 wrong flag name on both ECP allocators and the list flag', () => {
    for (const n of ['FltAllocateExtraCreateParameter', 'FsRtlAllocateExtraCreateParameter']) {
      expect(withRef(routine(n)!.docErrors, 1)?.truth).toContain('FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA');
    }
    expect(refs(catalog.flags.get('FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA')!.docErrors)).toContain(1);
  });

  it('#2 list free routine of FsRtlAllocateExtraCreateParameterList', () => {
    const c = withRef(routine('FsRtlAllocateExtraCreateParameterList')!.docErrors, 2);
    expect(c?.claim).toContain('FltFreeExtraCreateParameter');
    expect(c?.truth).toContain('FsRtlFreeExtraCreateParameterList');
  });

  it('#6 FsRtlSetEcpListIntoIrp failure codes', () => {
    const c = withRef(routine('FsRtlSetEcpListIntoIrp')!.docErrors, 6);
    expect(c?.truth).toMatch(/STATUS_INVALID_PARAMETER_1[\s\S]*STATUS_INVALID_PARAMETER_2/);
    expect(routine('FsRtlSetEcpListIntoIrp')!.returnCodes.map((x) => x.status)).toContain('STATUS_INVALID_PARAMETER_1');
  });

  it('#7 NULL list to get-next, on both families', () => {
    for (const n of ['FltGetNextExtraCreateParameter', 'FsRtlGetNextExtraCreateParameter']) {
      expect(withRef(routine(n)!.docErrors, 7)?.claim).toContain('STATUS_INVALID_PARAMETER');
    }
  });

  it('#10 IRQL of the FsRtl lookaside init/delete routines', () => {
    for (const n of ['FsRtlInitExtraCreateParameterLookasideList', 'FsRtlDeleteExtraCreateParameterLookasideList']) {
      expect(refs(routine(n)!.docErrors)).toContain(10);
      expect(routine(n)!.irqlMax).toBe('APC_LEVEL');
      expect(routine(n)!.prototype).toContain('_When_(Flags|FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL');
    }
  });

  it('#12 FsRtlInitializeExtraCreateParameter Ecp direction and TotalSize', () => {
    const c = withRef(routine('FsRtlInitializeExtraCreateParameter')!.docErrors, 12);
    expect(c?.truth).toContain('_Out_');
    expect(c?.truth).toMatch(/header/);
  });

  it('#21 empty list bug check on both create routines and IO_DRIVER_CREATE_CONTEXT', () => {
    for (const n of ['IoCreateFileEx', 'FltCreateFileEx2']) expect(withRef(routine(n)!.docErrors, 21)?.truth).toContain('0x15');
    expect(refs(catalog.types.get('IO_DRIVER_CREATE_CONTEXT')!.docErrors)).toContain(21);
  });

  it('#23 NULL list on success for FsRtlGetEcpListFromIrp', () => {
    expect(withRef(routine('FsRtlGetEcpListFromIrp')!.docErrors, 23)?.truth).toMatch(/NULL/);
  });

  it('covers every entry 1..31 of §5 somewhere, and nothing else', () => {
    const seen = new Set(everyCorrection().map((c) => c.ref));
    for (let i = 1; i <= 31; i++) expect(seen.has(i), `§5 #${i}`).toBe(true);
    expect([...seen].every((r) => r !== undefined && r >= 1 && r <= 31)).toBe(true);
  });

  it('fills claim, truth and where in every correction', () => {
    for (const c of everyCorrection()) {
      expect(c.claim.length).toBeGreaterThan(10);
      expect(c.truth.length).toBeGreaterThan(10);
      expect(c.where.length).toBeGreaterThan(3);
    }
  });
});
