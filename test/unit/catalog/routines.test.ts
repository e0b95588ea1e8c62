import { describe, expect, it } from 'vitest';
import { catalog, routine, routineList } from '../../../server/src/catalog';
import { FACTS_ROUTINES, declaredName, prototypeParams, squash } from './helpers';

const routines = [...catalog.routines.values()];

describe('routine coverage', () => {
  it.each(FACTS_ROUTINES)('%s from facts §1.1 is catalogued', (name) => {
    expect(routine(name)?.name).toBe(name);
  });

  it('has no routine twice and nothing outside the facts list', () => {
    expect(routineList.length).toBe(catalog.routines.size);
    expect(routines.map((r) => r.name).sort()).toEqual([...FACTS_ROUTINES].sort());
  });

  it('assigns the family from the name prefix', () => {
    for (const r of routines) {
      const expected = r.name.startsWith('FsRtl') ? 'fsrtl' : r.name.startsWith('Flt') ? 'flt' : 'io';
      expect(r.family, r.name).toBe(expected);
    }
  });
});

describe('counterparts', () => {
  it.each(routines.map((r) => [r.name, r] as const))('%s has a counterpart that points back, or a reason', (_, r) => {
    if (r.counterpart === null) {
      expect(r.noCounterpartReason?.trim().length ?? 0).toBeGreaterThan(10);
      return;
    }
    const other = routine(r.counterpart);
    expect(other, `${r.counterpart} missing`).toBeDefined();
    expect(other!.counterpart).toBe(r.name);
    expect(other!.family).not.toBe(r.family);
    expect(other!.op).toBe(r.op);
  });

  it('pairs the documented Flt/FsRtl operations', () => {
    expect(routine('FltGetEcpListFromCallbackData')!.counterpart).toBe('FsRtlGetEcpListFromIrp');
    expect(routine('FltSetEcpListIntoCallbackData')!.counterpart).toBe('FsRtlSetEcpListIntoIrp');
    expect(routine('FltCreateFileEx2')!.counterpart).toBe('IoCreateFileEx');
  });
});

describe('prototypes and parameters', () => {
  it.each(routines.map((r) => [r.name, r] as const))('%s: arity and names match the prototype', (_, r) => {
    const decls = prototypeParams(r.prototype, r.name);
    expect(r.params.length).toBe(decls.length);
    expect(r.params.map((p) => p.name)).toEqual(decls.map(declaredName));
    r.params.forEach((p, i) => expect(squash(decls[i]), `${r.name}.${p.name}`).toBe(squash(`${p.sal} ${p.type} ${p.name}`)));
  });

  it.each(routines.map((r) => [r.name, r] as const))('%s: SAL, return type and IRQL agree with the prototype', (_, r) => {
    const head = r.prototype.slice(0, r.prototype.indexOf(`${r.name}(`));
    expect(head).toContain(r.returnType);
    expect(r.mustInspectResult).toBe(r.prototype.includes('_Must_inspect_result_'));
    const sal = /_IRQL_requires_max_\((\w+)\)/.exec(head);
    if (sal && !head.includes('_When_')) expect(r.irqlMax).toBe(sal[1]);
    for (const p of r.params) {
      expect(p.optional, `${r.name}.${p.name}`).toBe(p.sal.includes('_opt_'));
      if (p.sal.startsWith('_Out')) expect(p.direction).toBe('out');
      if (p.sal.startsWith('_Inout')) expect(p.direction).toBe('inout');
    }
  });

  it('gives FltAllocateExtraCreateParameter the documented roles', () => {
    const r = routine('FltAllocateExtraCreateParameter')!;
    expect(r.params.map((p) => p.role)).toEqual(['filter', 'ecp-type', 'context-size', 'ecp-flags', 'cleanup-callback', 'pool-tag', 'ecp-out']);
    expect(r.params[3].flagFamily).toBe('FSRTL_ALLOCATE_ECP_FLAGS');
    expect(r.params[2].sal).toBe('');
  });

  it('uses _In_opt_ for the Filter of FltDeleteExtraCreateParameterLookasideList (WDK 10.0.22621)', () => {
    expect(routine('FltDeleteExtraCreateParameterLookasideList')!.params[0]).toMatchObject({ sal: '_In_opt_', optional: true });
  });

  it('marks FsRtlInitializeExtraCreateParameter Ecp as _Out_ and EcpFlags outside every flag family', () => {
    const [ecp, flags] = routine('FsRtlInitializeExtraCreateParameter')!.params;
    expect(ecp).toMatchObject({ sal: '_Out_', direction: 'out', role: 'ecp-header' });
    expect(flags.flagFamily).toBeUndefined();
  });

  const ROLE_BY_OP: Record<string, string[]> = {
    allocateList: ['list-flags', 'list-out'],
    freeList: ['list'],
    allocateEcp: ['ecp-type', 'context-size', 'ecp-flags', 'pool-tag', 'ecp-out'],
    allocateEcpFromLookaside: ['ecp-type', 'context-size', 'ecp-flags', 'lookaside', 'ecp-out'],
    freeEcp: ['ecp'],
    initLookaside: ['lookaside', 'lookaside-flags', 'lookaside-size', 'pool-tag'],
    deleteLookaside: ['lookaside', 'lookaside-flags'],
    insert: ['list', 'ecp'],
    find: ['list', 'ecp-type', 'ecp-out'],
    remove: ['list', 'ecp-type', 'ecp-out'],
    getNext: ['list', 'ecp-current', 'ecp-out'],
    getListFromCreate: ['list-out'],
    setListIntoCreate: ['list'],
    createFile: ['driver-create-context'],
    initDriverCreateContext: ['driver-create-context'],
  };
  it.each(routines.map((r) => [r.name, r] as const))('%s: has the argument roles its op needs', (_, r) => {
    const roles = r.params.map((p) => p.role);
    for (const role of ROLE_BY_OP[r.op] ?? []) expect(roles, `${r.name} lacks ${role}`).toContain(role);
    if (r.family === 'flt' && r.params.length) expect(roles[0]).toBe('filter');
  });
});

describe('return codes', () => {
  const known = (s: string) => catalog.statuses.has(s) || ['TRUE', 'FALSE', 'NULL', 'non-NULL'].includes(s);

  it.each(routines.map((r) => [r.name, r] as const))('%s: statuses are catalogued and consistent with the return type', (_, r) => {
    for (const c of r.returnCodes) expect(known(c.status), `${r.name}: ${c.status}`).toBe(true);
    if (r.returnType === 'NTSTATUS') expect(r.returnCodes.map((c) => c.status)).toContain('STATUS_SUCCESS');
    if (r.returnType === 'BOOLEAN') expect(r.returnCodes.map((c) => c.status)).toEqual(['TRUE', 'FALSE']);
    if (r.returnType === 'VOID') expect(r.returnCodes).toEqual([]);
    expect(r.returnCodes.some((c) => c.fork && c.status === 'STATUS_SUCCESS')).toBe(false);
  });

  it('forks allocators on STATUS_INSUFFICIENT_RESOURCES with a NULL out-parameter', () => {
    const allocs = routines.filter((r) => ['allocateList', 'allocateEcp', 'allocateEcpFromLookaside'].includes(r.op));
    expect(allocs.length).toBe(6);
    for (const r of allocs) {
      expect(r.returnCodes, r.name).toContainEqual(expect.objectContaining({ status: 'STATUS_INSUFFICIENT_RESOURCES', fork: true, outValue: 'null' }));
      expect(r.returnCodes.find((c) => c.status === 'STATUS_SUCCESS')?.outValue).toBe('set');
    }
  });

  it('forks find/remove/get-next on STATUS_NOT_FOUND with a NULL out-parameter', () => {
    const lookups = routines.filter((r) => ['find', 'remove', 'getNext'].includes(r.op));
    expect(lookups.length).toBe(6);
    for (const r of lookups) {
      expect(r.returnCodes, r.name).toContainEqual(expect.objectContaining({ status: 'STATUS_NOT_FOUND', fork: true, outValue: 'null' }));
    }
  });

  it('forks inserts on the duplicate-GUID STATUS_INVALID_PARAMETER and says so', () => {
    for (const name of ['FltInsertExtraCreateParameter', 'FsRtlInsertExtraCreateParameter']) {
      const c = routine(name)!.returnCodes.find((x) => x.status === 'STATUS_INVALID_PARAMETER');
      expect(c?.fork).toBe(true);
      expect(c?.meaning).toMatch(/duplicate/i);
      expect(c?.meaning).toMatch(/free/i);
    }
  });

  it('forks set-list and create routines on a failure', () => {
    for (const r of routines.filter((x) => x.op === 'setListIntoCreate' || x.op === 'createFile')) {
      expect(r.returnCodes.some((c) => c.fork && c.status !== 'STATUS_SUCCESS'), r.name).toBe(true);
    }
    expect(routine('IoCreateFileEx')!.returnCodes).toContainEqual(expect.objectContaining({ status: 'STATUS_OBJECT_NAME_NOT_FOUND', fork: true }));
  });

  it('names only catalogued routines in releasedBy, within the same family', () => {
    for (const r of routines) {
      for (const n of r.releasedBy ?? []) {
        expect(routine(n), `${r.name} -> ${n}`).toBeDefined();
        expect(routine(n)!.family).toBe(r.family);
      }
    }
    expect(routine('FsRtlAllocateExtraCreateParameterList')!.releasedBy).toEqual(['FsRtlFreeExtraCreateParameterList']);
  });
});

describe('documentation links', () => {
  it.each(routines.map((r) => [r.name, r] as const))('%s: docUrl is null or the canonical learn.microsoft.com page', (_, r) => {
    if (r.docUrl === null) {
      expect(r.documented).toBe(false);
      return;
    }
    expect(r.documented).toBe(true);
    const header = r.header.split(' ')[0].replace('.h', '');
    expect(r.docUrl).toBe(`https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/${header}/nf-${header}-${r.name.toLowerCase()}`);
  });

  it('has no page for the undocumented Io*IrpExtraCreateParameter routines', () => {
    for (const n of ['IoGetIrpExtraCreateParameter', 'IoSetIrpExtraCreateParameter', 'IoClearIrpExtraCreateParameter']) {
      expect(routine(n)).toMatchObject({ docUrl: null, documented: false, irqlMax: null });
    }
  });
});
