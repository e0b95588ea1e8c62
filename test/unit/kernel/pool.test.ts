import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../server/src/kernel/kernel';
import { tagHex } from '../../../server/src/kernel/pool';
import type { EcpContextObj, EcpListObj } from '../../../server/src/kernel/types';
import { at, obj } from './helpers';

describe('pool accounting', () => {
  it('NONPAGED_POOL puts the ECP in nonpaged pool; CHARGE_QUOTA charges quota', () => {
    const kernel = createKernel();
    const paged = kernel.allocateEcp('flt', { ecpType: 'G1', contextBytes: 40, flags: 0, cleanup: null, tag: 'Tst1' }, at(1)).out!;
    const nonpaged = kernel.allocateEcp('flt', { ecpType: 'G2', contextBytes: 8, flags: 0x2, cleanup: null, tag: 'Tst2' }, at(2)).out!;
    const quota = kernel.allocateEcp('flt', { ecpType: 'G3', contextBytes: 0, flags: 0x3, cleanup: null, tag: 'Tst3' }, at(3)).out!;
    expect(kernel.get(paged)).toMatchObject({ pool: 'paged', blockBytes: 112, quotaBytes: 0 });
    expect(kernel.get(nonpaged)).toMatchObject({ pool: 'nonpaged', blockBytes: 80 });
    expect(kernel.get(quota)).toMatchObject({ pool: 'nonpaged', quotaBytes: 72 });
    let snap = kernel.snapshot();
    expect(snap.paged).toMatchObject({ bytes: 112, allocs: 1 });
    expect(snap.nonpaged).toMatchObject({ bytes: 152, allocs: 2 });
    expect(snap.quotaBytes).toBe(72);
    kernel.freeEcp('flt', obj(quota), at(4));
    snap = kernel.snapshot();
    expect(snap.quotaBytes).toBe(0);
    expect(snap.nonpaged).toMatchObject({ bytes: 80, allocs: 1, peakBytes: 152, peakAllocs: 2 });
  });

  it('lists are 24 paged bytes tagged FSel; CHARGE_QUOTA adds 24 bytes of quota', () => {
    const kernel = createKernel();
    const plain = kernel.allocateList('fsrtl', 0, at(1)).out!;
    kernel.allocateList('fsrtl', 0x1, at(2));
    expect(kernel.get(plain)).toMatchObject({ blockBytes: 24, pool: 'paged', tag: 'FSel', quotaBytes: 0 });
    const snap = kernel.snapshot();
    expect(snap.quotaBytes).toBe(24);
    expect(snap.tags).toEqual([{ tag: 'FSel', tagHex: '0x6c655346', pool: 'paged', allocs: 2, frees: 0, diff: 2, bytes: 48 }]);
  });

  it('encodes tags as the little-endian ULONG the pool stores', () => {
    expect(tagHex('Tst1')).toBe('0x31747354');
    expect(tagHex('FSel')).toBe('0x6c655346');
    expect(tagHex('')).toBe('');
  });

  it('keeps a PoolMon-style table per tag with frees and diff', () => {
    const kernel = createKernel();
    const a = kernel.allocateEcp('fsrtl', { ecpType: 'A', contextBytes: 8, cleanup: null, tag: 'Tst1' }, at(1)).out;
    kernel.allocateEcp('fsrtl', { ecpType: 'B', contextBytes: 8, cleanup: null, tag: 'Tst1' }, at(2));
    kernel.freeEcp('fsrtl', obj(a), at(3));
    expect(kernel.snapshot().tags).toEqual([{ tag: 'Tst1', tagHex: '0x31747354', pool: 'paged', allocs: 2, frees: 1, diff: 1, bytes: 80 }]);
  });

  it('tracks peaks across allocations and frees', () => {
    const kernel = createKernel();
    const ids = [1, 2, 3].map((n) => kernel.allocateEcp('flt', { ecpType: `G${n}`, contextBytes: 28, cleanup: null, tag: 'Tst1' }, at(n)).out);
    for (const id of ids) kernel.freeEcp('flt', obj(id), at(10));
    kernel.allocateEcp('flt', { ecpType: 'G4', contextBytes: 28, cleanup: null, tag: 'Tst1' }, at(11));
    expect(kernel.snapshot().paged).toEqual({ bytes: 100, allocs: 1, peakBytes: 300, peakAllocs: 3 });
  });

  it('gives deterministic addresses: context = block + 0x48', () => {
    const make = () => {
      const kernel = createKernel();
      const list = kernel.allocateList('flt', 0, at(1)).out!;
      const ecp = kernel.allocateEcp('flt', { ecpType: 'G', contextBytes: 8, cleanup: null, tag: 'Tst1' }, at(2)).out!;
      return { kernel, list: kernel.get(list) as EcpListObj, ecp: kernel.get(ecp) as EcpContextObj };
    };
    const first = make();
    const second = make();
    expect(first.ecp.address).toBe(second.ecp.address);
    expect(first.ecp.address).toMatch(/^ffffc20f`[0-9a-f]{8}$/);
    expect(first.ecp.address.endsWith('048')).toBe(true);
    const live = first.kernel.snapshot().live.find((l) => l.objectId === first.ecp.id)!;
    const block = parseInt(live.address.split('`')[1]!, 16);
    expect(parseInt(first.ecp.address.split('`')[1]!, 16) - block).toBe(0x48);
    expect(first.list.address).not.toBe(live.address);
  });

  it('records unknown sizes as 0 with sizeKnown false', () => {
    const kernel = createKernel();
    const id = kernel.allocateEcp('flt', { ecpType: '', cleanup: null }, at(1)).out!;
    expect(kernel.get(id)).toMatchObject({ contextBytes: 0, sizeKnown: false, blockBytes: 72, tag: '' });
  });
});

describe('fault plan', () => {
  it('fails the Nth allocation attempt with STATUS_INSUFFICIENT_RESOURCES', () => {
    const kernel = createKernel({ faults: { failAllocations: [2] } });
    const list = kernel.allocateList('flt', 0, at(1));
    const ecp = kernel.allocateEcp('flt', { ecpType: 'G', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(2));
    const third = kernel.allocateEcp('flt', { ecpType: 'G', contextBytes: 4, cleanup: null, tag: 'Tst1' }, at(3));
    expect(list.status).toBe('STATUS_SUCCESS');
    expect(ecp).toMatchObject({ status: 'STATUS_INSUFFICIENT_RESOURCES', out: null, outs: { 6: null } });
    expect(third.status).toBe('STATUS_SUCCESS');
    expect(kernel.snapshot().allocationAttempts).toBe(3);
    expect(kernel.snapshot().paged.allocs).toBe(2);
  });

  it('fails by tag, counts lookaside allocations, and an explicit outcome overrides the plan', () => {
    const kernel = createKernel({ faults: { failTags: ['FSel'], failAllocations: [3] } });
    expect(kernel.allocateList('flt', 0, at(1)).out).toBeNull();
    expect(kernel.allocateList('flt', 0, at(2), { outcome: 'success' }).out).not.toBeNull();
    kernel.initLookaside('flt', 'la', 0, 16, 'LkTg', at(3));
    expect(kernel.allocateEcpFromLookaside('flt', 'la', { ecpType: 'G', contextBytes: 8, cleanup: null }, at(4)).status).toBe(
      'STATUS_INSUFFICIENT_RESOURCES',
    );
    const forced = kernel.allocateEcp('flt', { ecpType: 'G', contextBytes: 8, cleanup: null, tag: 'Tst1' }, at(5), { outcome: 'STATUS_INSUFFICIENT_RESOURCES' });
    expect(forced.out).toBeNull();
    expect(kernel.snapshot().allocationAttempts).toBe(4);
  });
});
