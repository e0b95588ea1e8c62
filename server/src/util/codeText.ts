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
