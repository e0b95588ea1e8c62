/**
 * Fault plans as the user writes them, checked against the path they ran on: a pool tag matches
 * in either byte order (as the C literal reads, 'pcEx', or as PoolMon shows it, xEcp); a plan
 * that names an allocation the path never attempts, or a tag it never allocates, is an error
 * rather than a clean-looking trace. Also the one-line summary of systematic fault injection.
 */
import type { PathState } from '../engine/state';
import type { FaultMatch, Trace } from '../protocol';
import { SimulateError } from './select';
import { plural } from '../util/plural';

export interface Faults {
  failAllocations: number[];
  failTags: string[];
}

function reversed(tag: string): string {
  return [...tag].reverse().join('');
}


/** The tags the kernel fails: each as typed and in the other byte order. */
export function kernelTags(tags: string[]): string[] {
  return [...new Set(tags.flatMap((t) => [t, reversed(t)]))];
}

/** How a typed tag names the allocation's tag (shown order first), or null. */
function tagMatch(typed: string, shown: string): string | null {
  if (shown === '') return null;
  if (typed === shown) return `tag ${shown}`;
  if (reversed(typed) === shown) return `tag ${shown}, typed as the source writes it ('${typed}')`;
  return null;
}

interface Attempt {
  allocation: number;
  tag: string;
  line: number;
  routine: string;
}

function attempts(st: PathState): Attempt[] {
  const events = st.trace ?? [];
  return st.kernel.attemptTags().map((tag, i) => {
    const event = events.find((e) => e.snapshot.allocationAttempts > i);
    return { allocation: i + 1, tag, line: event ? event.site.line + 1 : 0, routine: event?.routine ?? '' };
  });
}

const LISTED_ATTEMPTS = 6;

function listAttempts(all: Attempt[]): string {
  const more = all.length > LISTED_ATTEMPTS ? `; … ${all.length - LISTED_ATTEMPTS} more` : '';
  return all.slice(0, LISTED_ATTEMPTS).map((a) => `#${a.allocation} ${a.routine} at line ${a.line}${a.tag ? `, tag ${a.tag}` : ''}`).join('; ') + more;
}

/**
 * The allocations the plan failed on this path; throws SimulateError when part of the plan
 * matched nothing (an ordinal past the path's attempts, a tag no attempt carries).
 */
export function checkFaultPlan(st: PathState, faults: Faults, functionName: string): FaultMatch[] {
  const all = attempts(st);
  const made = `on this path ${functionName} makes ${plural(all.length, 'allocation attempt')}${all.length ? ` (${listAttempts(all)})` : ''}`;
  const missing = faults.failAllocations.filter((n) => n > all.length);
  if (missing.length > 0) {
    throw new SimulateError(`allocation ${missing.map((n) => `#${n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} never attempted: ${made}.`);
  }
  const unmatched = faults.failTags.filter((t) => !all.some((a) => tagMatch(t, a.tag)));
  if (unmatched.length > 0) {
    throw new SimulateError(`no allocation has pool tag ${unmatched.map((t) => `'${t}'`).join(', ')} (in either byte order): ${made}.`);
  }
  const matches: FaultMatch[] = [];
  for (const a of all) {
    const byNumber = faults.failAllocations.includes(a.allocation);
    const byTag = byNumber ? null : faults.failTags.map((t) => tagMatch(t, a.tag)).find((m) => m !== null);
    if (byNumber || byTag) matches.push({ allocation: a.allocation, line: a.line, routine: a.routine, tag: a.tag, matchedBy: byNumber ? 'number' : byTag! });
  }
  return matches;
}

/** One line that agrees with the explored table: how many fault paths went wrong, and where. */
export function exploredSummary(explored: NonNullable<Trace['explored']>, bound?: string): string {
  const limit = bound ? ` (${bound})` : '';
  if (explored.length === 0) return `no allocation to fail on this path${limit}.`;
  const bad = explored.filter((e) => e.leaks > 0 || e.bugCheck !== null);
  if (bad.length === 0) return `${explored.length === 1 ? 'the only fault path is' : `all ${plural(explored.length, 'fault path')} are`} clean: no leak and no bug check${limit}.`;
  const leaking = bad.filter((e) => e.leaks > 0).length;
  const verb = leaking === bad.length ? 'leak' : leaking === 0 ? 'bug-check' : 'leak or bug-check';
  const singular = bad.length === 1 ? `${verb.replace(/(leak|bug-check)/g, '$1s')}` : verb;
  const where = bad.map((e) => `failing allocation #${e.failedAllocation} at line ${e.line}`).join('; ');
  return `${bad.length} of ${plural(explored.length, 'fault path')} ${singular}: ${where}${limit}.`;
}
