/**
 * The end of a simulated path: what is still live, what leaked, the bug check if the machine
 * stopped, and a Driver Verifier style verdict. Every figure is simulated.
 */
import type { Kernel, KernelObj, KernelSnapshot, EcpContextObj, EcpListObj, LiveAllocation } from '../kernel/types';
import type { PathState } from '../engine/state';
import type { Trace, TraceLeak } from '../protocol';
import { plural } from '../util/plural';

type Final = Trace['final'];

function liveToLeak(l: LiveAllocation): TraceLeak {
  return { kind: l.kind, pool: l.pool, bytes: l.bytes, tag: l.tag, line: l.line, address: l.address };
}

function objectToLeak(obj: EcpListObj | EcpContextObj): TraceLeak {
  const kind = obj.kind === 'ecp-context' && obj.lookaside !== null ? 'lookaside-entry' : obj.kind;
  return { kind, pool: obj.pool, bytes: obj.blockBytes, tag: obj.tag, line: obj.site.line + 1, address: obj.address };
}

/**
 * Objects the path still owes a free for: the kernel's leak candidates, plus every context still
 * inside a leaked list (Driver Verifier sees each pool block, not just the list head).
 */
export function leakedObjects(kernel: Kernel): (EcpListObj | EcpContextObj)[] {
  const leaks = kernel.leaks().filter((o): o is EcpListObj | EcpContextObj => o.kind === 'ecp-list' || o.kind === 'ecp-context');
  const ids = new Set(leaks.map((o) => o.id));
  for (const obj of [...leaks]) {
    if (obj.kind !== 'ecp-list') continue;
    for (const id of obj.members) {
      const member: KernelObj | undefined = kernel.get(id);
      if (member?.kind === 'ecp-context' && member.state !== 'freed' && member.list === obj.id && !ids.has(id)) {
        ids.add(id);
        leaks.push(member);
      }
    }
  }
  return leaks.sort((a, b) => a.site.line - b.site.line || a.site.character - b.site.character || a.id - b.id);
}

/** Leaks at the end of a path (none when the path bug-checked: the machine stopped first). */
export function pathLeaks(st: PathState, snapshot: KernelSnapshot): TraceLeak[] {
  if (st.ended?.bugCheck || st.kernel.bugCheck) return [];
  const live = new Map(snapshot.live.map((l) => [l.objectId, l] as const));
  return leakedObjects(st.kernel).map((obj) => {
    const l = live.get(obj.id);
    return l ? liveToLeak(l) : objectToLeak(obj);
  });
}


export interface VerdictInput {
  functionName: string;
  leaks: TraceLeak[];
  bugCheck: Final['bugCheck'];
  /** 1-based line where the path ended (return, end of body, or the bug-checking call). */
  endLine: number;
  bugCheckRoutine?: string;
  handedOff: number;
}

/** Driver Verifier style summary line. */
export function verdictFor(v: VerdictInput): string {
  if (v.bugCheck) {
    const name = v.bugCheck.name ?? 'BUG CHECK';
    const meaning = v.bugCheck.meaning ? ` ${v.bugCheck.meaning.replace(/\.$/, '')}` : '';
    const where = v.bugCheckRoutine ? `${v.bugCheckRoutine} at line ${v.endLine}` : `line ${v.endLine}`;
    return `${name} (${v.bugCheck.code}/${v.bugCheck.subcode}):${meaning} (${where}); the simulated machine stopped.`;
  }
  if (v.leaks.length > 0) {
    const total = v.leaks.reduce((sum, l) => sum + l.bytes, 0);
    return `DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4/0x62): ${plural(v.leaks.length, 'pool allocation')} (${plural(total, 'byte')}) still live at unload; ${v.functionName} returns at line ${v.endLine} without freeing ${v.leaks.length === 1 ? 'it' : 'them'}.`;
  }
  const handed = v.handedOff > 0 ? ` (${plural(v.handedOff, 'allocation')} handed off, freed by their new owner)` : '';
  return `No leak: every ECP allocation was freed or handed off${handed}.`;
}

export function buildFinal(st: PathState, functionName: string, bugCheckRoutine: string | undefined, bugCheckLine: number | undefined): Final {
  const snapshot = st.kernel.snapshot();
  const leaks = pathLeaks(st, snapshot);
  const bc = st.kernel.bugCheck ?? snapshot.bugCheck;
  const bugCheck = bc ? { code: bc.code, subcode: bc.subcode, name: bc.name, meaning: bc.meaning } : null;
  const endLine = bugCheck && bugCheckLine !== undefined ? bugCheckLine : (st.ended?.site.line ?? 0) + 1;
  const handedOff = snapshot.live.filter((l) => l.owner === 'create' || l.owner === 'escaped').length;
  return {
    live: snapshot.live.map(liveToLeak),
    leaks,
    quotaBytes: snapshot.quotaBytes,
    cleanupCallbacks: snapshot.cleanupCallbacks.length,
    bugCheck,
    verdict: verdictFor({ functionName, leaks, bugCheck, endLine, bugCheckRoutine, handedOff }),
    snapshot,
  };
}
