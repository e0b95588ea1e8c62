/**
 * A cache keyed by source text (a function's text, a head), bounded by the characters it holds.
 * Keys are copied: a text sliced from a document is a view that keeps the whole document alive,
 * and a cache of views would keep every version ever analysed.
 */
import { nameWords } from './codeText';

export class TextCache<V> {
  private readonly map = new Map<string, V>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(text: string): V | undefined {
    return this.map.get(text);
  }

  set(text: string, value: V): void {
    if (this.map.has(text)) return;
    if (this.chars + text.length > this.maxChars) {
      this.map.clear();
      this.chars = 0;
    }
    this.map.set(ownCopy(text), value);
    this.chars += text.length;
  }
}

/** A flat copy of `text` that shares no storage with the string it came from. */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/**
 * `text` without the document it was sliced from: V8 keeps a slice of 13 or more characters as a
 * view of its parent string, so a name or message read from a document and kept in a cache that
 * outlives the version would keep the whole text of that version alive. Equal texts share one
 * flat copy (messages and names repeat across functions and versions).
 */
export function detached(text: string): string {
  return text.length < 13 ? text : interned(text);
}

/** One shared flat copy of `text` (names repeat across functions: a set of them shares its words). */
export function interned(text: string): string {
  let own = pool.get(text);
  if (own === undefined) {
    if (pool.size >= POOL_LIMIT) pool.clear();
    own = JSON.parse(JSON.stringify(text)) as string;
    pool.set(own, own);
  }
  return own;
}

const pool = new Map<string, string>();
const POOL_LIMIT = 100_000;

/** A copy of plain data (objects, arrays, strings, numbers) whose strings are all `detached`. */
export function detachedDeep<T>(value: T): T {
  if (typeof value === 'string') return detached(value) as T;
  if (Array.isArray(value)) return value.map(detachedDeep) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = detachedDeep(v);
    return out as T;
  }
  return value;
}

const identifierSets = new TextCache<Set<string>>(8 * 1024 * 1024);

/** The identifiers a text mentions, computed once per text (an edit changes few function bodies). */
export function identifiersIn(text: string): Set<string> {
  let ids = identifierSets.get(text);
  if (!ids) {
    ids = new Set<string>();
    for (const word of nameWords(text)) ids.add(detached(word));
    identifierSets.set(text, ids);
  }
  return ids;
}
