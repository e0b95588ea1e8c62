/**
 * Completion: ECP routine names; inside a flags argument only that parameter's flag family (and 0);
 * in any other argument of an ECP routine what fits that parameter (argumentCompletion.ts), never
 * routine names; inside an EcpType argument the system GUIDs and the GUIDs the document (and, through an optional
 * provider, the workspace) defines; status codes where a status is compared; and context-aware
 * snippets where a statement (or, at file scope, a declaration) can start.
 */
import {
  CompletionItemKind,
  CompletionTriggerKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver';
import type { EcpLensServer, ServerFeature } from '../server';
import { catalog, flagMarkdown, guidMarkdown, routineList, routineMarkdown, statusList, statusMarkdown, type ParamInfo } from '../catalog';
import type { ParsedText, Node } from '../parsing/parser';
import { callsAt, declaredType, enclosingFunction, inCommentOrString, type CallAt } from './symbolAt';
import { oneLinePrototype, routineCallAt } from './signatureHelp';
import { malformed, positionRequest, rangeOf, type PositionRequest } from './requestContext';
import { snippetScope, documentGuids } from './snippetScope';
import { additionalEdits, fileSnippets, statementSnippets, type GeneratedSnippet } from './completionSnippets';
import { expandSnippet } from './snippetExpand';
import { argumentCandidates } from './argumentCompletion';

export interface CompletionOptions {
  /** GUID names defined in other workspace files (from the workspace index, when there is one). */
  workspaceGuids?: () => string[];
}

export function completionFeature(options: CompletionOptions = {}): ServerFeature {
  return {
    capabilities(caps) {
      caps.completionProvider = { triggerCharacters: ['_', '&', '(', ','], resolveProvider: false };
    },
    attach(server, connection) {
      connection.onCompletion((params) => malformed(params) ?? server.guard('completion', () => completion(server, params, options)) ?? empty());
    },
  };
}

const empty = (): CompletionList => ({ isIncomplete: false, items: [] });

export function completion(server: EcpLensServer, params: unknown, options: CompletionOptions = {}): CompletionList {
  const req = positionRequest(server, params);
  if (!req) return empty();
  const { parsed } = req.stored;
  const offset = req.offset;
  if (inCommentOrString(parsed, offset)) return empty();
  const trigger = (params as { context?: { triggerKind?: number; triggerCharacter?: string } }).context;
  const triggerChar = trigger?.triggerKind === CompletionTriggerKind.TriggerCharacter ? trigger.triggerCharacter : undefined;
  const text = parsed.masked;
  const word = /[A-Za-z0-9_]*$/.exec(text.slice(Math.max(0, offset - 256), offset))![0];
  const wordStart = offset - word.length;

  const argument = argumentAt(callsAt(parsed, offset));
  if (argument?.param.flagFamily) return { isIncomplete: false, items: flagItems(argument.param) };
  if (argument?.param.role === 'ecp-type') return { isIncomplete: false, items: guidItems(req, wordStart, options) };
  if (isStatusComparison(parsed, wordStart)) return { isIncomplete: false, items: statusItems() };
  if (argument) return { isIncomplete: false, items: argumentItems(server, req, argument) };
  if (triggerChar === '(' || triggerChar === ',' || triggerChar === '&') return empty();

  const place = statementPlace(parsed, offset);
  if (place === 'expression') return { isIncomplete: false, items: routineItems() };
  const dashed = /[A-Za-z][A-Za-z0-9_-]*$/.exec(text.slice(Math.max(0, offset - 64), offset))?.[0] ?? '';
  if (!statementCanStart(text, offset - dashed.length)) return { isIncomplete: false, items: place === 'file' ? [] : routineItems() };
  const scope = snippetScope(parsed, req.stored.document.getText(), offset, safeGuids(options));
  const snippets = place === 'file' ? fileSnippets(scope) : statementSnippets(scope);
  const range = rangeOf(req.stored, offset - dashed.length, offset);
  const items = snippets.map((s) => snippetItem(req, s, range));
  if (place === 'statement') items.push(...routineItems());
  return { isIncomplete: false, items };
}

/** The ECP routine parameter the cursor is directly in (not nested in another named call). */
function argumentAt(calls: CallAt[]): { call: CallAt; param: ParamInfo } | undefined {
  const named = calls.find((c) => c.name !== null);
  if (!named) return undefined;
  const hit = routineCallAt([named]);
  const param = hit?.routine.params[named.argIndex];
  return hit && param ? { call: named, param } : undefined;
}

/** What fits a pointer, size or tag argument of an ECP routine (argumentCompletion.ts), with its edit range. */
function argumentItems(server: EcpLensServer, req: PositionRequest, argument: { call: CallAt; param: ParamInfo }): CompletionItem[] {
  const { parsed } = req.stored;
  const model = server.documents.fileModel(req.stored);
  const { items, from } = argumentCandidates({ parsed, offset: req.offset, call: argument.call, param: argument.param, model });
  const range = rangeOf(req.stored, from, req.offset);
  return items.map((item) => ({ ...item, textEdit: { range, newText: String(item.label) } }));
}

function flagItems(param: ParamInfo): CompletionItem[] {
  const family = catalog.flagFamilies.get(param.flagFamily!);
  const items: CompletionItem[] = (family?.constants ?? []).map((name, i) => {
    const flag = catalog.flags.get(name)!;
    return {
      label: name,
      kind: CompletionItemKind.Constant,
      detail: `0x${flag.value.toString(16)} · ${flag.family}`,
      documentation: { kind: MarkupKind.Markdown, value: flagMarkdown(flag) },
      sortText: `0${i}`,
      insertText: name,
      insertTextFormat: InsertTextFormat.PlainText,
    };
  });
  items.push({ label: '0', kind: CompletionItemKind.Constant, detail: `no ${param.flagFamily} flag`, sortText: '1', insertText: '0' });
  return items;
}

function guidItems(req: PositionRequest, wordStart: number, options: CompletionOptions): CompletionItem[] {
  const text = req.stored.parsed.masked;
  const amp = /&\s*$/.exec(text.slice(Math.max(0, wordStart - 8), wordStart));
  const range = rangeOf(req.stored, amp ? wordStart - amp[0].length : wordStart, req.offset);
  const own = [...documentGuids(req.stored.document.getText()), ...safeGuids(options)].filter((n) => !catalog.guids.has(n));
  const items: CompletionItem[] = [...new Set(own)].map((name) => ({
    label: `&${name}`,
    kind: CompletionItemKind.Constant,
    detail: 'ECP type defined in the workspace',
    sortText: `0${name}`,
    filterText: `&${name}`,
    textEdit: { range, newText: `&${name}` },
  }));
  for (const [name, guid] of catalog.guids) {
    items.push({
      label: `&${name}`,
      kind: CompletionItemKind.Constant,
      detail: guid.value ? `{${guid.value}}` : 'system ECP type',
      documentation: { kind: MarkupKind.Markdown, value: guidMarkdown(guid) },
      sortText: `1${name}`,
      filterText: `&${name}`,
      textEdit: { range, newText: `&${name}` },
    });
  }
  return items;
}

function safeGuids(options: CompletionOptions): string[] {
  try {
    const names = options.workspaceGuids?.() ?? [];
    return Array.isArray(names) ? names.filter((n) => typeof n === 'string' && /^[A-Za-z_]\w*$/.test(n)) : [];
  } catch {
    return [];
  }
}

function statusItems(): CompletionItem[] {
  return statusList.map((s) => ({
    label: s.name,
    kind: CompletionItemKind.Constant,
    detail: `0x${(s.value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`,
    documentation: { kind: MarkupKind.Markdown, value: statusMarkdown(s) },
    insertText: s.name,
  }));
}

let routineItemCache: CompletionItem[] | undefined;

function routineItems(): CompletionItem[] {
  routineItemCache ??= routineList.map((r) => ({
    label: r.name,
    kind: CompletionItemKind.Function,
    detail: oneLinePrototype(r).label,
    documentation: { kind: MarkupKind.Markdown, value: routineMarkdown(r) },
    insertText: r.name,
    insertTextFormat: InsertTextFormat.PlainText,
  }));
  return routineItemCache;
}

function snippetItem(req: PositionRequest, s: GeneratedSnippet, range: Range): CompletionItem {
  const preview = expandSnippet(s.body, { UUID: undefined });
  return {
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: s.description,
    documentation: { kind: MarkupKind.Markdown, value: '```c\n' + preview + '\n```' },
    filterText: s.prefix,
    sortText: `0${s.prefix}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: s.body },
    additionalTextEdits: additionalEdits(s, (o) => req.stored.document.positionAt(o)),
  };
}

/** `status == |`, `status != |` or `case |` in a switch on a status. */
function isStatusComparison(parsed: ParsedText, wordStart: number): boolean {
  const before = parsed.masked.slice(Math.max(0, wordStart - 200), wordStart);
  const compared = /([A-Za-z_]\w*|\))\s*(?:==|!=)\s*$/.exec(before);
  if (compared) return compared[1] === ')' || isStatusName(parsed, compared[1], wordStart);
  if (!/\bcase\s+$/.test(before)) return false;
  const fn = enclosingFunction(parsed, wordStart);
  const from = fn ? fn.startIndex : Math.max(0, wordStart - 4000);
  const switches = [...parsed.masked.slice(from, wordStart).matchAll(/\bswitch\s*\(\s*([A-Za-z_]\w*)\s*\)/g)];
  const subject = switches[switches.length - 1]?.[1];
  return subject !== undefined && isStatusName(parsed, subject, wordStart);
}

function isStatusName(parsed: ParsedText, name: string, at: number): boolean {
  const declared = declaredType(parsed, name, at);
  return declared ? /^NTSTATUS$/.test(declared.type) : /status/i.test(name);
}

type Place = 'statement' | 'file' | 'expression';

/** Whether the cursor is in a function body, at file scope, or somewhere only an expression fits. */
function statementPlace(parsed: ParsedText, offset: number): Place {
  const fn = enclosingFunction(parsed, offset);
  const body = fn?.childForFieldName('body');
  if (body && offset > body.startIndex && (offset < body.endIndex || body.lastChild?.isMissing)) return 'statement';
  if (fn && !body) return 'expression';
  let node: Node | null = parsed.tree.rootNode.descendantForIndex(Math.max(0, offset - 1), offset);
  const nested = new Set(['field_declaration_list', 'enumerator_list', 'initializer_list', 'compound_statement', 'parameter_list', 'argument_list']);
  for (let guard = 0; node && guard < 10_000; guard++, node = node.parent) {
    if (nested.has(node.type) && offset > node.startIndex && offset < node.endIndex) return 'expression';
  }
  return 'file';
}

/** True when only whitespace and comments separate the cursor from the end of a statement or block. */
export function statementCanStart(text: string, at: number): boolean {
  const window = text.slice(Math.max(0, at - 2000), at);
  const lineStart = window.lastIndexOf('\n') + 1;
  if (window.slice(lineStart).trim() !== '') return false;
  const clean = window.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '').replace(/\s+$/, '');
  if (clean === '') return true;
  const lastLine = clean.slice(clean.lastIndexOf('\n') + 1);
  if (/^\s*#/.test(lastLine)) return true;
  const last = clean[clean.length - 1];
  if (last === ';' || last === '{' || last === '}') return true;
  if (last === ':') return /(^|[;{}\s])(case\b[^;?]*|default\s*|[A-Za-z_]\w*\s*):$/.test(clean.slice(-200)) && !/\?[^;]*:$/.test(clean.slice(-200));
  return false;
}
