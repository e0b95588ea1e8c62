/** Pool tags (PoolMon / !poolused), live allocations and lookaside lists (!lookaside). */
import type { KernelSnapshot, LiveAllocation } from '../../server/src/kernel/types';
import { h, table, empty, type Child } from './dom';
import { num, percent } from './format';

const POOL_TYPE = { paged: 'Paged', nonpaged: 'Nonp' } as const;

/** A source line that reveals itself in the editor when activated (button: keyboard works). */
export function lineLink(line: number): HTMLButtonElement {
  return h('button', { class: 'linelink mono', title: `Reveal line ${line}`, attrs: { type: 'button', 'data-line': line } }, `L${line}`);
}

export function renderTags(snap: KernelSnapshot): HTMLElement {
  if (!snap.tags.length) return empty('No pool allocations on this path yet.');
  const rows = [...snap.tags]
    .sort((a, b) => b.bytes - a.bytes || a.tag.localeCompare(b.tag))
    .map((t): (Child | [Child, string])[] => [
      [t.tag, 'tag'],
      t.tagHex,
      POOL_TYPE[t.pool],
      num(t.allocs),
      num(t.frees),
      [num(t.diff), t.diff > 0 ? 'pos' : ''],
      num(t.bytes),
    ]);
  return table(
    'Pool tags',
    [
      { label: 'Tag', mono: true },
      { label: 'Hex', mono: true, title: 'ULONG as stored in the pool header (little-endian)' },
      { label: 'Type' },
      { label: 'Allocs', num: true },
      { label: 'Frees', num: true },
      { label: 'Diff', num: true, title: 'Allocs − Frees: outstanding blocks' },
      { label: 'Bytes', num: true, title: 'Outstanding bytes' },
    ],
    rows,
  );
}

const KIND_LABEL = { 'ecp-list': 'ECP_LIST', 'ecp-context': 'ECP context', 'lookaside-entry': 'lookaside entry' } as const;

export function renderLive(live: LiveAllocation[]): HTMLElement {
  if (!live.length) return empty('Nothing allocated: every block is freed.');
  return table(
    'Live allocations',
    [
      { label: 'Address', mono: true, title: 'Synthetic address' },
      { label: 'Bytes', num: true },
      { label: 'Tag', mono: true },
      { label: 'Pool' },
      { label: 'Kind' },
      { label: 'Line', mono: true },
      { label: 'Owner' },
      { label: 'Freed by', mono: true },
    ],
    live.map((a) => [
      a.address,
      num(a.bytes),
      [a.tag, 'tag'],
      POOL_TYPE[a.pool],
      KIND_LABEL[a.kind],
      lineLink(a.line),
      [a.owner, `owner owner-${a.owner}`],
      a.freedBy,
    ]),
  );
}

export function renderLookasides(snap: KernelSnapshot): HTMLElement {
  if (!snap.lookasides.length) return empty('No ECP lookaside list in use.');
  return table(
    'Lookaside lists',
    [
      { label: 'List', mono: true },
      { label: 'Tag', mono: true },
      { label: 'Type' },
      { label: 'Size', num: true, title: 'Entry size: context size + 72-byte ECP header' },
      { label: 'Depth', num: true, title: 'Free entries cached' },
      { label: 'Allocs', num: true },
      { label: 'Alloc miss', num: true, title: 'Allocate misses: the list was empty, the entry came from pool' },
      { label: 'Frees', num: true },
      { label: 'Free miss', num: true, title: 'Free misses: the list was at depth, the entry went back to pool' },
      { label: 'Hit rate', num: true },
      { label: 'Out', num: true, title: 'Entries handed out and not returned' },
      { label: 'State' },
    ],
    snap.lookasides.map((l) => [
      l.name,
      [l.tag, 'tag'],
      POOL_TYPE[l.pool],
      num(l.entryBytes),
      num(l.depth),
      num(l.totalAllocates),
      num(l.allocateMisses),
      num(l.totalFrees),
      num(l.freeMisses),
      percent(l.hitRate),
      [num(l.outstanding), l.outstanding > 0 ? 'pos' : ''],
      [l.state, l.state === 'deleted' ? 'muted' : ''],
    ]),
  );
}

export function renderCleanupRuns(snap: KernelSnapshot): HTMLElement {
  if (!snap.cleanupCallbacks.length) return empty('No cleanup callback has run yet.');
  return table(
    'Cleanup callbacks that ran',
    [
      { label: 'Callback', mono: true },
      { label: 'ECP type', mono: true },
      { label: 'Context', mono: true },
      { label: 'Line', mono: true },
    ],
    snap.cleanupCallbacks.map((c) => [c.callback, c.ecpType, c.address, lineLink(c.line)]),
  );
}
