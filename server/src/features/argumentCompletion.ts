/**
 * Completion in an argument of an ECP routine that is neither a flag nor an ECP type: what fits
 * that parameter, never the routine list (no ECP routine returns a value any ECP parameter takes).
 *
 * - A pointer parameter offers the names in scope of its type (`ecpList` for a PECP_LIST), the
 *   address of a name of its pointed-to type (`&ecpList` for a PECP_LIST *), `NULL` when the
 *   parameter is optional, and `FltObjects->Filter`/`->Instance` where related objects are in scope.
 * - An ECP context (PVOID) offers the pointers in scope that are not kernel objects of another kind;
 *   its out-parameter (PVOID *) offers `&ctx` for a PVOID and `(PVOID *)&ctx` for a typed context.
 * - A cleanup callback offers NULL and the file's functions of the callback's shape; a pool tag the
 *   file's character-constant macros.
 * - Anything else (a size, an expression under way such as `ctx->`) offers nothing.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import type { ParamInfo } from '../catalog';
import type { ParsedText } from '../parsing/parser';
import type { FileModel } from '../engine/fileModel';
import { visibleDeclarations, type CallAt } from './symbolAt';
import { hasCleanupShape } from '../rules/syntactic';

export interface ArgumentContext {
  parsed: ParsedText;
  offset: number;
  call: CallAt;
  param: ParamInfo;
  model: FileModel;
}

interface Candidate {
  text: string;
  detail: string;
  rank: number;
}

/** What the argument already holds before the cursor: a cast, an `&`, and the word being typed. */
interface Typed {
  cast: boolean;
  amp: boolean;
  /** Offset where the replaced text starts (the `&` when there is one, else the word). */
  from: number;
}

/**
 * The completion items for the argument at the cursor and the offset their edit starts at; an empty
 * list when the argument holds an expression under way (a member access, an operator).
 */
export function argumentCandidates(ctx: ArgumentContext): { items: CompletionItem[]; from: number } {
  const typed = typedPrefix(ctx.parsed.masked, ctx.call.argStart, ctx.offset);
  if (!typed) return { items: [], from: ctx.offset };
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const c of candidates(ctx)) {
    let text = c.text;
    if (typed.cast) {
      // After `(PVOID *)` only the address itself is still to type.
      const address = /^\(PVOID \*\)(&\w+)$/.exec(text)?.[1] ?? (text.startsWith('&') ? text : undefined);
      if (!address) continue;
      text = address;
    }
    if (typed.amp && !text.startsWith('&')) continue;
    if (seen.has(text)) continue;
    seen.add(text);
    items.push({ label: text, kind: text === 'NULL' ? CompletionItemKind.Constant : CompletionItemKind.Variable, detail: c.detail, sortText: `${c.rank}${text}`, filterText: text });
  }
  return { items, from: typed.from };
}

function typedPrefix(text: string, argStart: number, offset: number): Typed | undefined {
  const before = text.slice(argStart, offset);
  const m = /^\s*(\(\s*PVOID\s*\*\s*\)\s*)?(&\s*)?([A-Za-z_]\w*)?$/.exec(before);
  if (!m) return undefined;
  const word = m[3] ?? '';
  const from = m[2] ? offset - word.length - m[2].length : offset - word.length;
  return { cast: m[1] !== undefined, amp: m[2] !== undefined, from };
}

function candidates(ctx: ArgumentContext): Candidate[] {
  const { param } = ctx;
  const out: Candidate[] = [];
  if (param.role === 'pool-tag') return tagMacros(ctx.model);
  if (param.role === 'cleanup-callback') return [nullCandidate(), ...cleanupCallbacks(ctx.model)];
  const names = visibleDeclarations(ctx.parsed, ctx.offset);
  const want = canonical(param.type);
  const pointer = pointerDepth(want) > 0 || param.role === 'lookaside';
  for (const n of names) {
    const have = canonical(n.type);
    const rank = n.scope === 'local' ? 1 : n.scope === 'parameter' ? 2 : 3;
    const detail = `${n.type} · ${n.scope}`;
    if (param.role === 'ecp' || param.role === 'ecp-current') {
      if (isContextPointer(have, n.type, ctx.model)) out.push({ text: n.name, detail, rank });
    } else if (param.role === 'ecp-out') {
      if (have === 'PVOID') out.push({ text: `&${n.name}`, detail, rank });
      else if (isContextPointer(have, n.type, ctx.model)) out.push({ text: `(PVOID *)&${n.name}`, detail, rank });
    } else if (param.role === 'lookaside') {
      if (LOOKASIDE.has(have)) out.push({ text: `&${n.name}`, detail, rank });
      else if (LOOKASIDE.has(have.slice(1))) out.push({ text: n.name, detail, rank });
    } else if (pointer) {
      if (have === want) out.push({ text: n.name, detail, rank });
      else if (`P${have}` === want) out.push({ text: `&${n.name}`, detail, rank });
      if (have === 'PFLT_RELATED_OBJECTS' && RELATED_FIELDS[want]) out.push({ text: `${n.name}->${RELATED_FIELDS[want]}`, detail: `${want} · from ${n.name}`, rank });
    }
  }
  if (pointer && param.optional) out.push(nullCandidate());
  return out;
}

const nullCandidate = (): Candidate => ({ text: 'NULL', detail: 'optional: none', rank: 0 });


const ALIASES: Record<string, string> = {
  LPCGUID: 'PGUID', LPGUID: 'PGUID', PCGUID: 'PGUID', REFGUID: 'PGUID',
  PCFLT_RELATED_OBJECTS: 'PFLT_RELATED_OBJECTS', LPVOID: 'PVOID', PCVOID: 'PVOID',
  PCUNICODE_STRING: 'PUNICODE_STRING', VOID: 'VOID', void: 'VOID',
};

/** One spelling per type: `struct _ECP_LIST *`, `ECP_LIST *` and `PECP_LIST` are all `PECP_LIST`. */
export function canonical(type: string): string {
  const t = type.replace(/\b(const|volatile|struct|union|enum|CONST)\b/g, ' ').replace(/\s+/g, ' ').trim();
  const stars = (t.match(/\*/g) ?? []).length;
  let base = t.replace(/\*/g, '').trim().replace(/^_+/, '');
  base = ALIASES[base] ?? base;
  if (base === 'VOID' && stars > 0) return 'P'.repeat(stars - 1) + 'PVOID';
  return 'P'.repeat(stars) + base;
}

function pointerDepth(canon: string): number {
  return /^P+/.exec(canon)?.[0].length ?? 0;
}

/** Pointer types that hold something other than an ECP context. */
const NOT_CONTEXTS = new Set([
  'PECP_LIST', 'PFLT_FILTER', 'PFLT_INSTANCE', 'PFLT_CALLBACK_DATA', 'PFLT_RELATED_OBJECTS', 'PFLT_VOLUME', 'PIRP',
  'PFILE_OBJECT', 'PDEVICE_OBJECT', 'PDRIVER_OBJECT', 'PUNICODE_STRING', 'POBJECT_ATTRIBUTES', 'PIO_STATUS_BLOCK',
  'PGUID', 'PLARGE_INTEGER', 'PULONG', 'PUSHORT', 'PUCHAR', 'PCHAR', 'PWCHAR', 'PWSTR', 'PCWSTR', 'PSTR', 'PCSTR',
  'PHANDLE', 'PEPROCESS', 'PETHREAD', 'PKEVENT', 'PERESOURCE', 'PMDL', 'PIO_STACK_LOCATION', 'PFLT_PARAMETERS',
  'PFLT_IO_PARAMETER_BLOCK', 'PFLT_FILE_NAME_INFORMATION', 'PSECURITY_DESCRIPTOR', 'PACCESS_STATE', 'PECP_HEADER',
  'PIO_DRIVER_CREATE_CONTEXT', 'PNPAGED_LOOKASIDE_LIST', 'PPAGED_LOOKASIDE_LIST', 'PLIST_ENTRY', 'PKSPIN_LOCK',
  'PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK', 'PBOOLEAN', 'PNTSTATUS',
]);

const LOOKASIDE = new Set(['NPAGED_LOOKASIDE_LIST', 'PAGED_LOOKASIDE_LIST']);

/** The related-objects field that carries a parameter's type. */
const RELATED_FIELDS: Record<string, string> = { PFLT_FILTER: 'Filter', PFLT_INSTANCE: 'Instance', PFILE_OBJECT: 'FileObject' };

/** A one-level pointer that could hold an ECP context: PVOID, a pointer to the driver's own structure. */
function isContextPointer(canon: string, written: string, model: FileModel): boolean {
  if (canon === 'PVOID') return true;
  if (NOT_CONTEXTS.has(canon) || pointerDepth(canon) !== 1) return false;
  return written.includes('*') || model.pointerTypedefs.has(written.replace(/\b(const|CONST)\b/g, '').trim());
}

/** `#define TAG 'abcd'` macros: pool tags as drivers write them. */
function tagMacros(model: FileModel): Candidate[] {
  const out: Candidate[] = [];
  for (const [name, value] of model.defines) {
    if (/^\s*\(?\s*(\(ULONG\)\s*)?'[^'\\]{1,4}'\s*\)?\s*$/.test(value)) out.push({ text: name, detail: `pool tag ${value.trim()}`, rank: 1 });
  }
  return out;
}

/** The file's functions of the cleanup callback's shape: `VOID (PVOID EcpContext, LPCGUID EcpType)`. */
function cleanupCallbacks(model: FileModel): Candidate[] {
  return [...model.functions.values()].filter((fn) => !fn.fromHeader && !fn.file && hasCleanupShape(fn)).map((fn) => ({ text: fn.name, detail: 'cleanup callback of this file', rank: 1 }));
}
