/**
 * A lookaside list initialised with one family's routine (FltInitExtraCreateParameterLookasideList
 * or FsRtlInitExtraCreateParameterLookasideList) and allocated from or deleted with the other's,
 * in another function of the file or another file of the program: ecp-api-family-mix at the use.
 * A use in the function that initialised it is the path engine's to report.
 */
import type { RawFinding } from '../engine/context';
import type { LookasideUse } from './syntactic';
import { familiesMix, familyLabel } from '../kernel/names';

export function lookasideFamilyFindings(
  inits: LookasideUse[],
  uses: LookasideUse[],
  elsewhere: Map<string, LookasideUse> | undefined,
  already: readonly RawFinding[],
): RawFinding[] {
  const byName = new Map<string, LookasideUse>(elsewhere ?? []);
  for (const i of inits) byName.set(i.name, i);
  const out: RawFinding[] = [];
  for (const use of uses) {
    const init = byName.get(use.name);
    if (!init?.family || !use.family || !familiesMix(init.family, use.family)) continue;
    const reported = already.some((f) => f.code === 'ecp-api-family-mix' && f.site.line === use.site.line && f.site.character === use.site.character && !f.site.inner);
    if (reported) continue;
    const where = init.file ? `${init.file.split(/[\\/]/).pop()} line ${init.site.line + 1}` : `line ${init.site.line + 1}`;
    out.push({
      code: 'ecp-api-family-mix',
      site: use.site,
      message: `Lookaside list ${use.name} comes from the ${familyLabel(init.family)} routines (${init.routine ?? 'initialised'} at ${where}) but is passed to ${use.routine}; keep each object within one family.`,
      related: init.file ? [] : [{ site: init.site, message: `${use.name} initialised here` }],
    });
  }
  return out;
}
