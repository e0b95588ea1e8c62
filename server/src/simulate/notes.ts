/**
 * One line per trace step saying what the simulated kernel did, read from the snapshots before
 * and after the call. Every figure is simulated (x64 layouts, synthetic addresses).
 */
import type { EcpContextObj, KernelSnapshot, LiveAllocation, LookasideObj } from '../kernel/types';
import type { TraceEvent } from '../engine/state';
import { routineInfo } from '../engine/catalogAccess';

const POOL = { paged: 'paged pool', nonpaged: 'non-paged pool' } as const;

export interface NoteInput {
  event: TraceEvent;
  before: KernelSnapshot;
  /** Ordinals of allocation attempts the fault plan fails, and tags it fails. */
  faults: { failAllocations: number[]; failTags: string[] };
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
}

function added(before: KernelSnapshot, after: KernelSnapshot): LiveAllocation[] {
  const had = new Set(before.live.map((l) => l.objectId));
  return after.live.filter((l) => !had.has(l.objectId));
}

function removed(before: KernelSnapshot, after: KernelSnapshot): LiveAllocation[] {
  const has = new Set(after.live.map((l) => l.objectId));
  return before.live.filter((l) => !has.has(l.objectId));
}

function allContexts(s: KernelSnapshot): EcpContextObj[] {
  return [...s.lists.flatMap((l) => l.contexts), ...s.looseContexts];
}

function newestContext(before: KernelSnapshot, after: KernelSnapshot): EcpContextObj | undefined {
  const had = new Set(allContexts(before).map((c) => c.id));
  return allContexts(after).find((c) => !had.has(c.id));
}

function failed(status: string | null): boolean {
  return status !== null && status !== 'STATUS_SUCCESS' && status !== 'TRUE' && status !== 'FALSE';
}

function faultReason(input: NoteInput): string {
  const { event, before, faults } = input;
  const attempt = event.snapshot.allocationAttempts;
  if (attempt > before.allocationAttempts && faults.failAllocations.includes(attempt)) {
    return ` (fault injected: allocation attempt #${attempt} fails, Driver Verifier low-resources style)`;
  }
  if (event.status === 'STATUS_INSUFFICIENT_RESOURCES' && faults.failTags.length > 0) return ' (fault injected by pool tag)';
  return '';
}

function ecpWhat(ctx: EcpContextObj): string {
  const type = ctx.ecpType ? ` ${ctx.ecpType}` : '';
  const size = ctx.sizeKnown ? `${ctx.contextBytes} + 72-byte header = ${bytes(ctx.blockBytes)}` : `unknown size (72-byte header counted)`;
  return `ECP context${type}: ${size}`;
}

function allocationNote(input: NoteInput): string {
  const { event, before } = input;
  const after = event.snapshot;
  const op = routineInfo(event.routine)?.op;
  if (op === 'allocateList') {
    const list = added(before, after).find((l) => l.kind === 'ecp-list');
    if (!list) return 'Allocated an ECP_LIST.';
    const quota = after.quotaBytes > before.quotaBytes ? `, ${bytes(after.quotaBytes - before.quotaBytes)} of quota charged` : '';
    return `Allocated an ECP_LIST: ${bytes(list.bytes)} of ${POOL[list.pool]}, tag ${list.tag}${quota}; the caller owns it.`;
  }
  const ctx = newestContext(before, after);
  if (!ctx) return `${event.routine} succeeded.`;
  const quota = ctx.quotaBytes > 0 ? `, ${bytes(ctx.quotaBytes)} of quota charged` : '';
  const tag = ctx.tag ? `, tag ${ctx.tag}` : '';
  if (op === 'allocateEcpFromLookaside') return lookasideNote(before, after, ctx, quota);
  return `Allocated an ${ecpWhat(ctx)} of ${POOL[ctx.pool]}${tag}${quota}; the caller owns it until it is inserted.`;
}

function lookasideNote(before: KernelSnapshot, after: KernelSnapshot, ctx: EcpContextObj, quota: string): string {
  const la = after.lookasides.find((l) => l.id === ctx.lookaside) ?? changedLookaside(before, after);
  const name = la ? la.name : 'the lookaside list';
  if (ctx.fallbackToPool || ctx.lookaside === null) {
    const entry = la ? ` (entry holds ${la.entryBytes - 72} bytes of context)` : '';
    return `Context of ${bytes(ctx.contextBytes)} is larger than the ${name} entry${entry}: fell back to ${POOL[ctx.pool]}, ${bytes(ctx.blockBytes)}, tag ${ctx.tag}${quota}.`;
  }
  const prev = la ? before.lookasides.find((l) => l.id === la.id) : undefined;
  const hit = la && prev ? la.allocateMisses === prev.allocateMisses : false;
  if (hit) return `Lookaside ${name} hit: cached entry of ${bytes(ctx.blockBytes)} handed out again (no new pool), tag ${ctx.tag}.`;
  return `Lookaside ${name} was empty (miss): new entry of ${bytes(ctx.blockBytes)} taken from ${POOL[ctx.pool]}, tag ${ctx.tag}.`;
}

function changedLookaside(before: KernelSnapshot, after: KernelSnapshot): LookasideObj | undefined {
  return after.lookasides.find((l) => before.lookasides.find((p) => p.id === l.id)?.totalAllocates !== l.totalAllocates);
}

function poolBytes(s: KernelSnapshot): number {
  return s.paged.bytes + s.nonpaged.bytes;
}

function freeNote(input: NoteInput): string {
  const { event, before } = input;
  const after = event.snapshot;
  const gone = removed(before, after);
  const released = poolBytes(before) - poolBytes(after);
  const callbacks = after.cleanupCallbacks.length - before.cleanupCallbacks.length;
  const cb = callbacks > 0 ? `; ${callbacks} cleanup callback${callbacks === 1 ? '' : 's'} ran` : '';
  const cached = after.lookasides.filter((l) => l.depth > (before.lookasides.find((p) => p.id === l.id)?.depth ?? 0));
  const cache = cached.length > 0 ? `; ${cached.length === 1 ? 'an entry' : 'entries'} went back to the ${cached.map((l) => l.name).join(', ')} cache (still pool in use, as PoolMon shows)` : '';
  const what = routineInfo(event.routine)?.op === 'freeList' ? freedListWhat(gone) : 'the ECP context';
  return `Freed ${what}: ${bytes(Math.max(0, released))} back to the pool${cache}${cb}.`;
}

function freedListWhat(gone: LiveAllocation[]): string {
  const contexts = gone.filter((l) => l.kind !== 'ecp-list').length;
  return `the ECP list${contexts ? ` and ${contexts} context${contexts === 1 ? '' : 's'} still in it` : ''}`;
}

function insertNote(event: TraceEvent): string {
  const what = event.args[event.args.length - 1] ?? 'the context';
  const list = event.args[event.args.length - 2] ?? 'the list';
  if (!failed(event.status)) return `Inserted ${what} into ${list}: the list owns it now and frees it with the list.`;
  const dup = event.violations.includes('ecp-duplicate-type') ? ': an ECP of the same type is already in the list' : '';
  return `Insert failed with ${event.status}${dup}; the caller still owns ${what} and must free it.`;
}

function createNote(event: TraceEvent): string {
  if (event.snapshot.bugCheck) return `Bug check ${event.snapshot.bugCheck.code}/${event.snapshot.bugCheck.subcode}: ${event.snapshot.bugCheck.meaning} The simulated machine stopped.`;
  const verb = failed(event.status) ? `failed with ${event.status}` : 'succeeded';
  return `Create ${verb}; ${event.routine} does not free the ECP list: the caller still owns it and its contexts.`;
}

/** The step's one-line description. */
export function noteFor(input: NoteInput): string {
  const { event } = input;
  const op = routineInfo(event.routine)?.op;
  const shown = event.snapshot.bugCheck ? [] : event.violations.filter((v) => v !== 'ecp-duplicate-type');
  const extra = shown.length > 0 ? ` Rule ${shown.join(', ')} fires here.` : '';
  return base(input, op) + extra;
}

function base(input: NoteInput, op: string | undefined): string {
  const { event } = input;
  if (event.snapshot.bugCheck && !input.before.bugCheck) return createNote(event);
  const isAlloc = op === 'allocateList' || op === 'allocateEcp' || op === 'allocateEcpFromLookaside';
  if (isAlloc && failed(event.status)) return `${event.routine} failed with ${event.status}${faultReason(input)}; the out-parameter is NULL.`;
  switch (op) {
    case 'allocateList':
    case 'allocateEcp':
    case 'allocateEcpFromLookaside':
      return allocationNote(input);
    case 'freeList':
    case 'freeEcp':
      return freeNote(input);
    case 'insert':
      return insertNote(event);
    case 'createFile':
      return createNote(event);
    case 'initDriverCreateContext':
      return 'Driver create context initialised: set its ExtraCreateParameter to the ECP list before the create.';
    case 'setListIntoCreate':
      return failed(event.status) ? `${event.routine} failed with ${event.status}; the caller still owns the list.` : 'The list is attached to the create in flight: the I/O manager frees it and its contexts.';
    case 'initLookaside':
      return 'Lookaside list initialised (no pool is taken until the first allocation).';
    case 'deleteLookaside':
      return 'Lookaside list deleted: its cached entries went back to the pool.';
    default:
      return event.status === null ? `${event.routine} ran.` : `${event.routine} returned ${event.status}.`;
  }
}
