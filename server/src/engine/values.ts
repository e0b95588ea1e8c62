/** Abstract values the engine tracks for C expressions. */
import type { ObjId, Site } from '../kernel/types';

/** Why a pointer is NULL: it matters for which rule fires when it is used. */
export type NullReason =
  | { kind: 'failed-call'; routine: string; site: Site; status: string }
  | { kind: 'maybe-null-list'; routine: string; site: Site };

export type Val =
  | { k: 'obj'; id: ObjId }
  | { k: 'null'; why?: NullReason }
  | { k: 'int'; v: number }
  /** An NTSTATUS value bound to the outcome of one call. */
  /** `any`: the name is only a representative; the call may have failed with any failure status. */
  | { k: 'status'; name: string; routine: string; site: Site; any?: boolean }
  | { k: 'bool'; v: boolean }
  /** The address of a variable in a scope: `&x`. */
  | { k: 'addr'; scope: number; name: string }
  /** A value the path does not know, except that a condition found it not 0 (not NULL). */
  | { k: 'nonzero' }
  | { k: 'unknown' };

export const UNKNOWN: Val = { k: 'unknown' };
export const NULL_VAL: Val = { k: 'null' };
export const NONZERO: Val = { k: 'nonzero' };

export function isTruthy(v: Val): boolean | undefined {
  switch (v.k) {
    case 'obj':
    case 'addr':
    case 'nonzero':
      return true;
    case 'null':
      return false;
    case 'int':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'status':
      return v.name !== 'STATUS_SUCCESS';
    default:
      return undefined;
  }
}

export function valKey(v: Val): string {
  switch (v.k) {
    case 'obj':
      return `o${v.id}`;
    case 'null':
      return v.why ? `n:${v.why.kind}:${v.why.site.line}` : 'n';
    case 'int':
      return `i${v.v}`;
    case 'status':
      return `s:${v.name}:${v.site.line}${v.any ? '*' : ''}`;
    case 'bool':
      return v.v ? 'T' : 'F';
    case 'addr':
      return `a${v.scope}:${v.name}`;
    case 'nonzero':
      return 'nz';
    default:
      return '?';
  }
}
