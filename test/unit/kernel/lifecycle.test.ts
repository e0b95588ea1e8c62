import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../server/src/kernel/kernel';
import type { EcpContextObj, EcpListObj, Family } from '../../../server/src/kernel/types';
import { at, kinds, listWithEcp, obj, UNKNOWN } from './helpers';

function sevenSteps(family: Family, cleanup: string | null) {
  const kernel = createKernel();
  const list = kernel.allocateList(family, 0, at(1));
  const ecp = kernel.allocateEcp(family, { ecpType: 'GUID_ECP_MINE', contextBytes: 8, flags: 0, cleanup, tag: 'Tst1' }, at(2));
  const insert = kernel.insert(family, obj(list.out), obj(ecp.out), at(3));
  kernel.initDriverCreateContext('dcc', at(4));
  kernel.setExtraCreateParameter('dcc', obj(list.out), at(5));
  const create = kernel.createFile(family, 'dcc', true, at(6));
  const free = kernel.freeList(family, obj(list.out), at(7));
  return { kernel, list, ecp, insert, create, free };
}

describe('seven-step attach sequence', () => {
  it('ends with nothing live, no leak and one cleanup callback (Flt)', () => {
    const { kernel, list, ecp, insert, create, free } = sevenSteps('flt', 'MyCleanup');
    expect(list.status).toBe('STATUS_SUCCESS');
    expect(list.outs[2]).toBe(list.out); // Flt: Filter, Flags, EcpList
    expect(ecp.outs[6]).toBe(ecp.out);
    expect(insert.status).toBe('STATUS_SUCCESS');
    expect(create.status).toBe('STATUS_SUCCESS');
    for (const r of [insert, create, free]) expect(r.violations).toEqual([]);
    const snap = kernel.snapshot();
    expect(snap.live).toEqual([]);
    expect(snap.paged.bytes).toBe(0);
    expect(snap.paged.peakBytes).toBe(24 + 8 + 72);
    expect(kernel.leaks()).toEqual([]);
    expect(snap.cleanupCallbacks).toEqual([
      { callback: 'MyCleanup', ecpType: 'GUID_ECP_MINE', address: (kernel.get(ecp.out!) as EcpContextObj).address, line: 8 },
    ]);
    expect(kernel.bugCheck).toBeNull();
  });

  it('runs no cleanup when none was given (FsRtl/Io flavour)', () => {
    const { kernel, list } = sevenSteps('fsrtl', null);
    expect(list.outs[1]).toBe(list.out);
    expect(kernel.snapshot().cleanupCallbacks).toEqual([]);
    expect(kernel.snapshot().live).toEqual([]);
  });

  it('reports the list, not the inserted ECP, when the free is missing', () => {
    const kernel = createKernel();
    const { list, ecp } = listWithEcp(kernel);
    const leaks = kernel.leaks().map((o) => o.id);
    expect(leaks).toEqual([list]);
    expect(leaks).not.toContain(ecp);
    const live = kernel.snapshot().live;
    expect(live.map((l) => l.kind)).toEqual(['ecp-list', 'ecp-context']);
    expect(live[0]).toMatchObject({ freedBy: 'FltFreeExtraCreateParameterList', line: 11, tag: 'FSel', bytes: 24 });
    expect(live[1]).toMatchObject({ freedBy: 'FltFreeExtraCreateParameterList', owner: 'list', bytes: 16 + 72 });
  });

  it('a loose ECP is itself a leak and is freed by the ECP free routine', () => {
    const kernel = createKernel();
    const ecp = kernel.allocateEcp('fsrtl', { ecpType: 'G', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(3)).out!;
    expect(kernel.leaks().map((o) => o.id)).toEqual([ecp]);
    expect(kernel.snapshot().live[0]!.freedBy).toBe('FsRtlFreeExtraCreateParameter');
    expect(kernel.snapshot().looseContexts.map((c) => c.id)).toEqual([ecp]);
  });
});

describe('insert, find, remove', () => {
  it('rejects a second ECP of the same type and leaves it with the caller', () => {
    const kernel = createKernel();
    const { list } = listWithEcp(kernel, 'flt', 'GUID_DUP');
    const second = kernel.allocateEcp('flt', { ecpType: 'GUID_DUP', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(20)).out!;
    const result = kernel.insert('flt', obj(list), obj(second), at(21), { outcome: 'success' });
    expect(result.status).toBe('STATUS_INVALID_PARAMETER');
    expect(kinds(result)).toEqual(['duplicate-type']);
    expect(result.violations[0]!.related[0]!.site.line).toBe(12);
    const rejected = kernel.get(second) as EcpContextObj;
    expect(rejected).toMatchObject({ owner: 'caller', state: 'allocated', list: null });
    expect((kernel.get(list) as EcpListObj).members).toHaveLength(1);
    expect(kernel.leaks().map((o) => o.id)).toEqual([list, second]);
  });

  it('find leaves the ECP in the list; remove hands it back to the caller', () => {
    const kernel = createKernel();
    const { list, ecp } = listWithEcp(kernel, 'fsrtl', 'GUID_A');
    const found = kernel.find('fsrtl', obj(list), 'GUID_A', at(13));
    expect(found).toMatchObject({ status: 'STATUS_SUCCESS', out: ecp });
    expect(kernel.find('fsrtl', obj(list), 'GUID_B', at(14), { outcome: 'success' })).toMatchObject({ status: 'STATUS_NOT_FOUND', out: null });
    const removed = kernel.remove('fsrtl', obj(list), 'GUID_A', at(15));
    expect(removed.out).toBe(ecp);
    expect(kernel.get(ecp)).toMatchObject({ owner: 'caller', state: 'allocated', list: null });
    expect(kernel.find('fsrtl', obj(list), 'GUID_A', at(16)).status).toBe('STATUS_NOT_FOUND');
    expect(kernel.leaks().map((o) => o.id).sort()).toEqual([list, ecp].sort());
  });

  it('getNext walks in insertion order and ends with STATUS_NOT_FOUND', () => {
    const kernel = createKernel();
    const { list, ecp } = listWithEcp(kernel, 'flt', 'GUID_A');
    const other = kernel.allocateEcp('flt', { ecpType: 'GUID_B', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(20)).out!;
    kernel.insert('flt', obj(list), obj(other), at(21));
    expect(kernel.getNext('flt', obj(list), obj(null), at(22)).out).toBe(ecp);
    expect(kernel.getNext('flt', obj(list), obj(ecp), at(23)).out).toBe(other);
    expect(kernel.getNext('flt', obj(list), obj(other), at(24))).toMatchObject({ status: 'STATUS_NOT_FOUND', out: null });
  });

  it('acknowledge, reuse and origin marks', () => {
    const kernel = createKernel();
    const { ecp } = listWithEcp(kernel);
    expect(kernel.isAcknowledged('flt', obj(ecp), at(1)).status).toBe('FALSE');
    kernel.acknowledge('flt', obj(ecp), at(2));
    expect(kernel.isAcknowledged('flt', obj(ecp), at(3)).status).toBe('TRUE');
    kernel.prepareToReuse('flt', obj(ecp), at(4));
    expect(kernel.isAcknowledged('flt', obj(ecp), at(5)).status).toBe('FALSE');
    expect(kernel.isFromUserMode('flt', obj(ecp), at(6)).status).toBe('FALSE');
  });
});

describe('cleanup callbacks', () => {
  it('run exactly once per ECP, for a direct free and for a list free', () => {
    const kernel = createKernel();
    const { list } = listWithEcp(kernel, 'flt', 'GUID_IN_LIST', 'InListCleanup');
    const loose = kernel.allocateEcp('flt', { ecpType: 'GUID_LOOSE', contextBytes: 4, cleanup: 'LooseCleanup', tag: 'Tst1' }, at(30)).out!;
    kernel.freeEcp('flt', obj(loose), at(31));
    expect(kernel.snapshot().cleanupCallbacks.map((c) => c.callback)).toEqual(['LooseCleanup']);
    kernel.freeList('flt', obj(list), at(32));
    kernel.freeList('flt', obj(list), at(33)); // double free must not run it again
    kernel.freeEcp('flt', obj(loose), at(34));
    const calls = kernel.snapshot().cleanupCallbacks;
    expect(calls.map((c) => [c.callback, c.ecpType, c.line])).toEqual([
      ['LooseCleanup', 'GUID_LOOSE', 32],
      ['InListCleanup', 'GUID_IN_LIST', 33],
    ]);
  });
});

describe('creates', () => {
  it('an empty list handed to a create bug-checks 0x10C/0x15 and stops the machine', () => {
    const kernel = createKernel();
    const list = kernel.allocateList('fsrtl', 0, at(1)).out;
    kernel.initDriverCreateContext('ctx', at(2));
    kernel.setExtraCreateParameter('ctx', obj(list), at(3));
    const result = kernel.createFile('io', 'ctx', true, at(4));
    expect(result.bugCheck).toEqual(expect.objectContaining({ code: '0x10C', name: 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION', subcode: '0x15' }));
    expect(kinds(result)).toEqual(['empty-list-create']);
    expect(result.violations[0]!.bugCheck?.subcode).toBe('0x15');
    expect(kernel.bugCheck?.subcode).toBe('0x15');
    expect(kernel.snapshot().bugCheck?.code).toBe('0x10C');
  });

  it('reports an uninitialised context, an unset list and a dead list', () => {
    const kernel = createKernel();
    const { list } = listWithEcp(kernel);
    kernel.setExtraCreateParameter('raw', obj(list), at(20));
    expect(kinds(kernel.createFile('flt', 'raw', true, at(21)))).toEqual(['create-context-uninitialized']);
    kernel.initDriverCreateContext('ctx', at(22));
    expect(kinds(kernel.createFile('flt', 'ctx', true, at(23)))).toEqual(['create-context-list-unset']);
    expect(kinds(kernel.createFile('flt', null, true, at(24)))).toEqual(['create-context-list-unset']);
    expect(kinds(kernel.createFile('flt', null, false, at(25)))).toEqual([]);
    kernel.setExtraCreateParameter('ctx', obj(list), at(26));
    kernel.freeList('flt', obj(list), at(27));
    const dead = kernel.createFile('flt', 'ctx', true, at(28));
    expect(kinds(dead)).toEqual(['create-context-list-dead']);
    expect(dead.violations[0]!.related[0]).toEqual({ site: at(27), message: 'freed here' });
  });

  it('a failed create leaves the caller owning its list', () => {
    const kernel = createKernel();
    const { list, ecp } = listWithEcp(kernel);
    kernel.initDriverCreateContext('ctx', at(20));
    kernel.setExtraCreateParameter('ctx', obj(list), at(21));
    const result = kernel.createFile('flt', 'ctx', true, at(22), { outcome: 'STATUS_OBJECT_NAME_NOT_FOUND' });
    expect(result.status).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
    expect(kernel.get(list)).toMatchObject({ owner: 'caller', state: 'allocated' });
    expect(kernel.get(ecp)).toMatchObject({ owner: 'list' });
  });

  it('getListFromCreate: NULL on success-null, a foreign list by default, NULL on failure', () => {
    const kernel = createKernel();
    const source = { kind: 'callback-data' as const, name: 'Data' };
    expect(kernel.getListFromCreate('flt', source, at(1), { outcome: 'success-null' })).toMatchObject({ status: 'STATUS_SUCCESS', out: null });
    expect(kernel.getListFromCreate('flt', source, at(2), { outcome: 'STATUS_INVALID_PARAMETER' })).toMatchObject({ out: null });
    const irp = kernel.getListFromCreate('fsrtl', { kind: 'irp', name: 'Irp' }, at(3));
    expect(irp.status).toBe('STATUS_SUCCESS');
    expect(kernel.get(irp.out!)).toMatchObject({ owner: 'foreign', attachedTo: { kind: 'irp', name: 'Irp' } });
    const found = kernel.find('fsrtl', obj(irp.out), 'GUID_ECP_NETWORK_OPEN_CONTEXT', at(4));
    expect(kernel.get(found.out!)).toMatchObject({ owner: 'foreign', ecpType: 'GUID_ECP_NETWORK_OPEN_CONTEXT' });
    const removed = kernel.remove('fsrtl', obj(irp.out), 'GUID_OTHER', at(5));
    expect(kernel.get(removed.out!)).toMatchObject({ owner: 'caller', state: 'allocated' });
    expect(kernel.leaks().map((o) => o.id)).toEqual([removed.out]);
    expect(kernel.snapshot().live).toEqual([]); // foreign memory is not this path's pool usage
  });

  it('setListIntoCreate hands list and ECPs to the create; failure keeps them with the caller', () => {
    const kernel = createKernel();
    const source = { kind: 'callback-data' as const, name: 'Data' };
    const failed = listWithEcp(kernel);
    const refused = kernel.setListIntoCreate('flt', source, obj(failed.list), at(20), { outcome: 'STATUS_INVALID_PARAMETER_3' });
    expect(refused.status).toBe('STATUS_INVALID_PARAMETER_3');
    expect(kernel.get(failed.list)).toMatchObject({ owner: 'caller', attachedTo: null });
    const ok = kernel.setListIntoCreate('flt', source, obj(failed.list), at(21));
    expect(ok.status).toBe('STATUS_SUCCESS');
    expect(kernel.get(failed.list)).toMatchObject({ owner: 'create', attachedTo: { kind: 'callback-data', name: 'Data' } });
    expect(kernel.get(failed.ecp)).toMatchObject({ owner: 'create' });
    expect(kernel.leaks()).toEqual([]);
    expect(kernel.snapshot().live[0]!.freedBy).toBe('I/O manager (create completion)');
    const second = listWithEcp(kernel);
    expect(kernel.setListIntoCreate('flt', source, obj(second.list), at(22)).status).toBe('STATUS_INVALID_PARAMETER_3');
  });

  it('treats an unknown ExtraCreateParameter as nothing to check', () => {
    const kernel = createKernel();
    kernel.initDriverCreateContext('ctx', at(1));
    kernel.setExtraCreateParameter('ctx', UNKNOWN, at(2));
    expect(kernel.createFile('flt', 'ctx', true, at(3)).violations).toEqual([]);
  });
});
