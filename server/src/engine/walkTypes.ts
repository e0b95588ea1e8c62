/**
 * A get-next walk learns each ECP's type from the type out-parameter: `GUID type;
 * FltGetNextExtraCreateParameter(..., &type, &cur, ...)` then `IsEqualGUID(&type, &GUID_X)`. On the
 * branch where the test holds, the ECP the cursor points at is a GUID_X, so a custom payload read
 * through it (or an alias) is checked for user-mode origin exactly like one from find.
 */
import type { Node } from '../parsing/parser';
import { type PathState, clonePath, isLocal } from './state';
import { stripParens } from './expr';
import { calleeName } from './relevance';

const GUID_TESTS = new Set(['IsEqualGUID', 'InlineIsEqualGUID', 'FsRtlAreEqualGuids']);

/** The variable an expression names: `&type`, `type`, `*pType`, `(LPGUID)&type`. */
export function namedVariable(node: Node | null | undefined): string | null {
  let n = node ? stripParens(node) : null;
  for (let guard = 0; n && guard < 8; guard++) {
    if (n.type === 'identifier') return n.text;
    if (n.type !== 'pointer_expression') return null;
    const inner = n.childForFieldName('argument');
    n = inner ? stripParens(inner) : null;
  }
  return null;
}

/** Remembers that `typeVar` now describes the ECP `id` (and no longer any earlier one). */
export function noteWalkType(st: PathState, id: number, typeVar: string | null): void {
  if (!typeVar) return;
  for (const [other, origin] of st.origins) if (origin.typeVar === typeVar && other !== id) st.origins.set(other, { ...origin, typeVar: undefined });
  const origin = st.origins.get(id);
  if (origin) st.origins.set(id, { ...origin, typeVar });
}

/**
 * `IsEqualGUID(a, b)` where one side is a walk's type variable and the other a GUID the file or
 * the system names: both branches, the ECP typed on the true one. Null when the call is no such test.
 */
export function guidTest(st: PathState, call: Node): { st: PathState; b: boolean }[] | null {
  if (!GUID_TESTS.has(calleeName(call))) return null;

  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => Boolean(a) && a!.type !== 'comment') ?? [];
  if (args.length !== 2) return null;
  const names = args.map(namedVariable);
  for (let side = 0; side < 2; side++) {
    const typeVar = names[side];
    const guid = names[1 - side];
    if (!typeVar || !guid || isLocal(st, guid)) continue;
    const id = [...st.origins].find(([, o]) => o.typeVar === typeVar)?.[0];
    const obj = id === undefined ? undefined : st.kernel.get(id);
    if (!obj || obj.kind !== 'ecp-context' || obj.ecpType !== '') continue;
    const yes = clonePath(st);
    yes.kernel.learnEcpType(obj.id, guid);
    return [
      { st: yes, b: true },
      { st, b: false },
    ];
  }
  return null;
}
