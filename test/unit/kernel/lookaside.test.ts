import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../server/src/kernel/kernel';
import type { EcpContextObj } from '../../../server/src/kernel/types';
import { at, kinds, obj } from './helpers';

const args = (contextBytes: number, flags = 0) => ({ ecpType: 'GUID_L', contextBytes, flags, cleanup: null });

describe('ECP lookaside lists', () => {
  it('hands out entries of Size + 72 bytes with the lookaside tag and pool', () => {
    const kernel = createKernel();
    kernel.initLookaside('flt', 'g_La', 0x2, 32, 'LkTg', at(1));
    const id = kernel.allocateEcpFromLookaside('flt', 'g_La', args(16, 0x1), at(2)).out!;
    const ecp = kernel.get(id) as EcpContextObj;
    expect(ecp).toMatchObject({ blockBytes: 104, pool: 'nonpaged', tag: 'LkTg', fallbackToPool: false, quotaBytes: 0 });
    expect(ecp.lookaside).not.toBeNull();
    const snap = kernel.snapshot();
    expect(snap.live).toMatchObject([{ kind: 'lookaside-entry', bytes: 104, freedBy: 'FltFreeExtraCreateParameter' }]);
    expect(snap.quotaBytes).toBe(0); // CHARGE_QUOTA is honoured only on the fallback path
  });

  it('falls back to the pool (with the lookaside tag) when the context is larger than an entry', () => {
    const kernel = createKernel();
    kernel.initLookaside('fsrtl', 'g_La', 0, 16, 'LkTg', at(1));
    const id = kernel.allocateEcpFromLookaside('fsrtl', 'g_La', args(64, 0x1), at(2)).out!;
    expect(kernel.get(id)).toMatchObject({ fallbackToPool: true, lookaside: null, tag: 'LkTg', blockBytes: 136, pool: 'paged', quotaBytes: 136 });
    const lookaside = kernel.snapshot().lookasides[0]!;
    expect(lookaside).toMatchObject({ totalAllocates: 1, allocateMisses: 1, outstanding: 0, hitRate: 0 });
    expect(kernel.snapshot().live[0]!.kind).toBe('ecp-context');
  });

  it('counts hits and misses like !lookaside and reuses cached entries', () => {
    const kernel = createKernel();
    kernel.initLookaside('flt', 'g_La', 0, 16, 'LkTg', at(1));
    const first = kernel.allocateEcpFromLookaside('flt', 'g_La', args(16), at(2)).out!;
    const firstAddress = (kernel.get(first) as EcpContextObj).address;
    kernel.freeEcp('flt', obj(first), at(3));
    expect(kernel.snapshot().paged.bytes).toBe(88); // a cached entry is still pool in use
    const second = kernel.allocateEcpFromLookaside('flt', 'g_La', args(8), at(4)).out!;
    expect((kernel.get(second) as EcpContextObj).address).toBe(firstAddress);
    kernel.freeEcp('flt', obj(second), at(5));
    const stats = kernel.snapshot().lookasides[0]!;
    expect(stats).toMatchObject({ totalAllocates: 2, allocateMisses: 1, totalFrees: 2, freeMisses: 0, depth: 1, outstanding: 0, hitRate: 50 });
    kernel.deleteLookaside('flt', 'g_La', 0, at(6));
    expect(kernel.snapshot().paged.bytes).toBe(0);
    expect(kernel.undeletedLookasides()).toEqual([]);
  });

  it('returns entries to the pool once the cache holds 4', () => {
    const kernel = createKernel();
    kernel.initLookaside('flt', 'g_La', 0, 8, 'LkTg', at(1));
    const ids = [1, 2, 3, 4, 5].map((n) => kernel.allocateEcpFromLookaside('flt', 'g_La', args(8), at(n)).out);
    for (const id of ids) kernel.freeEcp('flt', obj(id), at(9));
    const stats = kernel.snapshot().lookasides[0]!;
    expect(stats).toMatchObject({ depth: 4, freeMisses: 1, allocateMisses: 5 });
    expect(kernel.snapshot().paged).toMatchObject({ bytes: 4 * 80, allocs: 4 });
  });

  it('reports delete flags that differ from init flags', () => {
    const kernel = createKernel();
    kernel.initLookaside('flt', 'g_La', 0x2, 16, 'LkTg', at(1));
    const result = kernel.deleteLookaside('flt', 'g_La', 0, at(2));
    expect(kinds(result)).toEqual(['lookaside-flags']);
    expect(result.violations[0]!.related[0]!.site).toEqual(at(1));
  });

  it('reports a delete while entries are outstanding', () => {
    const kernel = createKernel();
    kernel.initLookaside('fsrtl', 'g_La', 0, 16, 'LkTg', at(1));
    const id = kernel.allocateEcpFromLookaside('fsrtl', 'g_La', args(16), at(2)).out!;
    const result = kernel.deleteLookaside('fsrtl', 'g_La', 0, at(3));
    expect(kinds(result)).toEqual(['lookaside-outstanding']);
    expect(result.violations[0]!.objects).toContain(id);
  });

  it('lists a lookaside that is never deleted, but not one initialised elsewhere', () => {
    const kernel = createKernel();
    kernel.initLookaside('flt', 'mine', 0, 16, 'LkTg', at(1));
    kernel.allocateEcpFromLookaside('flt', 'theirs', args(16), at(2));
    expect(kernel.undeletedLookasides().map((l) => l.name)).toEqual(['mine']);
  });
});
