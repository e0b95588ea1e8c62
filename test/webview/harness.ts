/**
 * Browser harness for the panel: builds client/webview/main.ts with esbuild into a temp dir,
 * serves the production HTML (CSP in the meta tag) and bundle from 127.0.0.1, and opens pages in
 * Debian's Chromium through playwright-core with a host shim in place of acquireVsCodeApi.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, copyFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { panelHtml } from '../../client/webview/html';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const ROOT = resolve(__dirname, '../..');

export interface Harness {
  origin: string;
  browser: Browser;
  /** The built bundle's source, for static checks. */
  bundle: string;
  close(): Promise<void>;
}

async function buildBundle(dir: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'client/webview/main.ts')],
    outfile: join(dir, 'webview.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome114',
    sourcemap: false,
    logLevel: 'silent',
  });
  copyFileSync(join(ROOT, 'client/webview/panel.css'), join(dir, 'webview.css'));
}

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/panel.html') {
      const nonce = randomBytes(16).toString('base64');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(panelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css` }));
    } else if (path === '/webview.js' || path === '/webview.css') {
      const type = path.endsWith('.js') ? 'text/javascript' : 'text/css';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(readFileSync(join(dir, path.slice(1))));
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end(); // browsers ask for it; VS Code webviews do not
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ecp-lens-webview-'));
  await buildBundle(dir);
  const server = await serve(dir);
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    browser,
    bundle: readFileSync(join(dir, 'webview.js'), 'utf8'),
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What the host shim recorded in the page. */
export interface ShimWindow {
  __posted: unknown[];
  __state: unknown;
  __dialogs: number;
  __violations: { directive: string; sample: string }[];
}

export interface OpenedPanel {
  page: Page;
  errors: string[];
  dialogs: string[];
}

/** Open the panel with the host shim installed before the bundle runs; `state` seeds getState(). */
export async function openPanel(h: Harness, opts: { state?: unknown; width?: number; height?: number } = {}): Promise<OpenedPanel> {
  const page = await h.browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 } });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript((initial) => {
    const w = window as unknown as ShimWindow & { __ecpLensTestApi: unknown };
    w.__posted = [];
    w.__state = initial ?? undefined;
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push({ directive: e.effectiveDirective, sample: e.sample }));
    w.__ecpLensTestApi = {
      postMessage: (m: unknown) => w.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => w.__state,
      setState: (s: unknown) => {
        w.__state = JSON.parse(JSON.stringify(s));
      },
    };
  }, opts.state ?? null);
  await page.goto(`${h.origin}/`);
  await page.waitForFunction(() => (window as unknown as ShimWindow).__posted.some((m) => (m as { type?: string }).type === 'ready'));
  return { page, errors, dialogs };
}

/** Post a message exactly as the extension host would (it arrives as a window 'message' event). */
/**
 * Posts a host message and resolves once the panel has handled it: a marker posted right after
 * it arrives after the panel's own listener has run (messages are dispatched in order), so the
 * caller never reads the DOM before the message was seen, however loaded the machine is.
 */
export async function hostPost(page: Page, message: unknown): Promise<void> {
  await page.evaluate(
    (m) =>
      new Promise<void>((resolve) => {
        const marker = `ecp-lens-test-flush-${Math.random()}`;
        const onMessage = (e: MessageEvent): void => {
          if (e.data !== marker) return;
          window.removeEventListener('message', onMessage);
          resolve();
        };
        window.addEventListener('message', onMessage);
        window.postMessage(m, '*');
        window.postMessage(marker, '*');
      }),
    message,
  );
}

export async function posted(page: Page): Promise<any[]> {
  return page.evaluate(() => (window as unknown as ShimWindow).__posted);
}

export async function clearPosted(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as ShimWindow).__posted = [];
  });
}

const THEMES: Record<'dark' | 'light' | 'hc', { body: string; vars: Record<string, string> }> = {
  dark: {
    body: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1f1f1f', '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-panel-border': '#2b2b2b', '--vscode-focusBorder': '#0078d4', '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185',
      '--vscode-charts-yellow': '#cca700', '--vscode-charts-purple': '#b180d7', '--vscode-list-activeSelectionBackground': '#04395e',
      '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-editorWidget-background': '#202020',
      '--vscode-sideBarSectionHeader-background': '#181818', '--vscode-textLink-foreground': '#4daafc',
      '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-input-background': '#313131',
      '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8', '--vscode-font-family': 'DejaVu Sans, sans-serif',
      '--vscode-editor-font-family': 'DejaVu Sans Mono, monospace', '--vscode-font-size': '13px',
    },
  },
  light: {
    body: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff', '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#717171',
      '--vscode-panel-border': '#e5e5e5', '--vscode-focusBorder': '#005fb8', '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#c27d00', '--vscode-charts-red': '#e51400', '--vscode-charts-green': '#388a34',
      '--vscode-charts-yellow': '#947a00', '--vscode-charts-purple': '#652d90', '--vscode-list-activeSelectionBackground': '#e8e8e8',
      '--vscode-list-activeSelectionForeground': '#000000', '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-sideBarSectionHeader-background': '#f8f8f8', '--vscode-textLink-foreground': '#005fb8',
      '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece',
      '--vscode-list-hoverBackground': '#f2f2f2', '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-font-family': 'DejaVu Sans, sans-serif', '--vscode-editor-font-family': 'DejaVu Sans Mono, monospace', '--vscode-font-size': '13px',
    },
  },
  hc: {
    body: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000', '--vscode-foreground': '#ffffff', '--vscode-descriptionForeground': '#ffffff',
      '--vscode-panel-border': '#6fc3df', '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-focusBorder': '#f38518', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616',
      '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#ffff00',
      '--vscode-charts-purple': '#b180d7', '--vscode-list-activeSelectionBackground': '#000000',
      '--vscode-list-activeSelectionForeground': '#ffffff', '--vscode-editorWidget-background': '#0c141f',
      '--vscode-textLink-foreground': '#21a6ff', '--vscode-button-background': '#000000', '--vscode-button-secondaryBackground': '#000000',
      '--vscode-font-family': 'DejaVu Sans, sans-serif', '--vscode-editor-font-family': 'DejaVu Sans Mono, monospace', '--vscode-font-size': '13px',
    },
  },
};

/** Apply theme variables the way VS Code does (CSSOM on <html>, class on <body>). */
export async function applyTheme(page: Page, theme: keyof typeof THEMES): Promise<void> {
  await page.evaluate((t) => {
    document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
    document.body.classList.add(t.body);
    const style = document.documentElement.style;
    for (const name of Array.from({ length: style.length }, (_, i) => style.item(i)).filter((n) => n.startsWith('--vscode-'))) style.removeProperty(name);
    for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
  }, THEMES[theme]);
}

/** A trace from the real simulator: the built CLI's `simulate --format json`. */
export function cliTrace(file: string, args: string[]): import('../../server/src/protocol').Trace {
  const root = resolve(__dirname, '../..');
  const r = spawnSync(process.execPath, [resolve(root, 'dist/cli.js'), 'simulate', resolve(root, file), '--format', 'json', ...args], { encoding: 'utf8' });
  if (r.status === 2) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

/** Post a trace as the host does and wait until the panel shows it. */
export async function showTrace(page: Page, trace: { function: string }, step?: number): Promise<void> {
  await hostPost(page, step === undefined ? { type: 'trace', trace } : { type: 'trace', trace, step });
  await page.waitForFunction((name) => document.getElementById('function-name')?.textContent === `${name}()`, trace.function);
}
