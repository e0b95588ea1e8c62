/**
 * Shared entry of the position-based features: validates the request's document and position
 * (clients and fuzzers send malformed ones) and resolves them against the store's current version.
 * Requests carry no version, so a request sent for an older version is answered from the current one.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type Position, type Range } from 'vscode-languageserver';
import { WorkStopped } from '../util/slices';
import type { StoredDocument } from '../documents';
import type { EcpLensServer } from '../server';

export interface PositionRequest {
  stored: StoredDocument;
  offset: number;
  position: Position;
}

/** The LSP answer to work a cancellation (RequestCancelled) or an edit of its document (ContentModified) stopped. */
export function stoppedError(method: string, err: WorkStopped): ResponseError<void> {
  return err.reason === 'cancelled'
    ? new ResponseError(LSPErrorCodes.RequestCancelled, `${method}: cancelled`)
    : new ResponseError(LSPErrorCodes.ContentModified, `${method}: the document changed while the request ran; ask again.`);
}

export function positionRequest(server: EcpLensServer, params: unknown): PositionRequest | undefined {
  const p = params as { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } } | null;
  const uri = p?.textDocument?.uri;
  const line = p?.position?.line;
  const character = p?.position?.character;
  if (typeof uri !== 'string' || !isCount(line) || !isCount(character)) return undefined;
  const stored = server.documents.get(uri);
  if (!stored) return undefined;
  if (line >= stored.document.lineCount) return undefined;
  const position = { line, character };
  return { stored, offset: stored.document.offsetAt(position), position: stored.document.positionAt(stored.document.offsetAt(position)) };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 0x7fffffff;
}

export function rangeOf(stored: StoredDocument, start: number, end: number): Range {
  return { start: stored.document.positionAt(start), end: stored.document.positionAt(end) };
}

/**
 * A request whose params are not text-document-position params at all is answered with an
 * InvalidParams error (the client sent nonsense); well-formed params for an unknown document or a
 * position past the end get an empty answer instead.
 */
export function malformed(params: unknown): ResponseError<void> | undefined {
  const p = params as { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } } | null;
  const ok = typeof p?.textDocument?.uri === 'string' && typeof p?.position?.line === 'number' && typeof p?.position?.character === 'number';
  return ok ? undefined : new ResponseError(ErrorCodes.InvalidParams, 'expected TextDocumentPositionParams');
}
