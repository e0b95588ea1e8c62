/**
 * Context-aware snippet completions, generated from the same sequences as snippets/ecp.json but
 * with the names in scope as defaults (filter, instance, object attributes, GUID, context type,
 * status variable), the function's error-handling style (goto an existing `Cleanup:`/`Exit:` label,
 * or early returns), fresh names for the locals the snippet declares, and a fresh GUID for a new
 * ECP type at file scope.
 */
import { randomUUID } from 'node:crypto';
import type { TextEdit } from 'vscode-languageserver';
import { ECP_SNIPPETS } from './snippetExpand';
import type { SnippetScope } from './snippetScope';

export interface GeneratedSnippet {
  prefix: string;
  label: string;
  description: string;
  body: string;
  /** Text edits elsewhere in the document (hoisted declarations, the free at the error label). */
  edits: { offset: number; text: string }[];
}

const NAMES = {
  attachFltGoto: 'ECP: attach to a new create (FltMgr, goto Cleanup)',
  attachFltReturn: 'ECP: attach to a new create (FltMgr, early return)',
  attachFsrtlGoto: 'ECP: attach to a new create (FsRtl and IoCreateFileEx, goto Cleanup)',
  attachFsrtlReturn: 'ECP: attach to a new create (FsRtl and IoCreateFileEx, early return)',
  attachFltLookaside: 'ECP: attach to a new create (FltMgr, ECP from a lookaside list)',
  lookaside: 'ECP: lookaside list (FltMgr globals, init and delete)',
  preCreateFlt: 'ECP: attach to the create in flight (FltMgr pre-create)',
  preCreateFsrtl: 'ECP: attach to the create in flight (FsRtl, IRP_MJ_CREATE dispatch)',
  findFlt: 'ECP: find and acknowledge (FltMgr pre- or post-create)',
  findFsrtl: 'ECP: find and acknowledge (FsRtl, IRP_MJ_CREATE)',
  newType: 'ECP: new ECP type',
  cleanup: 'ECP: cleanup callback',
  removeFlt: 'ECP: remove and free (FltMgr)',
  removeFsrtl: 'ECP: remove and free (FsRtl)',
} as const;

const LOCALS = ['ecpList', 'ecpContext', 'driverContext', 'ioStatus', 'fileHandle', 'ecpContextSize', 'removedEcp'];

function staticBody(name: string): string {
  const body = ECP_SNIPPETS[name].body;
  return Array.isArray(body) ? body.join('\n') : body;
}

/** Snippets offered where a statement can start inside a function body. */
export function statementSnippets(scope: SnippetScope): GeneratedSnippet[] {
  const flt = scope.family === 'flt';
  const out = [
    attach(scope, flt ? NAMES.attachFltGoto : NAMES.attachFsrtlGoto, flt ? NAMES.attachFltReturn : NAMES.attachFsrtlReturn, flt ? 'ecp-attach-flt' : 'ecp-attach-fsrtl'),
  ];
  if (flt) out.push(attach(scope, NAMES.attachFltLookaside, undefined, 'ecp-attach-flt-lookaside'));
  // Attaching to or reading the create in flight needs its callback data (or IRP) in scope.
  if (flt ? scope.callbackData : scope.irp) {
    out.push(plain(scope, flt ? NAMES.preCreateFlt : NAMES.preCreateFsrtl, flt ? 'ecp-precreate-attach-flt' : 'ecp-precreate-attach-fsrtl'));
    out.push(plain(scope, flt ? NAMES.findFlt : NAMES.findFsrtl, flt ? 'ecp-find-flt' : 'ecp-find-fsrtl'));
  }
  out.push(plain(scope, flt ? NAMES.removeFlt : NAMES.removeFsrtl, flt ? 'ecp-remove-flt' : 'ecp-remove-fsrtl'));
  return out;
}

/** Snippets offered at file scope: a new ECP type with a fresh GUID, a cleanup callback, a lookaside. */
export function fileSnippets(scope: SnippetScope): GeneratedSnippet[] {
  const uuid = randomUUID();
  const h = uuid.replace(/-/g, '');
  const bytes = h.slice(16).match(/../g)!.map((b) => `0x${b}`);
  const defineArgs = [`0x${h.slice(0, 8)}`, `0x${h.slice(8, 12)}`, `0x${h.slice(12, 16)}`, ...bytes].join(', ');
  const typeBody = staticBody(NAMES.newType).replace(/\$\{3:\$\{UUID\/[^\n]*?\/\}\}/, `\${3:${defineArgs}}`);
  const out: GeneratedSnippet[] = [
    { prefix: 'ecp-type', label: `ecp-type (new GUID {${uuid}})`, description: ECP_SNIPPETS[NAMES.newType].description, body: typeBody, edits: [] },
    { prefix: 'ecp-cleanup-callback', label: 'ecp-cleanup-callback', description: ECP_SNIPPETS[NAMES.cleanup].description, body: staticBody(NAMES.cleanup), edits: [] },
  ];
  if (scope.family === 'flt') {
    const body = withDefaults(staticBody(NAMES.lookaside), { 4: scope.filter }, { 1: scope.contextType });
    out.push({ prefix: 'ecp-lookaside-flt', label: labelOf('ecp-lookaside-flt', [scope.filter]), description: ECP_SNIPPETS[NAMES.lookaside].description, body, edits: [] });
  }
  return out;
}

/** The placeholder defaults every statement snippet shares, from the names in scope. */
function scopeDefaults(scope: SnippetScope, name: string): Record<number, string | undefined> {
  const guid = scope.guids[0];
  if (name === NAMES.preCreateFlt || name === NAMES.preCreateFsrtl || name === NAMES.findFlt || name === NAMES.findFsrtl) {
    return { 1: scope.filter, 2: scope.contextType, 3: guid, 5: name.includes('FsRtl') ? scope.irp : scope.callbackData };
  }
  if (name === NAMES.removeFlt || name === NAMES.removeFsrtl) return { 1: scope.filter, 2: scope.contextType, 3: guid, 5: scope.ecpList };
  return { 1: scope.filter, 2: scope.contextType, 3: guid, 8: scope.instance, 10: scope.objectAttributes, 15: scope.lookaside };
}

function plain(scope: SnippetScope, name: string, prefix: string): GeneratedSnippet {
  const defaults = scopeDefaults(scope, name);
  let body = renameLocals(staticBody(name), scope);
  body = reuseStatus(body, scope.status);
  body = withDefaults(body, defaults);
  const used = [defaults[1], defaults[5]].filter((n) => n !== undefined);
  return { prefix, label: labelOf(prefix, used), description: ECP_SNIPPETS[name].description, body, edits: [] };
}

/** The seven-step sequence in the function's error-handling style. */
function attach(scope: SnippetScope, gotoName: string, returnName: string | undefined, prefix: string): GeneratedSnippet {
  const fn = scope.fn;
  const defaults = scopeDefaults(scope, gotoName);
  const used = [defaults[1], defaults[8], defaults[10]].filter((n) => n !== undefined);
  const returnsStatus = !fn || /^NTSTATUS$/.test(fn.returnType);
  const isVoid = fn !== undefined && /^VOID$|^void$/.test(fn.returnType);
  let body: string;
  const edits: GeneratedSnippet['edits'] = [];
  let style: string;
  if (fn?.label) {
    body = renameLocals(staticBody(gotoName), scope);
    body = reuseStatus(body, scope.status);
    const placeholders = placeholdersOf(body);
    const [decls, rest] = splitDeclarations(body);
    const cleanupAt = rest.search(/^Cleanup:$/m);
    const main = rest.slice(0, cleanupAt).replace(/\bgoto Cleanup;/g, `goto ${fn.label.name};`).replace(/\n+$/, '');
    const cleanup = rest.slice(cleanupAt).split('\n').slice(1).filter((l) => !/^return\b/.test(l)).join('\n');
    const values = resolvedValues(placeholders, defaults);
    edits.push({ offset: fn.declarationsEnd, text: indentLines('\n' + literal(decls, values), fn.indent) });
    edits.push({ offset: fn.label.afterColon, text: indentLines('\n' + literal(cleanup, values).replace(/\n+$/, ''), fn.indent) });
    body = withDefaults(restorePlaceholders(main, placeholders), defaults);
    style = `goto ${fn.label.name}`;
  } else if (returnName && (returnsStatus || isVoid)) {
    body = renameLocals(staticBody(returnName), scope);
    body = reuseStatus(body, scope.status);
    if (isVoid) body = body.replace(/\breturn \$\d+;/g, 'return;');
    body = withDefaults(restorePlaceholders(body, placeholdersOf(staticBody(returnName))), defaults);
    style = 'early return';
  } else {
    body = renameLocals(staticBody(gotoName), scope);
    body = reuseStatus(body, scope.status);
    const label = fresh('Cleanup', scope.taken);
    body = body.replace(/\bgoto Cleanup;/g, `goto ${label};`).replace(/^Cleanup:$/m, `${label}:`);
    if (!returnsStatus) body = restorePlaceholders(body.replace(/\nreturn \$\d+;\s*$/, ''), placeholdersOf(staticBody(gotoName)));
    body = withDefaults(body, defaults);
    style = `goto ${label}`;
  }
  return { prefix, label: labelOf(prefix, used), description: `${ECP_SNIPPETS[gotoName].description} (${style})`, body, edits };
}

function labelOf(prefix: string, used: (string | undefined)[]): string {
  const names = used.filter((n): n is string => Boolean(n));
  return names.length ? `${prefix} (uses ${names.join(', ')})` : prefix;
}

/** Locals the snippet declares get a fresh name when the function already uses theirs. */
function renameLocals(body: string, scope: SnippetScope): string {
  let out = body;
  for (const local of LOCALS) {
    if (!scope.taken.has(local) || !new RegExp(`\\b${local}\\b`).test(out)) continue;
    out = out.replace(new RegExp(`\\b${local}\\b`, 'g'), fresh(local, scope.taken));
  }
  return out;
}

function fresh(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** With an NTSTATUS variable in scope, the snippet uses it instead of declaring `status`. */
function reuseStatus(body: string, status: string | undefined): string {
  const m = /^NTSTATUS \$\{(\d+):status\};\n/m.exec(body);
  if (!m || !status) return body;
  const placeholders = placeholdersOf(body);
  const without = body.slice(0, m.index) + body.slice(m.index + m[0].length);
  return restorePlaceholders(without, placeholders).replace(`\${${m[1]}:status}`, `\${${m[1]}:${escapeDefault(status)}}`);
}

/** Each numbered placeholder with a default (or choice), as written: index → `${n:...}`. */
function placeholdersOf(body: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const m of body.matchAll(/\$\{(\d+)(?::[^{}$]*|\|[^|]*\|)\}/g)) {
    const index = Number(m[1]);
    if (!map.has(index)) map.set(index, m[0]);
  }
  return map;
}

/** Gives back a default to every index whose defining occurrence was cut out of `body`. */
function restorePlaceholders(body: string, placeholders: Map<number, string>): string {
  let out = body;
  for (const [index, text] of placeholders) {
    if (new RegExp(`\\$\\{${index}[:|]`).test(out)) continue;
    out = out.replace(new RegExp(`\\$${index}(?!\\d)`), () => text);
  }
  return out;
}

/** Replaces the defaults of placeholders by the names in scope (undefined keeps the default). */
function withDefaults(body: string, ...maps: Record<number, string | undefined>[]): string {
  let out = body;
  for (const map of maps) {
    for (const [index, value] of Object.entries(map)) {
      if (value === undefined) continue;
      out = out.replace(new RegExp(`\\$\\{${index}:[^{}$]*\\}`), () => `\${${index}:${escapeDefault(value)}}`);
    }
  }
  return out;
}

function resolvedValues(placeholders: Map<number, string>, defaults: Record<number, string | undefined>): Map<number, string> {
  const values = new Map<number, string>();
  for (const [index, text] of placeholders) {
    const own = defaults[index];
    const choice = /^\$\{\d+\|([^,|]*)/.exec(text)?.[1];
    const value = /^\$\{\d+:([^{}$]*)\}$/.exec(text)?.[1];
    values.set(index, own ?? choice ?? value ?? '');
  }
  return values;
}

/** Snippet text with every placeholder and tabstop replaced by its value: for plain text edits. */
function literal(body: string, values: Map<number, string>): string {
  return body
    .replace(/\$\{(\d+)(?::[^{}$]*|\|[^|]*\|)\}/g, (_, i) => values.get(Number(i)) ?? '')
    .replace(/\$(\d+)/g, (_, i) => values.get(Number(i)) ?? '');
}

function splitDeclarations(body: string): [string, string] {
  const blank = body.indexOf('\n\n');
  return blank < 0 ? ['', body] : [body.slice(0, blank), body.slice(blank + 2)];
}

function indentLines(text: string, indent: string): string {
  return text.replace(/\t/g, '    ').replace(/\n(?=[^\n])/g, `\n${indent}`);
}

function escapeDefault(value: string): string {
  return value.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** The edits of a generated snippet as LSP text edits. */
export function additionalEdits(snippet: GeneratedSnippet, positionAt: (offset: number) => { line: number; character: number }): TextEdit[] {
  return snippet.edits.map((e) => ({ range: { start: positionAt(e.offset), end: positionAt(e.offset) }, newText: e.text }));
}
