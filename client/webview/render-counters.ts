/** The counter tiles: paged / non-paged bytes and allocations (current and peak), quota, IRQL. */
import type { KernelSnapshot } from '../../server/src/kernel/types';
import { h, fill } from './dom';
import { num, delta } from './format';

interface Tile {
  id: string;
  label: string;
  value: string;
  unit: string;
  change: string;
  extra: [string, string][];
  tone?: string;
}

function tile(t: Tile): HTMLElement {
  return h(
    'div',
    { class: `tile ${t.tone ?? ''}`, attrs: { id: `counter-${t.id}`, role: 'group', 'aria-label': t.label } },
    h('div', { class: 'tile-label', text: t.label }),
    h(
      'div',
      { class: 'tile-value' },
      h('span', { class: 'value mono', attrs: { 'data-counter': t.id }, text: t.value }),
      t.unit ? h('span', { class: 'unit', text: t.unit }) : null,
      t.change ? h('span', { class: `change mono ${t.change.startsWith('+') ? 'up' : 'down'}`, text: t.change }) : null,
    ),
    h('dl', { class: 'tile-extra' }, ...t.extra.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { class: 'mono', attrs: { 'data-counter': `${t.id}-${k}` }, text: v })])),
  );
}

function poolTile(id: 'paged' | 'nonpaged', label: string, snap: KernelSnapshot, prev: KernelSnapshot | null): HTMLElement {
  const c = snap[id];
  return tile({
    id,
    label,
    value: num(c.bytes),
    unit: 'B',
    change: prev ? delta(c.bytes - prev[id].bytes) : '',
    extra: [
      ['allocs', num(c.allocs)],
      ['peak', `${num(c.peakBytes)} B`],
      ['peak allocs', num(c.peakAllocs)],
    ],
  });
}

export function renderCounters(target: HTMLElement, snap: KernelSnapshot, prev: KernelSnapshot | null): void {
  const irqlTone = snap.irql === 'PASSIVE_LEVEL' ? '' : snap.irql === 'APC_LEVEL' ? 'warn' : 'bad';
  fill(
    target,
    poolTile('paged', 'Paged pool', snap, prev),
    poolTile('nonpaged', 'Non-paged pool', snap, prev),
    tile({
      id: 'quota',
      label: 'Quota charged',
      value: num(snap.quotaBytes),
      unit: 'B',
      change: prev ? delta(snap.quotaBytes - prev.quotaBytes) : '',
      extra: [['attempts', num(snap.allocationAttempts)], ['live', num(snap.live.length)]],
    }),
    tile({
      id: 'irql',
      label: 'IRQL',
      value: snap.irql.replace(/_LEVEL$/, ''),
      unit: '',
      change: '',
      extra: [['callbacks run', num(snap.cleanupCallbacks.length)], ['bug check', snap.bugCheck ? `${snap.bugCheck.code}/${snap.bugCheck.subcode}` : 'none']],
      tone: snap.bugCheck ? 'bad' : irqlTone,
    }),
  );
}
