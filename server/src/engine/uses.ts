/**
 * Uses of pointers that may be NULL because of how they were obtained: after a failed call
 * (ecp-unchecked-status) or from a create that carried no ECP list (ecp-null-list), and uses of
 * freed objects outside the catalog's routines (ecp-use-after-free).
 */
import type { Site } from '../kernel/types';
import type { Ctx } from './context';
import { type PathState, addStep } from './state';
import type { Val } from './values';
import { guidInfo } from './catalogAccess';

/**
 * `asRoutineArg`: the value is handed to an ECP routine, which the kernel checks itself; only the
 * NULL cases are reported here. Otherwise the value is dereferenced (payload read or write).
 */
export function reportNullUse(ctx: Ctx, st: PathState, v: Val, site: Site, what: string, asRoutineArg = false): boolean {
  if (st.ended) return false;
  if (v.k === 'null' && v.why) {
    const why = v.why;
    if (why.kind === 'failed-call') {
      ctx.report({
        code: 'ecp-unchecked-status',
        site,
        message: `${what} is used on a path where ${why.routine} failed (${why.status}) and left it NULL; check the returned status first.`,
        related: [{ site: why.site, message: `${why.routine} fails here with ${why.status}` }, { site, message: `${what} is used here without a status check` }],
        dedupeKey: `unchecked@${why.site.line}:${why.site.character}`,
      });
    } else {
      ctx.report({
        code: 'ecp-null-list',
        site,
        message: `${what} may be NULL: ${why.routine} succeeds with a NULL list when the create carries no ECPs; test it before use.`,
        related: [{ site: why.site, message: `${why.routine} can return STATUS_SUCCESS with a NULL list` }],
        dedupeKey: `nulllist@${why.site.line}:${why.site.character}`,
      });
    }
    // Dereferencing NULL is a certain crash: nothing later on this path happens.
    if (!asRoutineArg) crashHere(st, site, `${what} is NULL here: the path ends in a crash`);
    return true;
  }
  if (v.k === 'obj' && !asRoutineArg) {
    const obj = st.kernel.get(v.id);
    reportUntrustedPayload(ctx, st, v, site, what);
    if (obj && (obj.kind === 'ecp-context' || obj.kind === 'ecp-list') && obj.state === 'freed' && obj.freedAt) {
      ctx.report({
        code: 'ecp-use-after-free',
        site,
        message: `${what} reads ${obj.kind === 'ecp-list' ? 'an ECP list' : 'an ECP context'} that was already freed.`,
        related: [{ site: obj.site, message: 'allocated here' }, { site: obj.freedAt, message: 'freed here' }],
      });
      crashHere(st, site, `${what} uses freed memory: the path ends here`);
      return true;
    }
  }
  return false;
}

/**
 * A free routine (or another that reaches through its pointer: insert, find, remove, acknowledge,
 * user-mode test, reuse) handed a pointer that is NULL on this path for no reason a call gave (set
 * to NULL, initialised NULL, or tested NULL): they take `_In_` pointers, not `_opt_` ones, and
 * reach through them (the list's links, the header in front of the context), so the path ends in
 * a crash. NULLs a failed call or a create without ECPs left are the other rules' (reportNullUse).
 */
export function reportFreeNull(ctx: Ctx, st: PathState, v: Val, site: Site, routine: string, what: string, kind: 'list' | 'ECP'): boolean {
  if (st.ended || !((v.k === 'null' && !v.why) || (v.k === 'int' && v.v === 0))) return false;
  const path = st.steps.filter((s) => !/returns here/.test(s.message)).slice(-4);
  const guard = what === 'NULL' || what === '0' ? 'pass a pointer to a live object' : `test it first (\`if (${what} != NULL)\`)`;
  ctx.report({
    code: 'ecp-free-null',
    site,
    message: `${routine} is given ${what === 'NULL' || what === '0' ? 'NULL' : `${what}, which is NULL on this path`}; it takes no NULL ${kind} and reaches through the pointer: ${guard}.`,
    related: [...path, { site, message: /Free/.test(routine) ? `${routine} frees a NULL ${kind} here` : `${routine} reaches through a NULL ${kind} here` }],
    dedupeKey: `freenull@${site.line}:${site.character}`,
  });
  crashHere(st, site, `${routine} dereferences the NULL ${kind}: the path ends in a crash`);
  return true;
}


/**
 * A custom ECP found on a create (or reached by a get-next walk) whose payload is used before a
 * user-mode check: `ecp->Field`, `*ecp`, or the address of a field handed on (`&ecp->Name` given
 * to RtlCopyUnicodeString reads the UNICODE_STRING the caller wrote). Once per object and path.
 */
export function reportUntrustedPayload(ctx: Ctx, st: PathState, v: Val, site: Site, what: string): void {
  if (st.ended || v.k !== 'obj') return;
  const obj = st.kernel.get(v.id);
  if (!obj || obj.kind !== 'ecp-context' || obj.owner !== 'foreign' || !isCustomType(obj.ecpType) || st.userModeChecked.has(obj.id)) return;
  ctx.report({
    code: 'ecp-untrusted-ecp',
    site,
    message: `${what} reads the payload of ${obj.ecpType} without checking FltIsEcpFromUserMode/FsRtlIsEcpFromUserMode: a user-mode caller can attach this ECP with any content.`,
    related: [{ site: obj.site, message: st.origins.get(obj.id)?.op === 'getNext' ? `the get-next walk reaches this ${obj.ecpType} here` : `${obj.ecpType} is found here` }],
  });
  st.userModeChecked.add(obj.id);
}
/** A certain crash in the simulated kernel: the path ends with that one finding. */
export function crashHere(st: PathState, site: Site, message: string): void {
  if (st.ended) return;
  addStep(st, site, message);
  st.ended = { site, bugCheck: true };
}

/** An ECP type the driver defines itself (not a system-defined GUID). */
function isCustomType(ecpType: string): boolean {
  return ecpType !== '' && !guidInfo(ecpType);
}
