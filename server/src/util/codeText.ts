/**
 * C and C++ text with its comments blanked (newlines kept, so offsets and lines still match):
 * words read from it are code, not prose. String and character literals are kept as written
 * (a `//` inside `L"http://..."` is no comment).
 */
const PARTS = /("(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*')|\/\*[\s\S]*?(?:\*\/|$)|\/\/(?:\\\r?\n|[^\n])*/g;

export function withoutComments(text: string): string {
  if (!text.includes('/')) return text;
  return text.replace(PARTS, (whole, literal: string | undefined) => (literal !== undefined ? whole : whole.replace(/[^\r\n]/g, ' ')));
}

/**
 * The words of C and C++ text that can be names: besides C's letters, digits and `_`, what MSVC,
 * GCC and Clang also take in an identifier, `$` and letters beyond ASCII (UTF-8 source). Every
 * place that reads names from text uses it, so `Make$List` or `MakeÉcp` is one name there, as in
 * the tree (`[A-Za-z_]\w*` read them as `Make`, `List`, `cp`: a wrapper of another file with such
 * a name was never merged, and its leak was missed).
 */
export const NAME_WORDS = /[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*/g;

/** The name-like words of `text`, in order (see `NAME_WORDS`). */
export function nameWords(text: string): string[] {
  return text.match(NAME_WORDS) ?? [];
}

/**
 * Visits each name once: `names`, then the names of the texts `visit` returns for a name (a
 * macro's or define's body), transitively, at most `limit` names in all.
 */
export function visitNamesThrough(names: Iterable<string>, visit: (name: string) => Iterable<string>, limit = 4096): void {
  const seen = new Set(names);
  const todo = [...seen];
  while (todo.length > 0) {
    for (const body of visit(todo.pop()!)) {
      for (const word of nameWords(body)) {
        if (seen.has(word) || seen.size >= limit) continue;
        seen.add(word);
        todo.push(word);
      }
    }
  }
}
