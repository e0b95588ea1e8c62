/**
 * A cache keyed by source text (a function's text, a head), bounded by the characters it holds.
 * Keys are copied: a text sliced from a document is a view that keeps the whole document alive,
 * and a cache of views would keep every version ever analysed.
 */
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

const identifierSets = new TextCache<Set<string>>(8 * 1024 * 1024);

/** The identifiers a text mentions, computed once per text (an edit changes few function bodies). */
export function identifiersIn(text: string): Set<string> {
  let ids = identifierSets.get(text);
  if (!ids) {
    ids = new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
    identifierSets.set(text, ids);
  }
  return ids;
}
