/**
 * Rules that need no path: they read one call or one definition. Argument counts, flag families,
 * context sizes, pool tags, cleanup callbacks, and the lookaside init/delete pairs across files.
 */
import { nameWords } from '../util/codeText';
import type { Node, Tree } from '../parsing/parser';
import { inTakenArms, type FileModel, type FunctionDef, type FunctionMacro } from '../engine/fileModel';
import type { RawFinding } from '../engine/context';
import type { Family } from '../kernel/types';
import { siteOf } from '../engine/context';
import { routineInfo, flagInfo, paramIndex } from '../engine/catalogAccess';
import { constantValue, tagText, textConstant } from '../engine/constants';
import { catalog } from '../catalog';
import type { FlagFamilyName, RoutineInfo } from '../catalog/types';
import { runToEnd, type Sliced } from '../util/slices';

export interface LookasideUse {
  name: string;
  flags: number | undefined;
  site: RawFinding['site'];
  flagsText: string;
  flagsSite: RawFinding['site'] | undefined;
  /** The routine's family and name (Flt or FsRtl), for a lookaside used across families. */
  family?: Family;
  routine?: string;
  /** Set on a use from another file of the workspace: that file. */
  file?: string;
}

export interface SyntacticResult {
  findings: RawFinding[];
  lookasideInits: LookasideUse[];
  lookasideDeletes: LookasideUse[];
  /** ECPs allocated from a named lookaside. */
  lookasideAllocs: LookasideUse[];
}

/** Tags that mean "no tag chosen": zero, the ExAllocatePool default and the DDK default. */
const DEFAULT_TAGS = new Set(['None', 'Ddk ', ' kdD', 'enoN']);

/**
 * The syntactic rules for a whole file: only its top-level parts whose text names a catalog
 * routine are walked (a call of a routine names it), so ordinary code costs a text search.
 */
export function checkSyntax(tree: Tree, model: FileModel): SyntacticResult {
  return runToEnd(checkSyntaxInSlices(tree, model));
}

/** The same, pausing between top-level parts and between calls (the simulator's setup in the server). */
export function* checkSyntaxInSlices(tree: Tree, model: FileModel): Sliced<SyntacticResult> {
  const macros = lookasideMacros(model);
  const namesMacro = (text: string) => macros.length > 0 && macros.some((m) => new RegExp(`\\b${m}\\s*\\(`).test(text));
  const roots: Node[] = [];
  for (const c of tree.rootNode.namedChildren) {
    if (c !== null && (namesRoutine(c.text) || namesMacro(c.text))) roots.push(c);
    yield;
  }
  return yield* checkCalls(roots, model);
}

/**
 * Whether the file can hold a lookaside use at all: every lookaside routine's name ends in
 * `LookasideList`, and a use is either a call written in the file (its text names the routine) or
 * a call of a function-like macro whose expansion does (`expandMacro` only puts arguments in
 * place of parameters, so a macro body, the header's or the file's, names it). Most files have
 * neither, and their workspace facts need no walk of their calls.
 */
export function mayUseLookaside(source: string, model: FileModel): boolean {
  if (source.includes('LookasideList')) return true;
  for (const m of model.macros.values()) if (m.body.includes('LookasideList')) return true;
  return false;
}

/** Function-like macros whose body (or a macro it calls, a few levels deep) calls a lookaside routine. */
function lookasideMacros(model: FileModel): string[] {
  const found = new Set<string>();
  for (let round = 0; round < 3; round++) {
    for (const [name, m] of model.macros) {
      if (found.has(name)) continue;
      if (CALLS_LOOKASIDE_ROUTINE.test(m.body) || [...found].some((f) => new RegExp(`\\b${f}\\s*\\(`).test(m.body))) found.add(name);
    }
  }
  return [...found];
}

/** The syntactic rules for the calls under `root` (a whole file or one function). */
export function checkSyntaxIn(root: Node, model: FileModel): SyntacticResult {
  return runToEnd(checkCalls([root], model));
}

let routineNames: RegExp | undefined;

/** True when `text` holds the name of a catalog routine as a word. */
function namesRoutine(text: string): boolean {
  routineNames ??= new RegExp(`\\b(?:${[...catalog.routines.keys()].sort((a, b) => b.length - a.length).join('|')})\\b`);
  return routineNames.test(text);
}

function* checkCalls(roots: Node[], model: FileModel): Sliced<SyntacticResult> {
  const result: SyntacticResult = { findings: [], lookasideInits: [], lookasideDeletes: [], lookasideAllocs: [] };
  const cleanupNames = new Map<string, Node>();
  for (const call of roots.flatMap((root) => root.descendantsOfType('call_expression'))) {
    yield;
    // A call in an #if arm the build leaves out is not compiled (a delete there deletes nothing).
    if (!call || !inTakenArms(call, model.pp)) continue;
    const fnNode = call.childForFieldName('function');
    const routine = fnNode?.type === 'identifier' ? routineInfo(fnNode.text) : undefined;
    if (!routine) {
      const macro = fnNode?.type === 'identifier' ? model.macros.get(fnNode.text) : undefined;
      if (macro) lookasideInMacro(call, macro, model, result);
      continue;
    }
    const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => Boolean(n) && n!.type !== 'comment');
    if (args.length !== routine.params.length) {
      result.findings.push({
        code: 'ecp-arg-count',
        site: siteOf(call),
        message: `${routine.name} takes ${routine.params.length} argument${routine.params.length === 1 ? '' : 's'} (${routine.params.map((p) => p.name).join(', ')}), but ${args.length} ${args.length === 1 ? 'is' : 'are'} given.`,
        related: [],
      });
      continue;
    }
    checkFlags(routine, args, model, result);
    checkContextSize(routine, args, model, result);
    checkPoolTag(routine, args, model, result);
    const cbArg = args[paramIndex(routine, 'cleanup-callback')];
    const cb = cbArg ? stripCasts(cbArg) : undefined;
    if (cb && cb.type === 'identifier' && model.functions.has(cb.text)) cleanupNames.set(cb.text, cb);
    collectLookaside(routine, args, model, result);
  }
  for (const name of cleanupNames.keys()) checkCleanupCallback(model.functions.get(name)!, result);
  return result;
}

function checkFlags(routine: RoutineInfo, args: Node[], model: FileModel, result: SyntacticResult): void {
  routine.params.forEach((p, i) => {
    if (!p.flagFamily || !args[i]) return;
    const ids = args[i].type === 'identifier' ? [args[i]] : args[i].descendantsOfType('identifier');
    for (const id of ids) {
      if (!id) continue;
      // A driver's own flag macro (`#define MY_FLAGS FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL`) is
      // judged by the flags it expands to; the fix then belongs in the macro, not at the call.
      const viaMacro = flagInfo(id.text) ? undefined : macroFlags(id.text, model);
      for (const flag of viaMacro ?? [flagInfo(id.text)]) {
        if (!flag || flag.family === p.flagFamily) continue;
        const replacement = sameValueIn(p.flagFamily, flag.value);
        const shown = viaMacro ? `${id.text} (${flag.name})` : flag.name;
        result.findings.push({
          code: 'ecp-flag-family',
          site: siteOf(id),
          message: `${shown} belongs to ${flag.family}, but parameter ${p.name} of ${routine.name} takes ${p.flagFamily}${replacement ? `; use ${replacement}` : `, which has no equivalent: leave it out (0 if it is the only flag)`}${replacement && flag.value === flagInfo(replacement)?.value ? ' (same value, so it works by accident)' : ''}.`,
          related: [],
          fix: replacement && !viaMacro ? { kind: 'replace-text', range: siteOf(id), newText: replacement, title: `Use ${replacement}` } : undefined,
        });
      }
    }
  });
}

/** The ECP flags an object-like macro of the file expands to (through at most three macros). */
function macroFlags(name: string, model: FileModel, depth = 0): ReturnType<typeof flagInfo>[] | undefined {
  const value = model.defines.get(name);
  if (value === undefined || depth > 2) return undefined;
  const flags = nameWords(value).flatMap((word) => {
    const flag = flagInfo(word);
    return flag ? [flag] : macroFlags(word, model, depth + 1) ?? [];
  });
  return flags.length > 0 ? flags : undefined;
}

function sameValueIn(family: FlagFamilyName, value: number): string | undefined {
  const fam = catalog.flagFamilies.get(family);
  return fam?.constants.find((c) => flagInfo(c)?.value === value);
}

function checkContextSize(routine: RoutineInfo, args: Node[], model: FileModel, result: SyntacticResult): void {
  const arg = args[paramIndex(routine, 'context-size')];
  if (!arg) return;
  const value = constantValue(model, arg);
  if (value === 0) {
    result.findings.push({ code: 'ecp-context-size', site: siteOf(arg), message: `${routine.name} is given a context size of 0: the ECP carries no payload to read or write.`, related: [] });
    return;
  }
  const viaMacro = sizeofThroughMacro(arg, model);
  const sized = sizeofTarget(arg) ?? viaMacro;
  const knownType = sized !== undefined && (model.structSizes.has(sized) || model.pointerTypedefs.has(sized) || /^[A-Z0-9_]+$/.test(sized));
  const sizedType = sized ? (knownType ? sized : localPointerType(arg, sized) ?? sized) : undefined;
  if (sized && sizedType && isPointerType(sizedType, model)) {
    // Only a pointer to the structure the code writes through is wrong: a payload that really is
    // one pointer (a marker ECP sized sizeof(PVOID), one PFLT_INSTANCE) is right.
    const target = writtenThrough(args[paramIndex(routine, 'ecp-out')], arg, model);
    if (!target || !sizesPointerTo(sized, sizedType, target)) return;
    const pointee = model.structSizes.has(target.pointee) ? target.pointee : undefined;
    result.findings.push({
      code: 'ecp-context-size',
      site: siteOf(arg),
      message: `sizeof(${sized}) is the size of a pointer (8 bytes on x64), not of the context structure${pointee ? `; did you mean sizeof(${pointee})?` : '.'}`,
      related: [],
      // Through a size macro the edit belongs in the macro's argument, not here: no quick fix.
      fix: pointee && !viaMacro ? { kind: 'replace-text', range: siteOf(arg), newText: `sizeof(${pointee})`, title: `Use sizeof(${pointee})` } : undefined,
    });
  }
}

/**
 * A driver's size macro (`#define ECP_SIZE(T) ((ULONG)sizeof(T))`) called as the size argument:
 * what its expansion takes the size of, when the expansion is nothing but that sizeof (under casts
 * and parentheses), so `ECP_SIZE(PFOO)` is judged as `sizeof(PFOO)` is.
 */
function sizeofThroughMacro(arg: Node, model: FileModel): string | undefined {
  if (arg.type !== 'call_expression') return undefined;
  const name = arg.childForFieldName('function');
  const macro = name?.type === 'identifier' ? model.macros.get(name.text) : undefined;
  const list = arg.childForFieldName('arguments');
  if (!macro || !list) return undefined;
  const args = list.namedChildren.filter((n): n is Node => Boolean(n) && n!.type !== 'comment').map((n) => n.text);
  if (args.length !== macro.params.length) return undefined;
  let text = expandMacro(macro, args).trim();
  // Peel outer parentheses and leading casts such as (ULONG) or (SIZE_T) off the expansion.
  for (let i = 0; i < 4; i++) {
    const peeled = text.replace(/^\(\s*[A-Za-z_]\w*\s*\)\s*/, '').replace(/^\((.*)\)$/s, '$1').trim();
    if (peeled === text) break;
    text = peeled;
  }
  const m = /^sizeof\s*\(([^()]*)\)$/.exec(text);
  return m ? m[1].replace(/\s/g, '') : undefined;
}

/** When `sizeof(x)` names a local or parameter, the declared type of x (with '*' for pointer declarators). */
function localPointerType(arg: Node, name: string): string | undefined {
  let fn: Node | null = arg;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn || !/^[A-Za-z_]\w*$/.test(name)) return undefined;
  for (const decl of fn.descendantsOfType(['declaration', 'parameter_declaration'])) {
    if (!decl) continue;
    const type = decl.childForFieldName('type')?.text ?? '';
    for (const d of decl.childrenForFieldName('declarator')) {
      const target = d?.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
      if (!target) continue;
      const inner = target.type === 'pointer_declarator' ? target.childForFieldName('declarator') : target;
      if (inner?.text === name) return target.type === 'pointer_declarator' ? `${type}*` : type;
    }
  }
  return undefined;
}

interface WriteTarget {
  variable: string;
  type: string;
  /** The structure the variable points to (never VOID, never itself a pointer). */
  pointee: string;
}

/** The variable receiving the context (`&tagEcp`, `(PVOID *)&tagEcp`) and the structure it points to. */
function writtenThrough(outArg: Node | undefined, at: Node, model: FileModel): WriteTarget | undefined {
  if (!outArg) return undefined;
  const n = stripCasts(outArg);
  const operand = n.type === 'pointer_expression' && n.text.startsWith('&') ? n.childForFieldName('argument') : null;
  const variable = operand ? stripCasts(operand).text : undefined;
  const type = variable ? localPointerType(at, variable)?.replace(/\s+/g, '') : undefined;
  if (!variable || !type) return undefined;
  const pointee = type.endsWith('*') ? type.slice(0, -1) : model.pointerTypedefs.has(type) && type.startsWith('P') ? type.slice(1) : undefined;
  if (!pointee || /^(VOID|void|CVOID)$/.test(pointee) || isPointerType(pointee, model)) return undefined;
  return { variable, type, pointee };
}

/** `sizeof(tagEcp)`, `sizeof(PCONTOSO_TAG_ECP)` or `sizeof(CONTOSO_TAG_ECP *)` for that variable. */
function sizesPointerTo(sized: string, sizedType: string, target: WriteTarget): boolean {
  return sized === target.variable || sizedType === target.type || sizedType === `${target.pointee}*` || sizedType === `P${target.pointee}`;
}

function stripCasts(node: Node): Node {
  let n = node;
  while ((n.type === 'cast_expression' && n.childForFieldName('value')) || (n.type === 'parenthesized_expression' && n.namedChild(0))) {
    n = n.type === 'cast_expression' ? n.childForFieldName('value')! : n.namedChild(0)!;
  }
  return n;
}

function sizeofTarget(arg: Node): string | undefined {
  if (arg.type !== 'sizeof_expression') return undefined;
  const t = arg.childForFieldName('type') ?? arg.childForFieldName('value');
  return t?.text.replace(/[()\s]/g, '');
}

function isPointerType(text: string, model: FileModel): boolean {
  if (text.endsWith('*')) return true;
  if (text === 'PVOID' || text === 'HANDLE') return true;
  return model.pointerTypedefs.has(text) && !model.structSizes.has(text);
}

function checkPoolTag(routine: RoutineInfo, args: Node[], model: FileModel, result: SyntacticResult): void {
  const arg = args[paramIndex(routine, 'pool-tag')];
  if (!arg) return;
  const value = constantValue(model, arg);
  if (value === undefined) return;
  const text = tagText(value);
  if (value === 0 || DEFAULT_TAGS.has(text)) {
    result.findings.push({
      code: 'ecp-default-pool-tag',
      site: siteOf(arg),
      message: `${routine.name} tags its allocation with ${value === 0 ? 'zero' : `the default tag '${text}'`}: PoolMon, !poolused and Driver Verifier's leak report cannot tell this driver's ECPs apart. Use a unique four-character tag.`,
      related: [],
    });
  }
}

/** Declared as the system calls an ECP cleanup callback: VOID (PVOID EcpContext, LPCGUID EcpType). */
export function hasCleanupShape(fn: FunctionDef): boolean {
  const types = fn.params.map((p) => p.type.replace(/\b(const|_In_|_Inout_)\b/g, '').replace(/\s+/g, ''));
  const okFirst = types[0] === 'PVOID' || types[0] === 'void*' || types[0] === 'VOID*';
  const okSecond = types[1] === 'LPCGUID' || types[1] === 'GUID*' || types[1] === 'constGUID*' || types[1] === 'REFGUID' || types[1] === 'CONSTGUID*';
  return fn.params.length === 2 && okFirst && okSecond && /^(VOID|void)$/.test(fn.returnType.replace(/\s+/g, ''));
}

function checkCleanupCallback(fn: FunctionDef, result: SyntacticResult): void {
  if (!hasCleanupShape(fn)) {
    const ret = fn.returnType.replace(/\s+/g, '');
    const nameNode = fn.node.childForFieldName('declarator');
    result.findings.push({
      code: 'ecp-cleanup-signature',
      site: siteOf(nameNode ?? fn.node),
      message: `${fn.name} is used as an ECP cleanup callback but is declared ${ret || '?'} (${fn.params.map((p) => p.type).join(', ')}); the system calls it as VOID (PVOID EcpContext, LPCGUID EcpType).`,
      related: [],
    });
  }
  const ctxName = fn.params[0]?.name;
  if (!ctxName) return;
  // The context parameter and the locals copied from it (`PFOO p = (PFOO)EcpContext;`).
  const names = new Set([ctxName]);
  for (const m of fn.body.text.matchAll(new RegExp(`\\b([A-Za-z_]\\w*)\\s*=\\s*(?:\\([^()]*\\)\\s*)?${ctxName}\\b`, 'g'))) names.add(m[1]);
  for (const call of fn.body.descendantsOfType('call_expression')) {
    if (!call) continue;
    const name = call.childForFieldName('function')?.text ?? '';
    const first = call.childForFieldName('arguments')?.namedChildren.filter((n) => n && n.type !== 'comment') ?? [];
    const target = /^(Flt|FsRtl)FreeExtraCreateParameter$/.test(name) ? first[first.length - 1] : /^ExFreePool/.test(name) ? first[0] : undefined;
    if (target && names.has(target.text.replace(/\([^()]*\)|\s/g, ''))) {
      result.findings.push({
        code: 'ecp-cleanup-frees-context',
        site: siteOf(call),
        message: `${fn.name} frees ${target.text.trim()} (its EcpContext), but the system frees the ECP right after its cleanup callback returns: this is a double free. Release only what the context points to.`,
        related: [],
      });
    }
  }
}

function collectLookaside(routine: RoutineInfo, args: Node[], model: FileModel, result: SyntacticResult): void {
  if (routine.op !== 'initLookaside' && routine.op !== 'deleteLookaside' && routine.op !== 'allocateEcpFromLookaside') return;
  const la = args[paramIndex(routine, 'lookaside')];
  const flagsArg = args[paramIndex(routine, 'lookaside-flags')];
  if (!la) return;
  const use: LookasideUse = {
    name: lookasideName(la.text),
    flags: flagsArg ? constantValue(model, flagsArg) : undefined,
    flagsText: flagsArg?.text ?? '',
    flagsSite: flagsArg ? siteOf(flagsArg) : undefined,
    site: siteOf(la.parent?.parent ?? la),
    family: routine.family,
    routine: routine.name,
  };
  if (routine.op === 'allocateEcpFromLookaside') result.lookasideAllocs.push({ ...use, flags: undefined, flagsText: '', flagsSite: undefined });
  else (routine.op === 'initLookaside' ? result.lookasideInits : result.lookasideDeletes).push(use);
}

/** `LOOKASIDE_ROUTINE` without the global flag, for tests: a global regex's `test` moves its `lastIndex`, which `matchAll` then starts from. */
const LOOKASIDE_ROUTINE = /\b((?:Flt|FsRtl)(?:Init|Initialize|Delete)ExtraCreateParameterLookasideList|(?:Flt|FsRtl)AllocateExtraCreateParameterFromLookasideList)\s*\(/g;
const CALLS_LOOKASIDE_ROUTINE = new RegExp(LOOKASIDE_ROUTINE.source);

/**
 * A lookaside list set up or torn down through a function-like macro (`DROP_LOOKASIDE()` whose
 * body calls the delete routine, often from the file's own header): the use counts at the macro's
 * call, so a delete written this way is not taken for a list never deleted. Nested macros are
 * expanded up to a few levels; the flags are those of the expansion (folded when they are
 * constants), compared with the other end's like written ones, with no quick fix (no text to edit here).
 */
function lookasideInMacro(call: Node, macro: FunctionMacro, model: FileModel, result: SyntacticResult): void {
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => Boolean(n) && n!.type !== 'comment').map((n) => n.text);
  // Nested macro calls add their expansion (the routine's arguments are read from whichever holds it).
  let text = expandMacro(macro, args);
  let expanded = text;
  const used = new Set([macro.name]);
  for (let depth = 0; depth < 3; depth++) {
    let more = '';
    for (const m of expanded.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      const inner = model.macros.get(m[1]);
      const list = inner && !used.has(m[1]) ? splitArgs(expanded, m.index! + m[0].length) : undefined;
      if (!inner || !list) continue;
      used.add(m[1]);
      more += `\n${expandMacro(inner, list.args)}`;
    }
    if (more === '') break;
    text += more;
    expanded = more;
  }
  for (const m of text.matchAll(LOOKASIDE_ROUTINE)) {
    const routine = routineInfo(m[1]);
    const list = splitArgs(text, m.index! + m[0].length);
    if (!routine || !list) continue;
    const la = list.args[paramIndex(routine, 'lookaside')];
    if (!la) continue;
    const flagsText = routine.op === 'allocateEcpFromLookaside' ? undefined : list.args[paramIndex(routine, 'lookaside-flags')]?.trim();
    const use: LookasideUse = {
      name: lookasideName(la),
      flags: flagsText ? textConstant(model, flagsText) : undefined,
      flagsText: flagsText ?? '',
      flagsSite: undefined,
      site: siteOf(call),
      family: routine.family,
      routine: routine.name,
    };
    if (routine.op === 'allocateEcpFromLookaside') result.lookasideAllocs.push(use);
    else if (routine.op === 'initLookaside') result.lookasideInits.push(use);
    else if (routine.op === 'deleteLookaside') result.lookasideDeletes.push(use);
  }
}

/**
 * The list a lookaside argument names, one spelling for `&g`, `(PVOID)&g`, `&(g)` and `(&g)` (a
 * macro's expansion wraps its parameter in parentheses), so a use through a macro meets the others.
 */
function lookasideName(arg: string): string {
  let t = arg.replace(/\s+/g, '');
  for (let before = ''; before !== t; ) {
    before = t;
    t = t.replace(/^\(PVOID\)/, '').replace(/^&/, '');
    if (/^\((?:[^()]|\([^()]*\))*\)$/.test(t)) t = t.slice(1, -1);
  }
  return t;
}

function expandMacro(macro: FunctionMacro, args: string[]): string {
  if (macro.params.length === 0) return macro.body;
  const byName = new Map(macro.params.map((p, i) => [p, args[i] ?? '']));
  return macro.body.replace(/[A-Za-z_]\w*/g, (id) => byName.get(id) ?? id);
}

/** The top-level arguments of a call whose `(` ends just before `from`, or undefined when unbalanced. */
function splitArgs(text: string, from: number): { args: string[] } | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) {
        const last = text.slice(start, i).trim();
        if (last !== '' || args.length > 0) args.push(last);
        return { args };
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return undefined;
}
