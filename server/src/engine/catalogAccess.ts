/** The engine's view of the catalog: roles, flags, statuses and GUIDs by name. */
import { catalog } from '../catalog';
import type { ParamRole, RoutineInfo, FlagInfo, GuidInfo } from '../catalog/types';

export function routineInfo(name: string): RoutineInfo | undefined {
  return catalog.routines.get(name);
}

export function flagInfo(name: string): FlagInfo | undefined {
  return catalog.flags.get(name);
}

export function guidInfo(name: string): GuidInfo | undefined {
  return catalog.guids.get(name);
}

export function catalogStatusValue(name: string): number | undefined {
  return catalog.statuses.get(name)?.value;
}

/** Index of the first parameter with this role, or -1. */
export function paramIndex(routine: RoutineInfo, role: ParamRole): number {
  return routine.params.findIndex((p) => p.role === role);
}

/** The maximum IRQL as a number (PASSIVE 0, APC 1, DISPATCH 2), or undefined when undocumented. */
export function irqlLimit(routine: RoutineInfo): number | undefined {
  switch (routine.irqlMax) {
    case 'PASSIVE_LEVEL':
      return 0;
    case 'APC_LEVEL':
      return 1;
    case 'DISPATCH_LEVEL':
      return 2;
    default:
      return undefined;
  }
}

/** Failure statuses the engine explores for a routine, in catalog order. */
export function forkedFailures(routine: RoutineInfo): string[] {
  return routine.returnCodes.filter((r) => r.fork && r.status !== 'STATUS_SUCCESS').map((r) => r.status);
}

/**
 * The words that name ECP routines in source text, for the quick text tests that decide which
 * functions use ECPs: `Flt*`/`FsRtl*`/`Io*` names with ExtraCreateParameter, Ecp or
 * DriverCreateContext in them, and the two creates that take a driver create context
 * (`FltCreateFileEx2`, `IoCreateFileEx`). `FltCreateFileEx` takes none: it is no ECP routine, and a
 * logging helper calling it made every function above it an "ECP user" (and a path-bound gap).
 */
export const ECP_ROUTINE_WORD = String.raw`\b(?:(?:Flt|FsRtl|Io)\w*?(?:ExtraCreateParameter|Ecp|DriverCreateContext)\w*|FltCreateFileEx2|IoCreateFileEx)\b`;

