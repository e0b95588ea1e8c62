import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../server/src/kernel/kernel';
import type { EcpListObj } from '../../../server/src/kernel/types';
import { at, listWithEcp, obj } from './helpers';

describe('clone', () => {
  it('mutating a clone leaves the original untouched', () => {
    const original = createKernel();
    const { list, ecp } = listWithEcp(original);
    original.initLookaside('flt', 'la', 0, 8, 'LkTg', at(2));
    const before = JSON.stringify(original.snapshot());

    const fork = original.clone();
    fork.freeList('flt', obj(list), at(30));
    fork.allocateEcpFromLookaside('flt', 'la', { ecpType: 'X', contextBytes: 8, cleanup: null }, at(31));
    fork.allocateList('flt', 1, at(32));
    fork.setIrql(2);
    fork.initDriverCreateContext('ctx', at(33));

    expect(JSON.stringify(original.snapshot())).toBe(before);
    expect(original.get(list)).toMatchObject({ state: 'allocated' });
    expect(original.get(ecp)).toMatchObject({ state: 'inserted' });
    expect(original.irql).toBe(0);
    expect(original.leaks().map((o) => o.id)).toEqual([list]);
    expect(fork.get(list)).toMatchObject({ state: 'freed' });
  });

  it('does not share list member arrays between branches', () => {
    const original = createKernel();
    const list = original.allocateList('flt', 0, at(1)).out!;
    const fork = original.clone();
    const ecp = fork.allocateEcp('flt', { ecpType: 'G', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(2)).out;
    fork.insert('flt', obj(list), obj(ecp), at(3));
    expect((original.get(list) as EcpListObj).members).toEqual([]);
    expect((fork.get(list) as EcpListObj).members).toEqual([ecp]);
  });

  it('keeps ids stable across a fork and unique within each branch', () => {
    const original = createKernel();
    const list = original.allocateList('flt', 0, at(1)).out!;
    const left = original.clone();
    const right = original.clone();
    const a = left.allocateEcp('flt', { ecpType: 'A', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(2)).out!;
    const b = right.allocateEcp('flt', { ecpType: 'B', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(2)).out!;
    expect(left.get(list)?.kind).toBe('ecp-list');
    expect(right.get(list)?.kind).toBe('ecp-list');
    expect(a).not.toBe(list);
    expect(left.get(a)).toMatchObject({ ecpType: 'A' });
    expect(right.get(b)).toMatchObject({ ecpType: 'B' });
    const next = left.allocateEcp('flt', { ecpType: 'C', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(3)).out!;
    expect(new Set(left.objects().map((o) => o.id)).size).toBe(left.objects().length);
    expect(next).not.toBe(a);
  });

  it('snapshots are deep copies that survive later changes and JSON round trips', () => {
    const kernel = createKernel();
    const { list } = listWithEcp(kernel);
    const snap = kernel.snapshot();
    kernel.freeList('flt', obj(list), at(40));
    expect(snap.lists[0]!.state).toBe('allocated');
    expect(snap.lists[0]!.contexts[0]!.state).toBe('inserted');
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('is cheap enough to fork hundreds of times', () => {
    let kernel = createKernel();
    for (let i = 0; i < 5; i++) listWithEcp(kernel, 'flt', `GUID_${i}`);
    const start = performance.now();
    for (let i = 0; i < 500; i++) kernel = kernel.clone();
    expect(performance.now() - start).toBeLessThan(500);
    expect(kernel.leaks()).toHaveLength(5);
  });
});
