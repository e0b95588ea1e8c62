/** Bounds the length of any text the server sends (diagnostic and log messages). */
export const MAX_MESSAGE_CHARS = 4000;
/** Bounds a name from the user's code echoed inside a message or a hover (an identifier, a type). */
export const MAX_NAME_CHARS = 200;

/** The text, or its first `max` characters ending in an ellipsis; never splits a surrogate pair. */
export function clipMessage(text: string, max: number = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
