/** Small builders shared by the kernel tests. */
import type { CallOptions, Family, Kernel, ObjId, SimValue, Site } from '../../../server/src/kernel/types';

/** A site on 0-based line `line` (reported to users as line + 1). */
export function at(line: number): Site {
  return { line, character: 2, endLine: line, endCharacter: 30 };
}

export function obj(id: ObjId | null): SimValue {
  return id === null ? { kind: 'null' } : { kind: 'obj', id };
}

export const UNKNOWN: SimValue = { kind: 'unknown' };

/** Allocates a list and one ECP of `ecpType` and inserts it; returns both ids. */
export function listWithEcp(
  kernel: Kernel,
  family: Family = 'flt',
  ecpType = 'GUID_ECP_TEST',
  cleanup: string | null = 'TestCleanup',
  opts?: CallOptions,
): { list: ObjId; ecp: ObjId } {
  const list = kernel.allocateList(family, 0, at(10), opts).out;
  const ecp = kernel.allocateEcp(family, { ecpType, contextBytes: 16, flags: 0, cleanup, tag: 'Tst1' }, at(11)).out;
  if (list === null || ecp === null) throw new Error('allocation failed in test setup');
  kernel.insert(family, obj(list), obj(ecp), at(12));
  return { list, ecp };
}

export function kinds(result: { violations: { kind: string }[] }): string[] {
  return result.violations.map((v) => v.kind);
}
