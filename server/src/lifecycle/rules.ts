/**
 * The driver lifecycle rules, a pass over the program's entry points:
 * - `ecp-lookaside-lifecycle`: an ECP lookaside list initialised after FltStartFiltering on
 *   DriverEntry's paths, or deleted before FltUnregisterFilter (on the unload callback's paths, and
 *   on DriverEntry's once filtering started);
 * - `ecp-create-only-routine`: a create-only routine reached from a callback or dispatch routine
 *   registered for another major function, on a path no MajorFunction check restricts.
 * Every file's analysis runs the pass over the whole program and keeps the findings that sit in
 * that file, so each finding is reported once, by the file where it is fixed.
 */
import { identifiersIn } from '../util/textCache';
import { bodyText, type FileModel } from '../engine/fileModel';
import type { RawFinding } from '../engine/context';
import type { PathStep } from '../engine/state';
import type { Site } from '../kernel/types';
import { programFunction, programFileName, isStatic, type ProgramSource } from '../engine/program';
import { routineInfo } from '../engine/catalogAccess';
import type { LifecycleFacts, FactSite, OperationEntry } from './facts';
import { LifecycleWalk, isCreateLike, type Loc, type Located, type Resolved, type Role, type WalkEnv } from './walk';

export interface LifecycleInput {
  model: FileModel;
  own: LifecycleFacts;
  /** The other files' facts (by URI). */
  others: { uri: string; facts: LifecycleFacts }[];
  program?: ProgramSource;
  /** Every file of the program is known: only then may a finding involve another file. */
  complete: boolean;
}

const MAX_FILES = 48;
/** The walk follows calls four deep (`walk.ts`); namespaced names count once more. */
const MAX_REACH_DEPTH = 5;

interface Root {
  name: string;
  role: Role;
  /** Where the root is registered (an unload callback or an operation), if it is. */
  registered?: { loc: Loc; message: string };
}

export function lifecycleFindings(input: LifecycleInput): { findings: RawFinding[]; log: string[] } {
  const env = environment(input);
  const findings: RawFinding[] = [];
  const log: string[] = [];
  const seen = new Set<string>();
  const reachMemo = new Map<string, boolean>();
  const emit = (site: Loc, code: string, message: string, related: (PathStep | undefined)[], root: Root): void => {
    const steps = related.filter((s): s is PathStep => Boolean(s));
    if (site.file !== undefined || site.header) return;
    if (!input.complete && steps.some((s) => s.site.inner)) return;
    const key = `${code}@${site.line}:${site.character}`;
    if (seen.has(key)) return;
    seen.add(key);
    const registered = root.registered && step(root.registered.loc, root.registered.message);
    findings.push({ code, site: plain(site), message, related: registered ? [registered, ...steps] : steps });
  };
  // A finding sits in this file only at a create-only call written here (or in a header it
  // includes), or in a DriverEntry or unload callback defined here: other roots are not walked.
  let hostsCreateOnly: boolean | undefined;
  for (const root of roots(input)) {
    hostsCreateOnly ??= root.role.kind === 'callback' ? [...input.model.functions.values()].some((fn) => !fn.file && mentionsOp(bodyText(fn), CREATE_ONLY_OPS)) : undefined;
    if (root.role.kind === 'callback' && !hostsCreateOnly) continue;
    const res = env.resolve(root.name, root.registered?.loc.file);
    if (!res) {
      // Said once, by the file that registers it: a root that is not read is not judged.
      if (root.registered && root.registered.loc.file === undefined) log.push(`${root.name}: lifecycle rules did not follow it (${root.registered.message}), because no file of the program defines it where it can be read${input.model.unparsedRegions.some((r) => r.name === root.name) ? ' (its definition here could not be parsed)' : ''}`);
      continue;
    }
    if (root.registered?.loc.file !== undefined && !input.complete) continue;
    if (root.role.kind !== 'callback' && (res.file !== undefined || res.header)) continue;
    if (!reaches(env, res, root.role.kind === 'callback' ? CREATE_ONLY_OPS : LOOKASIDE_OPS, reachMemo)) continue;
    const walk = new LifecycleWalk(env, root.role, {
      initAfterStart(init, start) {
        emit(outermost(init), 'ecp-lookaside-lifecycle',
          'This initialises an ECP lookaside list after FltStartFiltering succeeded: from that moment the filter\'s callbacks run and can allocate from a list that does not exist yet. Initialise the lookaside before FltStartFiltering (before FltRegisterFilter is best).',
          [start && step(start.at, 'FltStartFiltering succeeded here; callbacks can run from now on'), ...chainSteps(init, 'the lookaside list is initialised here')], root);
      },
      deleteBeforeUnregister(del, unregister, start) {
        emit(outermost(del), 'ecp-lookaside-lifecycle',
          `This deletes an ECP lookaside list while the filter is still registered${root.role.kind === 'unload' ? ' (in the unload callback)' : ' and filtering has started'}: callbacks can still be running and allocating from it, and ECPs from it can still be attached to creates. Delete it after FltUnregisterFilter, which waits for the callbacks to finish.`,
          [start && step(start.at, 'FltStartFiltering succeeded here'), ...chainSteps(del, 'the lookaside list is deleted here'), step(unregister.at, 'the filter is unregistered only here, later on the same path')], root);
      },
      createOnly(call, routine) {
        const what = describeMajors(root.role.kind === 'callback' ? root.role.majors : []);
        emit(innermostInFile(call), 'ecp-create-only-routine',
          `${routine} works only on a create (IRP_MJ_CREATE), but this call is reached from ${root.name}, which runs for ${what}, on a path that no check of MajorFunction restricts to the create; there it fails with STATUS_INVALID_PARAMETER and no ECP list exists. Test Data->Iopb->MajorFunction (IrpSp->MajorFunction) == IRP_MJ_CREATE first, or call it only from the create callback.`,
          call.chain.map((c, i) => step(c, i === 0 ? `called from ${root.name}` : 'called from here')), root);
      },
    });
    walk.run(res);
    if (walk.incomplete && res.file === undefined && !res.header) log.push(`${root.name}: lifecycle rules did not follow every path (${walk.incomplete})`);
  }
  return { findings, log };
}

const CREATE_ONLY_OPS = new Set(['getListFromCreate', 'setListIntoCreate']);
const LOOKASIDE_OPS = new Set(['initLookaside', 'deleteLookaside']);

/**
 * Whether a root can call one of `ops` at all (through the functions and macros it names, as deep
 * as the walk follows): most callbacks of a filter never touch an ECP, and are not walked.
 */
function reaches(env: WalkEnv, root: Resolved, ops: Set<string>, memo: Map<string, boolean>): boolean {
  const key = `${[...ops][0]}\u0000${root.file ?? ''}\u0000${root.fn.name}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  let level = [root];
  const seen = new Set<string>([`${root.file ?? ''}\u0000${root.fn.name}`]);
  let found = false;
  for (let depth = 0; depth <= MAX_REACH_DEPTH && level.length > 0 && !found; depth++) {
    const next: Resolved[] = [];
    for (const r of level) {
      for (const id of identifiers(bodyText(r.fn))) {
        const op = routineInfo(id)?.op;
        if (op) {
          if (ops.has(op)) found = true;
          continue;
        }
        const macro = env.macroBody(id, r.file);
        if (macro !== undefined && mentionsOp(macro, ops)) found = true;
        const where = `${r.file ?? ''}\u0000${id}`;
        if (seen.has(where) || macro !== undefined) continue;
        seen.add(where);
        const callee = env.resolve(id, r.file);
        if (callee) next.push(callee);
      }
      if (found) break;
    }
    level = next;
  }
  memo.set(key, found);
  return found;
}

const identifiers = identifiersIn;

/** Answers by the text's identifier set (cached by text), so an unchanged body costs a look-up. */
const mentions = new WeakMap<Set<string>, Map<Set<string>, boolean>>();

function mentionsOp(text: string, ops: Set<string>): boolean {
  const ids = identifiers(text);
  let byOps = mentions.get(ids);
  if (!byOps) mentions.set(ids, (byOps = new Map()));
  let found = byOps.get(ops);
  if (found === undefined) {
    found = false;
    for (const id of ids) if (ops.has(routineInfo(id)?.op ?? '')) found = true;
    byOps.set(ops, found);
  }
  return found;
}

/** DriverEntry, each unload callback, and each callback registered for a major function other than create. */
function roots(input: LifecycleInput): Root[] {
  const out: Root[] = [{ name: 'DriverEntry', role: { kind: 'entry' } }];
  const all = [{ uri: undefined as string | undefined, facts: input.own }, ...input.others];
  for (const { uri, facts } of all) {
    for (const u of facts.unloads) out.push({ name: u.unload, role: { kind: 'unload' }, registered: { loc: at(u.site, uri), message: `${u.unload} is the FilterUnloadCallback of ${u.registration}` } });
    // One root per callback and registering file: the callback is walked once for all its majors.
    const byCallback = new Map<string, { majors: string[]; loc: Loc; via: OperationEntry['via'] }>();
    for (const op of facts.operations) {
      if (isCreateLike(op.major)) continue;
      for (const cb of op.callbacks) {
        const known = byCallback.get(cb);
        if (known) {
          if (!known.majors.includes(op.major)) known.majors.push(op.major);
        } else byCallback.set(cb, { majors: [op.major], loc: at(op.site, uri), via: op.via });
      }
    }
    for (const [cb, r] of byCallback) {
      const what = describeMajors(r.majors);
      const message = r.via === 'dispatch' ? `${cb} is the dispatch routine for ${what} here` : `${cb} is registered for ${what} here`;
      out.push({ name: cb, role: { kind: 'callback', majors: r.majors }, registered: { loc: r.loc, message } });
    }
  }
  return out;
}

function describeMajors(majors: string[]): string {
  if (majors.includes('*')) return 'every major function';
  return majors.length <= 3 ? majors.join(', ') : `${majors.slice(0, 3).join(', ')} and ${majors.length - 3} more`;
}

function environment(input: LifecycleInput): WalkEnv {
  const cache = new Map<string, Resolved | undefined>();
  // Nodes of other files live in the program's model cache: stay well under its size.
  const files = new Set<string>();
  const program = input.program;
  const readable = (uri: string): boolean => files.has(uri) || files.size < MAX_FILES;
  // The analysed file's own functions and its headers' (not those merged from other files).
  const own = (name: string) => {
    const fn = input.model.functions.get(name);
    return fn && !fn.file ? fn : undefined;
  };
  return {
    resolve(name, home) {
      const cacheKey = `${home ?? ''}\u0000${name}`;
      if (cache.has(cacheKey)) return cache.get(cacheKey);
      // `ns::F()` calls a function the model knows as `F` when it is defined in a namespace block.
      const names = name.includes('::') ? [name, name.slice(name.lastIndexOf('::') + 2)] : [name];
      let res: Resolved | undefined;
      for (const n of names) {
        // A call written in another file runs that file's own function first (a `static` one, its headers').
        const local = home !== undefined && program && readable(home) ? programFileName(program, home, n).fn : undefined;
        const mine = own(n);
        if (local) {
          files.add(home!);
          res = { fn: local, file: home, header: Boolean(local.fromHeader) };
        } else if (mine && (home === undefined || (!mine.fromHeader && !isStatic(mine)))) {
          res = { fn: mine, file: undefined, header: Boolean(mine.fromHeader) };
        } else {
          const uri = program?.definer(n);
          const found = uri && readable(uri) ? programFunction(program!, n) : undefined;
          if (found) {
            files.add(found.uri);
            res = { fn: found.fn, file: found.uri, header: false };
          }
        }
        if (res) break;
      }
      cache.set(cacheKey, res);
      return res;
    },
    // Another file's function sees that file's macros (its own and its headers'), not this file's.
    macroBody: (name, home) => (home !== undefined && program && readable(home) ? programFileName(program, home, name).macro : input.model.macros.get(name)?.body),
  };
}

/** Lifecycle findings sit at the root function's call that leads to the event (or the event). */
function outermost(l: Located): Loc {
  return l.chain[0] ?? l.at;
}

/** A create-only call is reported where it is written; in a header, at the last call outside it. */
function innermostInFile(l: Located): Loc {
  const all = [...l.chain, l.at];
  for (let i = all.length - 1; i >= 0; i--) if (!all[i].header) return all[i];
  return l.at;
}

/** The event itself and the calls between the root and it, when the finding sits elsewhere. */
function chainSteps(l: Located, message: string): (PathStep | undefined)[] {
  if (l.chain.length === 0) return [];
  return [...l.chain.slice(1).map((c) => step(c, 'called from here')), step(l.at, message)];
}

function at(s: FactSite, file: string | undefined): Loc {
  return { ...s, file };
}

function plain(l: Loc): Site {
  return { line: l.line, character: l.character, endLine: l.endLine, endCharacter: l.endCharacter };
}

/** A step in another file keeps its place as `inner` (the analysis turns it into that file's URI). */
function step(l: Loc, message: string): PathStep | undefined {
  if (l.header) return undefined;
  const site = plain(l);
  return { site: l.file !== undefined ? { ...site, inner: { file: l.file, ...site } } : site, message };
}
