/**
 * Hover for the driver's own ECP types: a GUID the file (or a header it includes with quotes)
 * defines with `DEFINE_GUID(NAME, ...)` or `[static] [const] GUID NAME = { ... }`. It shows the
 * value, where it is defined, and the context structure it carries when an allocation in the
 * file says so (`Flt/FsRtlAllocateExtraCreateParameter(..., &NAME, sizeof(T), ...)`).
 */
import type { IncludeReader } from '../engine/analyzeFile';
import { clipMessage, MAX_NAME_CHARS } from '../util/clip';

export interface DriverGuid {
  name: string;
  /** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, or undefined when the initialiser is not literal. */
  value: string | undefined;
  /** Where it is defined: `this file` or the header's name, and the 1-based line. */
  where: string;
  line: number;
}

const HEX = '(0x[0-9a-fA-F]+|\\d+)[uUlL]*';

/** The definition of `name` in `text`, or undefined. */
export function findGuidDefinition(text: string, name: string, where: string): DriverGuid | undefined {
  const id = name.replace(/[^\w]/g, '');
  const define = new RegExp(`\\bDEFINE_GUID\\s*\\(\\s*${id}\\s*,([^;]*?)\\)\\s*;?`).exec(text);
  const initialised = new RegExp(`\\bGUID\\s+${id}\\s*=\\s*\\{([^;]*?)\\}\\s*;`).exec(text);
  const m = define ?? initialised;
  if (!m) return undefined;
  const numbers = [...m[1].matchAll(new RegExp(HEX, 'g'))].map((n) => Number(n[1]));
  return { name, value: numbers.length === 11 ? format(numbers) : undefined, where, line: lineOf(text, m.index) };
}

/** In the file, then in each header it includes with quotes (one level). */
export function driverGuid(text: string, name: string, readInclude: IncludeReader | undefined): DriverGuid | undefined {
  const own = findGuidDefinition(text, name, 'this file');
  if (own || !readInclude) return own;
  for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm)) {
    const header = readInclude(m[1], 'quote');
    const found = header === undefined ? undefined : findGuidDefinition(header, name, m[1]);
    if (found) return found;
  }
  return undefined;
}

/** The context structure an allocation of this ECP type names in `sizeof`, with its line. */
export function carriedStructure(text: string, name: string): { type: string; line: number } | undefined {
  const id = name.replace(/[^\w]/g, '');
  const m = new RegExp(`AllocateExtraCreateParameter(?:FromLookasideList)?\\s*\\([^;]*?&\\s*${id}\\s*,\\s*sizeof\\s*\\(\\s*([A-Za-z_][\\w\\s]*?\\**)\\s*\\)`).exec(text);
  return m ? { type: m[1].replace(/\s+/g, ' ').trim(), line: lineOf(text, m.index) } : undefined;
}

export function driverGuidMarkdown(g: DriverGuid, carried: { type: string; line: number } | undefined): string {
  const value = g.value ? `\`{${g.value}}\`` : 'value not given as literal numbers';
  const parts = [
    `**${clipMessage(g.name, MAX_NAME_CHARS)}** ${value}`,
    `An ECP type this driver defines (${g.where === 'this file' ? g.where : codeSpan(clipMessage(g.where, MAX_NAME_CHARS))}, line ${g.line}).`,
    carried
      ? `**Context structure:** \`${clipMessage(carried.type, MAX_NAME_CHARS)}\` (allocated with \`sizeof(${clipMessage(carried.type, MAX_NAME_CHARS)})\` at line ${carried.line}).`
      : '**Context structure:** no allocation of this type in the file says which.',
    'A custom ECP can arrive from user mode: check `FltIsEcpFromUserMode` / `FsRtlIsEcpFromUserMode` before trusting its payload (`ecp-untrusted-ecp`).',
  ];
  return parts.join('\n\n');
}

/**
 * `text` as a Markdown code span, so that nothing in it renders: a header's name is the user's
 * text, and `#include "x![p](https://host/p.png).h"` (a folder can be named so) showed a remote
 * image in the hover, or a link, as any Markdown would.
 */
export function codeSpan(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function format(n: number[]): string {
  const hex = (v: number, width: number) => (v >>> 0).toString(16).padStart(width, '0').slice(-width);
  return `${hex(n[0], 8)}-${hex(n[1], 4)}-${hex(n[2], 4)}-${hex(n[3], 2)}${hex(n[4], 2)}-${n.slice(5).map((b) => hex(b, 2)).join('')}`;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
