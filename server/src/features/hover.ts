/**
 * Hover: catalog facts for ECP routines, types, fields, flags, GUIDs, status codes and bug checks;
 * for a local variable holding an ECP object, its simulated state at the hovered line.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { EcpLensServer, ServerFeature } from '../server';
import type { StoredDocument } from '../documents';
import { clipMessage } from '../util/clip';
import {
  bugCheckMarkdown,
  fieldMarkdown,
  flagMarkdown,
  guidMarkdown,
  lookupField,
  lookupSymbol,
  routineMarkdown,
  statusMarkdown,
  typeMarkdown,
  type SymbolHit,
} from '../catalog';
import type { FileModel, FunctionDef } from '../engine/fileModel';
import { runFunction, type FunctionRun } from '../engine/analyzeFunction';
import { declaredType, symbolAt, type SymbolAt } from './symbolAt';
import { malformed, positionRequest, rangeOf } from './requestContext';
import { variableStateMarkdown } from './variableState';
import { carriedStructure, driverGuid, driverGuidMarkdown } from './driverGuid';

export const hoverFeature: ServerFeature = {
  capabilities(caps) {
    caps.hoverProvider = true;
  },
  attach(server, connection) {
    connection.onHover((params) => malformed(params) ?? server.guard('hover', () => hover(server, params)) ?? null);
  },
};

export function hover(server: EcpLensServer, params: unknown): Hover | null {
  const req = positionRequest(server, params);
  if (!req) return null;
  const { stored, offset } = req;
  const sym = symbolAt(stored.parsed, offset);
  if (!sym) return null;
  const markdown = catalogMarkdown(stored, sym) ?? ownGuidMarkdown(server, stored, sym) ?? variableMarkdown(server, stored, sym);
  if (!markdown) return null;
  // The pieces bound the names they echo; the whole stays bounded too.
  return { contents: { kind: MarkupKind.Markdown, value: clipMessage(markdown) }, range: rangeOf(stored, sym.start, sym.end) };
}

/** The driver's own ECP type (a GUID its code defines). */
function ownGuidMarkdown(server: EcpLensServer, stored: StoredDocument, sym: SymbolAt): string | undefined {
  if (sym.kind !== 'identifier' || sym.field) return undefined;
  const text = stored.document.getText();
  const found = server.documents.cached(stored, `hover:guid:${sym.name}`, () => driverGuid(text, sym.name, server.includeReader(stored.uri)) ?? null);
  return found ? driverGuidMarkdown(found, carriedStructure(text, sym.name)) : undefined;
}

/** Markdown for a catalogued name, a field of a catalogued structure, or a bug check code. */
export function catalogMarkdown(stored: StoredDocument, sym: SymbolAt): string | undefined {
  if (sym.field) return fieldHover(stored, sym);
  const hit = lookupSymbol(sym.name);
  if (!hit) return undefined;
  if (sym.kind === 'number' && hit.kind !== 'bugcheck') return undefined;
  return symbolMarkdown(hit);
}

export function symbolMarkdown(hit: SymbolHit): string | undefined {
  switch (hit.kind) {
    case 'routine':
      return routineMarkdown(hit.routine);
    case 'flag':
      return flagMarkdown(hit.flag);
    case 'guid':
      return guidMarkdown(hit.guid);
    case 'type':
      return typeMarkdown(hit.type);
    case 'field':
      return fieldMarkdown(hit.type.name, hit.field);
    case 'status':
      return statusMarkdown(hit.status);
    case 'bugcheck':
      return bugCheckMarkdown(hit.bugCheck);
  }
}

function fieldHover(stored: StoredDocument, sym: SymbolAt): string | undefined {
  const field = sym.field!;
  const declared = declaredType(stored.parsed, field.base, sym.start);
  if (!declared) return undefined;
  const typeName = declared.type.replace(/\bconst\b|\*/g, ' ').trim().split(/\s+/).pop() ?? '';
  for (const candidate of [typeName, `P${typeName}`]) {
    if (lookupField(candidate, field.path)) return fieldMarkdown(candidate, field.path);
  }
  return undefined;
}

/** Simulated state of a local or parameter that an ECP call wrote to, at the hovered line. */
function variableMarkdown(server: EcpLensServer, stored: StoredDocument, sym: SymbolAt): string | undefined {
  if (sym.kind !== 'identifier' || sym.field) return undefined;
  const declared = declaredType(stored.parsed, sym.name, sym.end);
  if (!declared || declared.scope === 'global') return undefined;
  const model = fileModel(server, stored);
  const fn = [...model.functions.values()].find((f) => !f.fromHeader && f.node.startIndex <= sym.start && sym.end <= f.node.endIndex);
  if (!fn) return undefined;
  const run = tracedRun(server, stored, model, fn);
  if (!run) return undefined;
  return variableStateMarkdown(run, fn.name, sym.name, stored.document.positionAt(sym.start).line);
}

export function fileModel(server: EcpLensServer, stored: StoredDocument): FileModel {
  return server.documents.fileModel(stored);
}

const HOVER_MAX_PATHS = 256;

/** A traced run of one function, computed once per document version. */
function tracedRun(server: EcpLensServer, stored: StoredDocument, model: FileModel, fn: FunctionDef): FunctionRun | undefined {
  return server.documents.cached(stored, `features:trace:${fn.name}:${fn.node.startIndex}`, () => {
    const maxPaths = Math.min(server.settings.maxPathsPerFunction, HOVER_MAX_PATHS);
    return server.guard('hover simulation', () => runFunction(model, fn, stored.document.getText(), { trace: true, limits: { maxPaths } }));
  });
}
