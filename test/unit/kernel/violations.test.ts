import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../server/src/kernel/kernel';
import { at, kinds, listWithEcp, obj } from './helpers';

describe('ownership violations', () => {
  it('double free of a list points back at the first free', () => {
    const kernel = createKernel();
    const { list } = listWithEcp(kernel);
    expect(kernel.freeList('flt', obj(list), at(20)).violations).toEqual([]);
    const again = kernel.freeList('flt', obj(list), at(21));
    expect(kinds(again)).toEqual(['double-free']);
    expect(again.violations[0]!.related).toContainEqual({ site: at(20), message: 'first freed here' });
    expect(again.violations[0]!.message).toMatch(/line 21/);
    expect(kernel.snapshot().paged.bytes).toBe(0); // no second release
  });

  it('double free of an ECP', () => {
    const kernel = createKernel();
    const ecp = kernel.allocateEcp('flt', { ecpType: 'G', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(1)).out;
    kernel.freeEcp('flt', obj(ecp), at(2));
    const again = kernel.freeEcp('flt', obj(ecp), at(3));
    expect(kinds(again)).toEqual(['double-free']);
    expect(again.violations[0]!.objects).toEqual([ecp]);
  });

  it('freeing an inserted ECP is free-inserted, and the later list free does not report the same bug again', () => {
    const kernel = createKernel();
    const { list, ecp } = listWithEcp(kernel);
    const result = kernel.freeEcp('flt', obj(ecp), at(20));
    expect(kinds(result)).toEqual(['free-inserted']);
    expect(result.violations[0]!.bugCheck?.subcode).toBe('0x6');
    expect(result.bugCheck).toBeUndefined(); // reported, but the path goes on
    expect(result.violations[0]!.related).toContainEqual({ site: at(12), message: 'inserted into the list here' });
    expect(kernel.get(ecp)).toMatchObject({ state: 'freed' });
    const listFree = kernel.freeList('flt', obj(list), at(21));
    expect(kinds(listFree)).toEqual([]);
    expect(kernel.snapshot().cleanupCallbacks).toHaveLength(1);
  });

  it('any use of a freed object is use-after-free', () => {
    const kernel = createKernel();
    const { list, ecp } = listWithEcp(kernel);
    kernel.freeList('flt', obj(list), at(20));
    const fresh = kernel.allocateEcp('flt', { ecpType: 'G2', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(21)).out;
    expect(kinds(kernel.insert('flt', obj(list), obj(fresh), at(22)))).toEqual(['use-after-free']);
    expect(kernel.get(fresh!)).toMatchObject({ owner: 'caller', state: 'allocated' });
    expect(kinds(kernel.find('flt', obj(list), 'GUID_ECP_TEST', at(23)))).toEqual(['use-after-free']);
    expect(kinds(kernel.acknowledge('flt', obj(ecp), at(24)))).toEqual(['use-after-free']);
    expect(kinds(kernel.getNext('flt', obj(list), obj(null), at(25)))).toEqual(['use-after-free']);
    expect(kinds(kernel.setListIntoCreate('flt', { kind: 'callback-data', name: 'Data' }, obj(list), at(26)))).toEqual(['use-after-free']);
    const uaf = kernel.isAcknowledged('flt', obj(ecp), at(27)).violations[0]!;
    expect(uaf.related[0]).toEqual({ site: at(20), message: 'freed here' });
  });

  it('freeing a foreign list or ECP, or one handed to a create, is foreign-free', () => {
    const kernel = createKernel();
    const got = kernel.getListFromCreate('flt', { kind: 'callback-data', name: 'Data' }, at(1)).out;
    const found = kernel.find('flt', obj(got), 'GUID_X', at(2)).out;
    expect(kinds(kernel.freeEcp('flt', obj(found), at(3)))).toEqual(['foreign-free']);
    // Freeing the foreign list is the bug; the ECP already freed from it is not reported twice.
    expect(kinds(kernel.freeList('flt', obj(got), at(4)))).toEqual(['foreign-free']);
    const other = kernel.getListFromCreate('fsrtl', { kind: 'irp', name: 'Irp' }, at(5)).out;
    expect(kinds(kernel.freeList('fsrtl', obj(other), at(6)))).toEqual(['foreign-free']);
    const mine = listWithEcp(kernel);
    kernel.setListIntoCreate('flt', { kind: 'callback-data', name: 'Other' }, obj(mine.list), at(7));
    const freed = kernel.freeList('flt', obj(mine.list), at(8));
    expect(kinds(freed)).toEqual(['foreign-free']);
    expect(freed.violations[0]!.related).toContainEqual({ site: at(7), message: 'handed to the create here' });
  });

  it('mixing families is a warning and the call still works', () => {
    const kernel = createKernel();
    const { list } = listWithEcp(kernel, 'flt');
    const result = kernel.freeList('fsrtl', obj(list), at(20));
    expect(kinds(result)).toEqual(['family-mix']);
    expect(kernel.get(list)).toMatchObject({ state: 'freed' });
    const io = listWithEcp(kernel, 'fsrtl');
    expect(kernel.freeList('io', obj(io.list), at(21)).violations).toEqual([]);
  });

  it('inserting something that is not an ECP', () => {
    const kernel = createKernel();
    const list = kernel.allocateList('flt', 0, at(1)).out;
    const other = kernel.allocateList('flt', 0, at(2)).out;
    const result = kernel.insert('flt', obj(list), obj(other), at(3));
    expect(kinds(result)).toEqual(['insert-foreign-memory']);
  });
});

describe('IRQL', () => {
  it('reports a routine above its maximum', () => {
    const kernel = createKernel({ irql: 2 });
    const violation = kernel.checkIrql('FltAllocateExtraCreateParameterList', 1, at(5));
    expect(violation).toMatchObject({ kind: 'irql', site: at(5) });
    expect(violation!.message).toMatch(/APC_LEVEL.*DISPATCH_LEVEL/);
    kernel.setIrql(0);
    expect(kernel.checkIrql('FltAllocateExtraCreateParameterList', 1, at(6))).toBeNull();
    expect(kernel.snapshot().irql).toBe('PASSIVE_LEVEL');
  });
});
