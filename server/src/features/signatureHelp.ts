/**
 * Signature help for every ECP routine of the catalog: the header prototype on one line, the
 * parameters located in it, the active parameter's meaning (and accepted flags) from the catalog.
 */
import {
  MarkupKind,
  type ParameterInformation,
  type SignatureHelp,
  type SignatureInformation,
} from 'vscode-languageserver';
import type { EcpLensServer, ServerFeature } from '../server';
import { parameterMarkdown, routine, type RoutineInfo } from '../catalog';
import { callsAt, inCommentOrString, type CallAt } from './symbolAt';
import { malformed, positionRequest } from './requestContext';

export const signatureHelpFeature: ServerFeature = {
  capabilities(caps) {
    caps.signatureHelpProvider = { triggerCharacters: ['(', ','], retriggerCharacters: [','] };
  },
  attach(server, connection) {
    connection.onSignatureHelp((params) => malformed(params) ?? server.guard('signatureHelp', () => signatureHelp(server, params)) ?? null);
  },
};

export function signatureHelp(server: EcpLensServer, params: unknown): SignatureHelp | null {
  const req = positionRequest(server, params);
  if (!req) return null;
  const { parsed } = req.stored;
  if (inCommentOrString(parsed, req.offset)) return null;
  const hit = routineCallAt(callsAt(parsed, req.offset));
  if (!hit) return null;
  return { signatures: [signatureInformation(hit.routine)], activeSignature: 0, activeParameter: hit.call.argIndex };
}

/** The innermost call of an ECP routine among the calls around the cursor. */
export function routineCallAt(calls: CallAt[]): { call: CallAt; routine: RoutineInfo } | undefined {
  for (const call of calls) {
    const r = call.name ? routine(call.name) : undefined;
    if (r) return { call, routine: r };
  }
  return undefined;
}

interface OneLine {
  label: string;
  params: [number, number][];
}

const lineCache = new Map<string, OneLine>();

/** `NTSTATUS FLTAPI Name(_In_ PFLT_FILTER Filter, ...)` with each parameter's [start, end) in it. */
export function oneLinePrototype(r: RoutineInfo): OneLine {
  const cached = lineCache.get(r.name);
  if (cached) return cached;
  const result = fromPrototype(r) ?? fromParams(r);
  lineCache.set(r.name, result);
  return result;
}

function fromPrototype(r: RoutineInfo): OneLine | undefined {
  const at = r.prototype.search(new RegExp(`\\b${r.name}\\s*\\(`));
  if (at < 0) return undefined;
  const lineStart = r.prototype.lastIndexOf('\n', at) + 1;
  const text = r.prototype.slice(lineStart).replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').replace(/;\s*$/, '').trim();
  const open = text.indexOf('(', text.indexOf(r.name));
  const segments: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) {
      if (text.slice(start, i).trim()) segments.push(trimmed(text, start, i));
      break;
    } else if (c === ',' && depth === 0) {
      segments.push(trimmed(text, start, i));
      start = i + 1;
    }
  }
  const voidOnly = r.params.length === 0 && segments.length === 1 && text.slice(...segments[0]) === 'VOID';
  if (segments.length !== r.params.length && !voidOnly) return undefined;
  return { label: text, params: voidOnly ? [] : segments };
}

function trimmed(text: string, start: number, end: number): [number, number] {
  while (start < end && text[start] === ' ') start++;
  while (end > start && text[end - 1] === ' ') end--;
  return [start, end];
}

function fromParams(r: RoutineInfo): OneLine {
  let label = `${r.returnType} ${r.name}(`;
  const params: [number, number][] = [];
  r.params.forEach((p, i) => {
    if (i > 0) label += ', ';
    const text = `${p.sal ? p.sal + ' ' : ''}${p.type}${p.type.endsWith('*') ? '' : ' '}${p.name}`;
    params.push([label.length, label.length + text.length]);
    label += text;
  });
  return { label: label + ')', params };
}

export function signatureInformation(r: RoutineInfo): SignatureInformation {
  const line = oneLinePrototype(r);
  const parameters: ParameterInformation[] = r.params.map((_, i) => ({
    label: line.params[i],
    documentation: { kind: MarkupKind.Markdown, value: parameterMarkdown(r, i) },
  }));
  const irql = r.irqlMax ? `IRQL <= ${r.irqlMax}` : 'IRQL undocumented';
  return {
    label: line.label,
    documentation: { kind: MarkupKind.Markdown, value: `${r.summary}\n\n_${irql} · ${r.minWindows}_` },
    parameters,
  };
}
