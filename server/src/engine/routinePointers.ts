/**
 * ECP routines reached through function pointers. Drivers that must load on systems without a
 * routine look it up at run time:
 *   RtlInitUnicodeString(&name, L"FsRtlGetEcpListFromIrp"); gGetEcpList = MmGetSystemRoutineAddress(&name);
 *   UNICODE_STRING name = RTL_CONSTANT_STRING(L"..."), DECLARE_CONST_UNICODE_STRING(name, L"...");
 *   gInsert = (PFN_INSERT)FltGetRoutineAddress("FltInsertExtraCreateParameter");
 * A call through such a pointer (`gGetEcpList(...)`, `(*gGetEcpList)(...)`, `g.Fn(...)`) is a call
 * of the routine. The pointer may be assigned in another file of the program (DriverEntry).
 */
import type { Node } from '../parsing/parser';
import { routineInfo } from './catalogAccess';

const STRING_BINDING = /RtlInitUnicodeString\s*\(\s*&\s*([A-Za-z_]\w*)\s*,\s*L"(\w+)"\s*\)|\b([A-Za-z_]\w*)\s*(?:\[\s*\])?\s*=\s*RTL_CONSTANT_STRING\s*\(\s*L"(\w+)"\s*\)|DECLARE_CONST_UNICODE_STRING\s*\(\s*([A-Za-z_]\w*)\s*,\s*L"(\w+)"\s*\)/;
const CAST = String.raw`(?:\(\s*[A-Za-z_][\w\s*]*\)\s*)*`;
const TARGET = String.raw`([A-Za-z_][\w]*(?:\s*(?:\.|->)\s*[A-Za-z_]\w*)*)`;
const MM_LOOKUP = new RegExp(String.raw`${TARGET}\s*=\s*${CAST}MmGetSystemRoutineAddress\s*\(\s*${CAST}&\s*([A-Za-z_]\w*)\s*\)`);
const MM_INLINE = new RegExp(String.raw`${TARGET}\s*=\s*${CAST}MmGetSystemRoutineAddress\s*\(\s*${CAST}&?\s*${CAST}RTL_CONSTANT_STRING\s*\(\s*L"(\w+)"\s*\)\s*\)`);
const FLT_LOOKUP = new RegExp(String.raw`${TARGET}\s*=\s*${CAST}FltGetRoutineAddress\s*\(\s*"(\w+)"\s*\)`);
const ANY = new RegExp([STRING_BINDING, MM_INLINE, MM_LOOKUP, FLT_LOOKUP].map((r) => `(?:${r.source})`).join('|'), 'g');

/** Pointer (as written, spaces removed) → the ECP routine it was looked up as, in text order. */
export function routinePointersIn(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!/GetSystemRoutineAddress|FltGetRoutineAddress/.test(text)) return out;
  const strings = new Map<string, string>();
  for (const m of text.matchAll(ANY)) {
    const name = m[1] ?? m[3] ?? m[5];
    if (name) {
      strings.set(name, (m[2] ?? m[4] ?? m[6])!);
      continue;
    }
    const target = (m[7] ?? m[9] ?? m[11])?.replace(/\s+/g, '');
    const routine = m[8] ?? (m[10] ? strings.get(m[10]) : undefined) ?? m[12];
    if (target && routine && routineInfo(routine)) out.set(target, routine);
  }
  return out;
}

/** The pointer a call goes through, as written: `p(...)`, `(*p)(...)`, `g.Fn(...)`, `g->Fn(...)`. */
export function pointerCallee(call: Node): string {
  const fn = call.childForFieldName('function');
  return fn ? normalisedCallee(fn.type, fn.text) : '';
}

/** The same from a node's type and text (the relevance walk has no nodes). */
export function normalisedCallee(type: string, text: string): string {
  if (type === 'identifier') return text;
  if (type !== 'parenthesized_expression' && type !== 'field_expression' && type !== 'pointer_expression') return '';
  const t = text.replace(/\s+/g, '').replace(/^\(\*?(.*)\)$/, '$1').replace(/^\*/, '');
  return /^[A-Za-z_]\w*(?:(?:\.|->)[A-Za-z_]\w*)*$/.test(t) ? t : '';
}

/** Whether a function calls through one of the pointers (`p(`, `(*p)(`, `g.p(`); assigning it is no call. */
export function callsThroughPointer(ids: Set<string>, text: string, pointers: Map<string, string> | undefined): boolean {
  if (!pointers || pointers.size === 0) return false;
  for (const key of pointers.keys()) {
    const last = key.replace(/^.*(?:\.|->)/, '');
    if (ids.has(last) && new RegExp(String.raw`\b${last}\s*\)?\s*\(`).test(text)) return true;
  }
  return false;
}
