/** ECP lists as a tree with their contexts, and the contexts that are in no list. */
import type { KernelSnapshot, EcpContextObj, EcpListObj } from '../../server/src/kernel/types';
import { h, empty, type Child } from './dom';
import { num } from './format';
import { lineLink } from './render-tables';

const POOL = { paged: 'paged', nonpaged: 'non-paged' } as const;

function field(label: string, value: Child, cls = ''): HTMLElement {
  return h('span', { class: `field ${cls}` }, h('span', { class: 'field-k', text: label }), h('span', { class: 'field-v', }, value));
}

function stateChip(state: string): HTMLElement {
  return h('span', { class: `chip state-${state}`, text: state });
}

function attachment(list: EcpListObj): string {
  const a = list.attachedTo;
  if (a === null) return 'not attached';
  if (a.kind === 'create') return `create #${a.createId}`;
  return `${a.kind === 'irp' ? 'IRP' : 'callback data'} ${a.name}`;
}

function sizeText(c: EcpContextObj): string {
  const ctx = c.sizeKnown ? num(c.contextBytes) : '?';
  return `${ctx} + 72 = ${num(c.blockBytes)} B`;
}

function contextNode(c: EcpContextObj, lookasideNames: Map<number, string>): HTMLLIElement {
  const origin = c.lookaside !== null
    ? `lookaside ${lookasideNames.get(c.lookaside) ?? `#${c.lookaside}`}`
    : c.fallbackToPool ? 'lookaside → pool (too large)' : 'pool';
  return h(
    'li',
    { class: `node ctx ${c.state === 'freed' ? 'is-freed' : ''}`, attrs: { 'data-object': c.id } },
    h(
      'div',
      { class: 'node-head' },
      h('span', { class: 'node-kind', text: 'ECP' }),
      h('span', { class: 'guid mono', title: 'ECP type (GUID name as written)', text: c.ecpType || '(unknown type)' }),
      stateChip(c.state),
      lineLink(c.site.line + 1),
    ),
    h(
      'div',
      { class: 'node-fields' },
      field('addr', c.address, 'mono'),
      field('size', sizeText(c), 'mono'),
      field('pool', POOL[c.pool]),
      field('tag', c.tag || '—', 'mono tag'),
      field('cleanup', c.cleanup ?? 'none', 'mono'),
      field('from', origin),
      field('ack', c.acknowledged ? 'yes' : 'no'),
      field('owner', c.owner, `owner-${c.owner}`),
      c.quotaBytes ? field('quota', `${num(c.quotaBytes)} B`, 'mono') : null,
      c.fromUserMode ? field('origin', 'user mode', 'warn') : null,
    ),
  );
}

function listNode(list: EcpListObj & { contexts: EcpContextObj[] }, names: Map<number, string>): HTMLLIElement {
  return h(
    'li',
    { class: `node list ${list.state === 'freed' ? 'is-freed' : ''}`, attrs: { 'data-object': list.id } },
    h(
      'div',
      { class: 'node-head' },
      h('span', { class: 'node-kind', text: 'ECP_LIST' }),
      h('span', { class: 'mono', text: list.address }),
      stateChip(list.state),
      h('span', { class: `attached ${list.attachedTo ? 'yes' : ''}`, text: attachment(list) }),
      lineLink(list.site.line + 1),
    ),
    h(
      'div',
      { class: 'node-fields' },
      field('size', `${num(list.blockBytes)} B`, 'mono'),
      field('pool', POOL[list.pool]),
      field('tag', list.tag || '—', 'mono tag'),
      field('owner', list.owner, `owner-${list.owner}`),
      field('family', list.family),
      field('ECPs', num(list.contexts.length), 'mono'),
      list.quotaBytes ? field('quota', `${num(list.quotaBytes)} B`, 'mono') : null,
    ),
    list.contexts.length
      ? h('ul', { class: 'children', attrs: { role: 'group' } }, ...list.contexts.map((c) => contextNode(c, names)))
      : h('p', { class: 'empty nested', text: 'empty list — a create given this list bug-checks (0x10C/0x15)' }),
  );
}

export function renderEcpTree(snap: KernelSnapshot): HTMLElement {
  const names = new Map(snap.lookasides.map((l) => [l.id, l.name] as const));
  if (!snap.lists.length && !snap.looseContexts.length) return empty('No ECP list or context on this path yet.');
  return h(
    'div',
    { class: 'tree-wrap' },
    snap.lists.length ? h('ul', { class: 'tree', attrs: { 'aria-label': 'ECP lists' } }, ...snap.lists.map((l) => listNode(l, names))) : null,
    snap.looseContexts.length
      ? h(
          'div',
          { class: 'loose' },
          h('h3', { class: 'sub', text: 'Contexts in no list' }),
          h('ul', { class: 'tree', attrs: { 'aria-label': 'ECP contexts in no list' } }, ...snap.looseContexts.map((c) => contextNode(c, names))),
        )
      : null,
  );
}
