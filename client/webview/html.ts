/**
 * The pool simulator panel's HTML shell. The page is an empty frame: the bundled script (loaded
 * with a nonce) builds every element with DOM calls, so no data ever passes through HTML parsing.
 * No vscode import: the host, Node tests and the browser harness all call this.
 */

export interface PanelHtmlOptions {
  /** `webview.cspSource` — the origin the bundle and stylesheet are served from. */
  cspSource: string;
  /** Fresh random value per render (base64 or hex), from node:crypto on the host. */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/webview.css)` as a string. */
  styleUri: string;
}

/** Escape a value for a double-quoted HTML attribute (the URIs and nonce are host-made, but be strict). */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy of the panel: nothing remote, no inline script or style, no eval. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ') + ';';
}

export function panelHtml(opts: PanelHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(opts.nonce)) {
    throw new Error('panelHtml: nonce must be at least 16 base64/hex characters');
  }
  const csp = panelCsp(opts.cspSource, opts.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(opts.styleUri)}">
<title>ECP Lens: Pool Simulator</title>
</head>
<body>
<div id="app" class="app" aria-live="off"><p class="boot">ECP Lens pool simulator: waiting for a trace…</p></div>
<script nonce="${attr(opts.nonce)}" src="${attr(opts.scriptUri)}"></script>
</body>
</html>
`;
}
