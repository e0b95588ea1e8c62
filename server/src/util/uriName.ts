/** The last part of a file URI, decoded, for display (`file:///src/ecp%20v2.c` → `ecp v2.c`). */
export function fileNameOfUri(uri: string): string {
  const last = uri.replace(/[?#].*$/, '').split('/').pop() || uri;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
