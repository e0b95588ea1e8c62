/**
 * The lookaside pairs of a file checked against the rest of the workspace: a list initialised and
 * never deleted (`ecp-lookaside-not-deleted`, claimed only when the whole workspace was seen), and
 * a delete whose flags differ from the init's (`ecp-lookaside-flags`).
 */
import type { RawFinding } from '../engine/context';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LookasideUse } from './syntactic';

/** What the workspace index says of the lookasides of the other files. */
export interface LookasideFacts {
  /** Lookaside names deleted anywhere else in the workspace. */
  lookasideDeletes: Set<string>;
  /** Lookasides initialised elsewhere: name → flags at init. */
  lookasideInits: Map<string, LookasideUse>;
  /** The whole workspace has been seen (otherwise "never deleted" cannot be claimed). */
  complete: boolean;
}

/** A use found in a function whose first line moved by `shift` lines since it was cached. */
export function shiftUse(u: LookasideUse, shift: number): LookasideUse {
  if (shift === 0) return u;
  const move = (s: LookasideUse['site']) => ({ ...s, line: s.line + shift, endLine: s.endLine + shift });
  return { ...u, site: move(u.site), flagsSite: u.flagsSite ? move(u.flagsSite) : undefined };
}

export function lookasideFindings(inits: LookasideUse[], deletes: LookasideUse[], ws: LookasideFacts | undefined): RawFinding[] {
  const out: RawFinding[] = [];
  const deleted = new Set([...deletes.map((d) => d.name), ...(ws?.lookasideDeletes ?? [])]);
  const knownComplete = ws ? ws.complete : true;
  for (const init of inits) {
    if (knownComplete && !deleted.has(init.name)) {
      out.push({
        code: 'ecp-lookaside-not-deleted',
        site: init.site,
        message: `The ECP lookaside list ${init.name} is initialised here but never deleted${ws ? ' anywhere in the workspace' : ' in this file'}; delete it with the matching Delete…LookasideList routine in the unload path, after every ECP from it is freed.`,
        related: [],
      });
    }
  }
  const initByName = new Map<string, LookasideUse>(ws?.lookasideInits ?? []);
  for (const i of inits) initByName.set(i.name, i);
  for (const del of deletes) {
    const init = initByName.get(del.name);
    if (!init || init.flags === undefined || del.flags === undefined || init.flags === del.flags) continue;
    out.push({
      code: 'ecp-lookaside-flags',
      site: del.flagsSite ?? del.site,
      message: `${del.name} is deleted with flags ${del.flagsText || del.flags} but was initialised with ${init.flagsText || init.flags}; the delete must use the same flags, or entries go back to the wrong kind of lookaside.`,
      related: [{ site: init.file ? { ...init.site, inner: { file: fileUri(init.file), ...init.site } } : init.site, message: 'initialised here' }],
      fix: del.flagsSite ? { kind: 'replace-text', range: del.flagsSite, newText: init.flagsText, title: `Use ${init.flagsText}` } : undefined,
    });
  }
  return out;
}

/** The URI of a use's file (the index keys files by path, other documents by URI). */
function fileUri(file: string): string {
  return path.isAbsolute(file) ? pathToFileURL(file).toString() : file;
}
