/** Rewrites a text's line breaks for line-ending tests: all CR, or a deterministic mix of CR, CRLF and LF. */
export function withLineEndings(text: string, style: 'cr' | 'crlf' | 'mixed'): string {
  const lines = text.split(/\r\n|\r|\n/);
  const mixed = ['\r', '\r\n', '\n'];
  return lines.map((l, i) => (i === lines.length - 1 ? l : l + (style === 'cr' ? '\r' : style === 'crlf' ? '\r\n' : mixed[i % 3]))).join('');
}
