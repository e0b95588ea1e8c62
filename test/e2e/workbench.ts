/**
 * Playwright helpers for the VS Code workbench served by code-server. Every helper waits for a
 * DOM fact (no fixed sleeps; one short settle before screenshots) and every failure names the
 * step that failed via `step()`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { RESULTS_DIR, type CodeServer } from './codeServer';

export const CHROMIUM = process.env.ECP_E2E_CHROMIUM ?? '/usr/bin/chromium';
const DEFAULT_TIMEOUT = 20_000;

/** Runs one named step; a failure or a timeout says which step it was. */
export async function step<T>(name: string, fn: () => Promise<T>, timeoutMs = 45_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`e2e step "${name}" failed: ${message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Escapes a string for use inside a RegExp. */
export function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Matches `text` not glued to identifier characters (FltFoo does not match inside FltFooList). */
export function wholeWord(text: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_])${literal(text).source}(?![A-Za-z0-9_])`, 'g');
}

export class Workbench {
  private constructor(readonly page: Page, readonly server: CodeServer) {}

  /** Opens the workbench on the server's workspace and waits for the explorer to list a file. */
  static async open(browser: Browser, server: CodeServer, options: { trustPrompt?: 'trust' | 'restricted' } = {}): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(DEFAULT_TIMEOUT);
    const workbench = new Workbench(page, server);
    await step('load the workbench', () => page.goto(server.workbenchUrl, { waitUntil: 'domcontentloaded' }));
    if (options.trustPrompt) await workbench.answerTrustPrompt(options.trustPrompt);
    await step('wait for the explorer to list the workspace', () =>
      page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 }),
    );
    return workbench;
  }

  /** The start-up "Do you trust the authors" dialog (workspace trust enabled). */
  async answerTrustPrompt(answer: 'trust' | 'restricted'): Promise<void> {
    await step(`answer the workspace trust prompt: ${answer}`, async () => {
      const dialog = this.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      const name = answer === 'trust' ? /Yes, I trust/ : /No, I don.t trust/;
      await dialog.getByRole('button', { name }).click();
      await dialog.waitFor({ state: 'hidden' });
    });
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The active editor's visible text (Monaco renders spaces as U+00A0). */
  async editorText(): Promise<string> {
    const text = await this.activeEditor().locator('.view-lines').innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  /** Saves the active editor (Ctrl+S) and returns the file's text from disk (the editor only renders visible lines). */
  async saveAndRead(fileName: string): Promise<string> {
    return step(`save ${fileName} and read it from disk`, async () => {
      await this.page.keyboard.press('Control+S');
      await this.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached' });
      return fs.readFileSync(path.join(this.server.workspace, fileName), 'utf8');
    });
  }

  /** Quick Open (Ctrl+P) a workspace file by name and wait until it is the active editor. */
  async quickOpen(fileName: string): Promise<void> {
    await step(`Quick Open ${fileName}`, async () => {
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(fileName);
      await this.page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ state: 'visible' });
      await this.page.keyboard.press('Enter');
      await this.page.locator('.editor-group-container.active .tab.active', { hasText: fileName }).waitFor({ state: 'visible' });
      await this.activeEditor().locator('.view-lines .view-line').first().waitFor({ state: 'visible' });
    });
  }

  /** Opens the command palette on a command title and waits for its row (Escape to close). */
  async findCommand(title: string): Promise<Locator> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible' });
    return row;
  }

  async commandExists(title: string): Promise<boolean> {
    return step(`find "${title}" in the command palette`, async () => {
      const row = await this.findCommand(title);
      const found = await row.isVisible();
      await this.page.keyboard.press('Escape');
      return found;
    });
  }

  async runCommand(title: string): Promise<void> {
    await step(`run command "${title}"`, async () => {
      await this.findCommand(title);
      await this.page.keyboard.press('Enter');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    });
  }

  /** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G); a column past the end clamps. */
  async goTo(line: number, column = 1): Promise<void> {
    await step(`go to ${line}:${column}`, async () => {
      // Close any hover or widget, focus the editor group (a click could land on a widget).
      await this.page.mouse.move(5, 5);
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+1');
      await this.page.keyboard.press('Control+G');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      // Go to Line opens Quick Open with a ':' prefix; keep it.
      await input.fill(`:${line}:${column}`);
      await this.page.keyboard.press('Enter');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await this.page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: `Ln ${line},` }).waitFor();
    });
  }

  /** 1-based line and column of the n-th whole-word occurrence of `text` in a workspace file. */
  positionOf(fileName: string, text: string, occurrence = 1): { line: number; column: number } {
    const lines = fs.readFileSync(path.join(this.server.workspace, fileName), 'utf8').split('\n');
    let seen = 0;
    for (let i = 0; i < lines.length; i++) {
      for (const match of lines[i].matchAll(wholeWord(text))) {
        if (++seen === occurrence) return { line: i + 1, column: (match.index ?? 0) + 1 };
      }
    }
    throw new Error(`"${text}" not found in ${fileName}`);
  }

  /**
   * Screen centre of `word` in the active editor, or null: on the cursor's line when `cursorLine`
   * (after Go to Line, for a word that occurs more than once), else its first rendered occurrence.
   */
  async wordCentre(word: string, cursorLine = false): Promise<{ x: number; y: number } | null> {
    return this.activeEditor().evaluate((editor, { w, source, onCursor }) => {
      const pattern = new RegExp(source);
      const cursor = editor.querySelector('.cursor')?.getBoundingClientRect();
      const cursorY = cursor ? cursor.top + cursor.height / 2 : undefined;
      for (const line of Array.from(editor.querySelectorAll('.view-line'))) {
        if (onCursor) {
          const box = line.getBoundingClientRect();
          if (cursorY === undefined || cursorY < box.top || cursorY > box.bottom) continue;
        }
        const text = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        const index = text.search(pattern);
        if (index < 0) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let offset = 0;
        let started = false;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (!started && index < offset + length) {
            range.setStart(node, index - offset);
            started = true;
          }
          if (started && index + w.length <= offset + length) {
            range.setEnd(node, index + w.length - offset);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          offset += length;
        }
      }
      return null;
    }, { w: word, source: wholeWord(word).source, onCursor: cursorLine });
  }

  /** Hovers the real mouse over a word (scrolled into view with Go to Line) and returns the hover text. */
  async hoverWord(fileName: string, word: string, expected: RegExp, occurrence = 1): Promise<string> {
    return step(`hover "${word}" and expect ${expected}`, async () => {
      const { line, column } = this.positionOf(fileName, word, occurrence);
      await this.goTo(line, column);
      await this.page.mouse.move(5, 5);
      await this.page.locator('.monaco-hover-content').first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
      const centre = await this.wordCentre(word, occurrence > 1);
      if (!centre) throw new Error(`"${word}" is not rendered in the active editor`);
      const hover = this.page.locator('.monaco-hover-content', { hasText: expected }).first();
      // A hover asked for before the server is ready comes back empty and is not asked again
      // while the mouse stays: move away and back until the hover shows.
      for (let attempt = 1; ; attempt++) {
        await this.page.mouse.move(centre.x - 3, centre.y);
        await this.page.mouse.move(centre.x, centre.y);
        try {
          await hover.waitFor({ state: 'visible', timeout: 5_000 });
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
          await this.page.mouse.move(5, 5);
          await this.page.keyboard.press('Escape');
        }
      }
      return hover.innerText();
    });
  }

  /** Opens the Problems panel and waits for a row matching `pattern`; returns all rows. */
  async waitForProblems(pattern: RegExp): Promise<Locator> {
    return step(`Problems panel shows a row matching ${pattern}`, async () => {
      const rows = this.page.locator('.markers-panel .monaco-list-row');
      if (!(await this.page.locator('.markers-panel').isVisible())) await this.page.keyboard.press('Control+Shift+M');
      await rows.filter({ hasText: pattern }).first().waitFor({ state: 'visible' });
      return rows;
    });
  }

  /** Error and warning counts from the status bar's problems item. */
  async problemCounts(): Promise<{ errors: number; warnings: number }> {
    const item = this.page.locator('.statusbar-item[id="status.problems"]');
    const label = `${(await item.getAttribute('aria-label')) ?? ''} ${await item.innerText()}`;
    const count = (re: RegExp) => {
      const match = re.exec(label);
      if (match) return Number(match[1] ?? match[2]);
      // The aria-label names only the kinds present ("Errors: 3" with no warning).
      if (/No Problems|Errors?:|Warnings?:|Infos?:/i.test(label)) return 0;
      throw new Error(`cannot read problem counts from the status bar: "${label}"`);
    };
    // aria-label: "Errors: 5, Warnings: 1" or "No Problems".
    return { errors: count(/Errors?:\s*(\d+)|(\d+)\s+Errors?/i), warnings: count(/Warnings?:\s*(\d+)|(\d+)\s+Warnings?/i) };
  }

  /** The ECP Lens language status item, found directly or in the `{}` language status hover. */
  async languageStatusText(name = 'ECP Lens'): Promise<string> {
    return step(`language status shows "${name}"`, async () => {
      const items = this.page.locator('.statusbar-item[id*="status.languageStatus"]');
      await items.first().waitFor({ state: 'visible' });
      const pinned = items.filter({ hasText: name });
      if (await pinned.count()) return pinned.first().innerText();
      await items.first().hover();
      const entry = this.page.locator('.hover-language-status', { hasText: name }).first();
      await entry.waitFor({ state: 'visible' });
      const text = await entry.innerText();
      await this.page.mouse.move(700, 400);
      return text;
    });
  }

  /** The pool panel's content: two iframes deep (webview host, then #active-frame). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** The pool panel's inner Frame, for evaluating script in the panel's own document. */
  async webviewFrame(): Promise<Frame> {
    return step('find the webview content frame', async () => {
      const outer = await (await this.page.locator('iframe.webview.ready').first().elementHandle())?.contentFrame();
      if (!outer) throw new Error('no iframe.webview.ready');
      const inner = await (await outer.locator('#active-frame').elementHandle())?.contentFrame();
      if (!inner) throw new Error('no #active-frame inside the webview');
      return inner;
    });
  }

  /** Saves test-results/e2e/<name>.png after a short settle (animations, hovers). */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await this.page.waitForTimeout(400);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Leaves the workbench so code-server ends this window's extension host, then closes the context. */
  async close(): Promise<void> {
    await this.page.goto('about:blank').catch(() => undefined);
    await this.page.context().close().catch(() => undefined);
  }
}
