/** Test helpers for the catalog tests: a small, independent parser of C prototypes. */

/** The parameter declarations of `name(...)` in a prototype, split at top-level commas. */
export function prototypeParams(prototype: string, name: string): string[] {
  const start = prototype.indexOf(`${name}(`);
  if (start < 0) throw new Error(`prototype does not declare ${name}(`);
  const out: string[] = [];
  let depth = 1;
  let current = '';
  for (let i = start + name.length + 1; i < prototype.length; i++) {
    const ch = prototype[i];
    if (ch === '(') depth++;
    if (ch === ')' && --depth === 0) break;
    if (ch === ',' && depth === 1) {
      out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (depth !== 0) throw new Error(`unbalanced parentheses in the prototype of ${name}`);
  if (current.trim() && current.trim() !== 'VOID') out.push(current.trim());
  return out;
}

/** The declared name of one parameter declaration (its last identifier). */
export function declaredName(decl: string): string {
  const m = /([A-Za-z_]\w*)\s*$/.exec(decl);
  if (!m) throw new Error(`no parameter name in "${decl}"`);
  return m[1];
}

export const squash = (s: string) => s.replace(/\s+/g, '');

/** Routines listed in the facts file §1.1 (IoGetOplockKeyContext(Ex) included). */
export const FACTS_ROUTINES = [
  'FltAllocateExtraCreateParameterList',
  'FltFreeExtraCreateParameterList',
  'FltAllocateExtraCreateParameter',
  'FltAllocateExtraCreateParameterFromLookasideList',
  'FltInitExtraCreateParameterLookasideList',
  'FltDeleteExtraCreateParameterLookasideList',
  'FltFreeExtraCreateParameter',
  'FltInsertExtraCreateParameter',
  'FltFindExtraCreateParameter',
  'FltRemoveExtraCreateParameter',
  'FltGetNextExtraCreateParameter',
  'FltGetEcpListFromCallbackData',
  'FltSetEcpListIntoCallbackData',
  'FltAcknowledgeEcp',
  'FltIsEcpAcknowledged',
  'FltIsEcpFromUserMode',
  'FltPrepareToReuseEcp',
  'FltCreateFileEx2',
  'FltCopyOpenReparseList',
  'FltFreeOpenReparseList',
  'FltAddOpenReparseEntry',
  'FltRemoveOpenReparseEntry',
  'FltRequestFileInfoOnCreateCompletion',
  'FsRtlAllocateExtraCreateParameterList',
  'FsRtlFreeExtraCreateParameterList',
  'FsRtlInitializeExtraCreateParameterList',
  'FsRtlAllocateExtraCreateParameter',
  'FsRtlFreeExtraCreateParameter',
  'FsRtlInitializeExtraCreateParameter',
  'FsRtlInitExtraCreateParameterLookasideList',
  'FsRtlDeleteExtraCreateParameterLookasideList',
  'FsRtlAllocateExtraCreateParameterFromLookasideList',
  'FsRtlInsertExtraCreateParameter',
  'FsRtlFindExtraCreateParameter',
  'FsRtlRemoveExtraCreateParameter',
  'FsRtlGetNextExtraCreateParameter',
  'FsRtlGetEcpListFromIrp',
  'FsRtlSetEcpListIntoIrp',
  'FsRtlAcknowledgeEcp',
  'FsRtlIsEcpAcknowledged',
  'FsRtlIsEcpFromUserMode',
  'FsRtlPrepareToReuseEcp',
  'IoCreateFileEx',
  'IoCreateFileSpecifyDeviceObjectHint',
  'IoInitializeDriverCreateContext',
  'IoGetIrpExtraCreateParameter',
  'IoSetIrpExtraCreateParameter',
  'IoClearIrpExtraCreateParameter',
  'IoGetOplockKeyContext',
  'IoGetOplockKeyContextEx',
];
