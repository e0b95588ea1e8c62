/** Shared set-up of the feature unit tests: a server without a connection, documents, positions. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EcpLensServer } from '../../../server/src/server';
import { initParser } from '../../../server/src/parsing/parser';
import type { StoredDocument } from '../../../server/src/documents';

export const FIXTURE_PATH = path.join(__dirname, '../../fixtures/features/minifilter.c');
export const minifilter = fs.readFileSync(FIXTURE_PATH, 'utf8');

let counter = 0;

export async function serverWith(text: string): Promise<{ server: EcpLensServer; uri: string; stored: StoredDocument }> {
  await initParser();
  const server = new EcpLensServer();
  const uri = `file:///unit/doc${++counter}.c`;
  const stored = server.documents.open(uri, 'c', 1, text);
  return { server, uri, stored };
}

/** Offset of the `occurrence`-th (1-based) `needle` in `text`, plus `delta`. */
export function offsetOf(text: string, needle: string, occurrence = 1, delta = 0): number {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${occurrence} not found`);
  }
  return at + delta;
}

/** LSP position of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Request params at `needle` (+ delta) in `text`. */
export function at(uri: string, text: string, needle: string, occurrence = 1, delta = 0) {
  return { textDocument: { uri }, position: positionAt(text, offsetOf(text, needle, occurrence, delta)) };
}

/** Text with `insert` placed at the `occurrence`-th `needle` (before it). */
export function insertAt(text: string, needle: string, insert: string, occurrence = 1): { text: string; offset: number } {
  const offset = offsetOf(text, needle, occurrence);
  return { text: text.slice(0, offset) + insert + text.slice(offset), offset: offset + insert.length };
}
