/**
 * Simulated pool accounting: paged / nonpaged usage with peaks, process quota, a PoolMon-style
 * per-tag table, and synthetic addresses. Every figure here is simulated; sizes follow the x64
 * layouts recorded in ecp-facts.md §2.1.
 */
import type { ObjId, Pool, PoolTagRow } from './types';

/** ECP_HEADER on x64 (§2.1): the context pointer handed to the driver sits 72 bytes into the block. */
export const ECP_HEADER_BYTES = 72;
/** ECP_LIST on x64 (§2.1): Signature, Flags, LIST_ENTRY. */
export const ECP_LIST_BYTES = 24;
/** Tag FsRtl uses for list blocks (§1.3, list allocation); quota-charged or from its list lookaside. */
export const LIST_POOL_TAG = 'FSel';
/** First SizeOfContext that wraps when the header is added on x64 (§5 #14). */
export const CONTEXT_SIZE_OVERFLOW = 0xffffffb8;

export interface PoolCounters {
  bytes: number;
  allocs: number;
  peakBytes: number;
  peakAllocs: number;
}

function emptyCounters(): PoolCounters {
  return { bytes: 0, allocs: 0, peakBytes: 0, peakAllocs: 0 };
}

/**
 * The little-endian ULONG the pool stores for a tag whose text reads `tag` (byte 0 = first char),
 * e.g. 'Tst1' → 0x31747354. Short tags are padded with spaces; unknown ('') gives ''.
 */
export function tagHex(tag: string): string {
  if (tag === '') return '';
  const text = tag.padEnd(4, ' ').slice(0, 4);
  let value = 0;
  for (let i = 0; i < 4; i++) value += (text.charCodeAt(i) & 0xff) * 2 ** (8 * i);
  return '0x' + value.toString(16).padStart(8, '0');
}

/** Where a synthetic address lives: our paged / nonpaged allocations, or someone else's memory. */
export type AddressRegion = Pool | 'foreign';

const REGION_HIGH: Record<AddressRegion, string> = {
  paged: 'ffffc20f',
  nonpaged: 'ffffa30c',
  foreign: 'ffff9e8b',
};
const REGION_LOW_BASE: Record<AddressRegion, number> = {
  paged: 0x3a1c0000,
  nonpaged: 0x0a4b0000,
  foreign: 0x51d20000,
};
const BLOCK_STRIDE = 0x1000;

/** Block start for an object id, deterministic: one 4 KB slot per id inside its region. */
export function blockAddress(id: ObjId, region: AddressRegion): string {
  const low = (REGION_LOW_BASE[region] + id * BLOCK_STRIDE) % 2 ** 32;
  return `${REGION_HIGH[region]}\`${low.toString(16).padStart(8, '0')}`;
}

/** Adds `delta` to the low half of a synthetic address ('ffffc20f`3a1c1000' + 0x48). */
export function offsetAddress(address: string, delta: number): string {
  const [high, lowText] = address.split('`');
  const low = (parseInt(lowText ?? '0', 16) + delta + 2 ** 32) % 2 ** 32;
  return `${high}\`${low.toString(16).padStart(8, '0')}`;
}

/** The context pointer of an ECP whose block starts at `block` (§2.1: context follows the header). */
export function contextAddress(block: string): string {
  return offsetAddress(block, ECP_HEADER_BYTES);
}

/** The pool block behind an ECP context pointer. */
export function blockOfContext(context: string): string {
  return offsetAddress(context, -ECP_HEADER_BYTES);
}

/** Running pool usage of one path. Copied (not shared) when the kernel is cloned. */
export class PoolLedger {
  private readonly usage: Record<Pool, PoolCounters>;
  private readonly tags: Map<string, PoolTagRow>;
  quotaBytes: number;

  constructor(source?: PoolLedger) {
    this.usage = {
      paged: source ? { ...source.usage.paged } : emptyCounters(),
      nonpaged: source ? { ...source.usage.nonpaged } : emptyCounters(),
    };
    this.tags = new Map();
    if (source) for (const [key, row] of source.tags) this.tags.set(key, { ...row });
    this.quotaBytes = source ? source.quotaBytes : 0;
  }

  clone(): PoolLedger {
    return new PoolLedger(this);
  }

  /** Equal for two ledgers that hold the same counts (see KernelState.exactKey). */
  key(): string {
    return JSON.stringify([this.usage, [...this.tags], this.quotaBytes]);
  }

  /** One block taken from `pool`; quotaBytes is what was charged to the process (0 if none). */
  charge(tag: string, pool: Pool, bytes: number, quotaBytes: number): void {
    const counters = this.usage[pool];
    counters.bytes += bytes;
    counters.allocs += 1;
    counters.peakBytes = Math.max(counters.peakBytes, counters.bytes);
    counters.peakAllocs = Math.max(counters.peakAllocs, counters.allocs);
    this.quotaBytes += quotaBytes;
    const row = this.tagRow(tag, pool);
    row.allocs += 1;
    row.bytes += bytes;
    row.diff = row.allocs - row.frees;
  }

  /** The block goes back to the pool (and its quota back to the process). */
  release(tag: string, pool: Pool, bytes: number, quotaBytes: number): void {
    const counters = this.usage[pool];
    counters.bytes -= bytes;
    counters.allocs -= 1;
    this.quotaBytes -= quotaBytes;
    const row = this.tagRow(tag, pool);
    row.frees += 1;
    row.bytes -= bytes;
    row.diff = row.allocs - row.frees;
  }

  counters(pool: Pool): PoolCounters {
    return { ...this.usage[pool] };
  }

  /** PoolMon-like rows, sorted by tag then pool; fresh objects every call. */
  tagRows(): PoolTagRow[] {
    return [...this.tags.values()]
      .map((row) => ({ ...row }))
      .sort((a, b) => (a.tag === b.tag ? a.pool.localeCompare(b.pool) : a.tag.localeCompare(b.tag)));
  }

  private tagRow(tag: string, pool: Pool): PoolTagRow {
    const key = `${pool}:${tag}`;
    let row = this.tags.get(key);
    if (!row) {
      row = { tag, tagHex: tagHex(tag), pool, allocs: 0, frees: 0, diff: 0, bytes: 0 };
      this.tags.set(key, row);
    }
    return row;
  }
}
