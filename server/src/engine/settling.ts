/**
 * Settled paths. Once no code a path may still run names an ECP operation (liveness.ts
 * `StackView.ecpAhead`) and no variable it may still read holds an ECP object (or the address of
 * a variable holding one), nothing ahead of it can change ECP state or read it: the values of its
 * other locals decide only which way it goes to its end, and every way ends with the kernel as it
 * is now. Such a path is signed by its place and its kernel state alone, so paths that differ only
 * in flags, counters and statuses nobody uses for ECPs again are one (exactly: the findings at the
 * end — leaks — depend on the kernel state only). Real dispatch routines reach their last ECP call
 * early and then branch on dozens of such values for hundreds of lines.
 */
import type { PathState } from './state';
import type { IsLive } from './liveness';
import type { Val } from './values';

/** A value that is, or points to a variable holding, an object of the simulated kernel. */
export function holdsObject(s: PathState, v: Val): boolean {
  if (v.k === 'obj') return true;
  return v.k === 'addr' && s.scopes[v.scope]?.vars.get(v.name)?.k === 'obj';
}

/**
 * Whether something the path may still read holds ECP state: a live variable holding an object or
 * its address, a kernel object known by a name the path may still use (a lookaside list, a driver
 * create context), or (leaving a call) the value returned.
 */
export function holdsEcpState(s: PathState, isLive: IsLive, withReturn: boolean): boolean {
  if (withReturn && holdsObject(s, s.returnValue)) return true;
  for (const sc of s.scopes) for (const [name, v] of sc.vars) if (holdsObject(s, v) && isLive(name)) return true;
  for (const o of s.kernel.objects()) if ((o.kind === 'lookaside' || o.kind === 'driver-create-context') && isLive(o.name)) return true;
  return false;
}

/**
 * What decides, besides the callee's own entry, whether paths inside a call settle: where the
 * caller's frames stand (the code ahead of the call) and which caller variables hold objects.
 * A summary of a call whose run merged settled paths is reused only where this is the same.
 */
export function settledContext(s: PathState, place: string): string {
  const holders: string[] = [];
  s.scopes.forEach((sc, i) => {
    for (const [name, v] of sc.vars) if (holdsObject(s, v)) holders.push(`${i}:${name}`);
  });
  return `${place}#${holders.sort().join(',')}`;
}
