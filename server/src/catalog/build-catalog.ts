/**
 * The ECP catalog, built once: every routine, flag, flag family, GUID, type, status and bug check,
 * plus look-up helpers. Re-exported (with the markdown renderers) by index.ts.
 */
import type {
  BugCheckInfo,
  Catalog,
  FieldInfo,
  FlagFamilyInfo,
  FlagFamilyName,
  FlagInfo,
  GuidInfo,
  RoutineInfo,
  StatusInfo,
  TypeInfo,
} from './types';
import { fltLifetimeRoutines } from './routines-flt';
import { fltLookupRoutines } from './routines-flt-lookup';
import { fltCreateRoutines } from './routines-flt-create';
import { fsrtlLifetimeRoutines } from './routines-fsrtl';
import { fsrtlLookupRoutines } from './routines-fsrtl-lookup';
import { ioRoutines } from './routines-io';
import { flagFamilyList, flagList } from './flags';
import { guidList } from './guids';
import { coreTypes } from './types-info';
import { systemTypes } from './types-system';
import { statusList } from './statuses';
import { bugCheckList } from './bugchecks';

/** Every routine, in family order (Flt, FsRtl, Io). */
export const routineList: RoutineInfo[] = [
  ...fltLifetimeRoutines,
  ...fltLookupRoutines,
  ...fltCreateRoutines,
  ...fsrtlLifetimeRoutines,
  ...fsrtlLookupRoutines,
  ...ioRoutines,
];

export const typeList: TypeInfo[] = [...coreTypes, ...systemTypes];
export { flagList, flagFamilyList, guidList, statusList, bugCheckList };

/** GUID names that the headers define as aliases of another GUID. */
const GUID_ALIASES: Record<string, string> = { GUID_ECP_WCIFS_REDIRECTION: 'GUID_ECP_CREATE_REDIRECTION' };

/** '0x10C' style key of a bug check code. */
export function bugCheckKey(code: number): string {
  return `0x${code.toString(16).toUpperCase()}`;
}

function byName<T extends { name: string }>(list: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of list) {
    if (map.has(item.name)) throw new Error(`ECP catalog: duplicate entry ${item.name}`);
    map.set(item.name, item);
  }
  return map;
}

function buildCatalog(): Catalog {
  const guids = byName(guidList);
  for (const [alias, target] of Object.entries(GUID_ALIASES)) guids.set(alias, guids.get(target)!);
  const types = new Map<string, TypeInfo>();
  for (const t of typeList) for (const key of [t.name, ...t.aliases]) types.set(key, t);
  const bugChecks = new Map<string, BugCheckInfo>();
  for (const b of bugCheckList) {
    bugChecks.set(b.name, b);
    bugChecks.set(bugCheckKey(b.code), b);
  }
  return {
    routines: byName(routineList),
    flags: byName(flagList),
    flagFamilies: new Map(flagFamilyList.map((f) => [f.name, f] as [FlagFamilyName, FlagFamilyInfo])),
    guids,
    types,
    statuses: byName(statusList),
    bugChecks,
  };
}

export const catalog: Catalog = buildCatalog();

export function routine(name: string): RoutineInfo | undefined {
  return catalog.routines.get(name);
}

export type SymbolHit =
  | { kind: 'routine'; name: string; routine: RoutineInfo }
  | { kind: 'flag'; name: string; flag: FlagInfo }
  | { kind: 'guid'; name: string; guid: GuidInfo }
  | { kind: 'type'; name: string; type: TypeInfo }
  | { kind: 'field'; name: string; type: TypeInfo; field: FieldInfo }
  | { kind: 'status'; name: string; status: StatusInfo }
  | { kind: 'bugcheck'; name: string; bugCheck: BugCheckInfo };

/** A field of a catalogued structure, by type name (or alias) and field name (dotted for nested). */
export function lookupField(typeName: string, fieldName: string): { type: TypeInfo; field: FieldInfo } | undefined {
  const type = catalog.types.get(typeName);
  const field = type?.fields.find((f) => f.name === fieldName);
  return type && field ? { type, field } : undefined;
}

/**
 * Resolves an identifier as written in C: a routine, flag constant, GUID name, type or alias,
 * status, bug check (name or hex code such as 0x10C), or `Type.Field` / `Type->Field` / `Type::Field`.
 */
export function lookupSymbol(name: string): SymbolHit | undefined {
  const r = catalog.routines.get(name);
  if (r) return { kind: 'routine', name, routine: r };
  const f = catalog.flags.get(name);
  if (f) return { kind: 'flag', name, flag: f };
  const g = catalog.guids.get(name);
  if (g) return { kind: 'guid', name, guid: g };
  const t = catalog.types.get(name);
  if (t) return { kind: 'type', name, type: t };
  const s = catalog.statuses.get(name);
  if (s) return { kind: 'status', name, status: s };
  const hex = /^0x[0-9a-f]+$/i.test(name) ? bugCheckKey(parseInt(name, 16)) : name;
  const b = catalog.bugChecks.get(hex);
  if (b) return { kind: 'bugcheck', name, bugCheck: b };
  const m = /^(\w+)\s*(?:\.|->|::)\s*([\w.[\]]+)$/.exec(name);
  if (m) {
    const hit = lookupField(m[1], m[2]);
    if (hit) return { kind: 'field', name, ...hit };
  }
  return undefined;
}
