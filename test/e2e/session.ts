/**
 * One code-server + Chromium + workbench per test file, with the failure artifacts every
 * scenario needs: a screenshot of the moment of failure, the code-server log copied next to the
 * screenshots and attached to the test, and the log's tail printed to stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { RESULTS_DIR, startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { launchBrowser, step, Workbench } from './workbench';

export interface SessionOptions extends CodeServerOptions {
  /** With workspace trust enabled: how to answer the start-up trust prompt. */
  trustPrompt?: 'trust' | 'restricted';
}

export interface Session {
  workbench: Workbench;
  server: CodeServer;
}

function safeName(text: string): string {
  return text.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

/** Registers hooks that start a session before the file's tests and stop it after them. */
export function useSession(options: SessionOptions): () => Session {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;

  const saveLog = (): string | undefined => {
    if (!server || !fs.existsSync(server.logPath)) return undefined;
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const copy = path.join(RESULTS_DIR, `${options.label}.code-server.log`);
    fs.copyFileSync(server.logPath, copy);
    // The extension's own output channel and the extension host log, from the user data dir.
    const logsDir = path.join(path.dirname(server.logPath), 'data/logs');
    const wanted = /^(ECP Lens\.log|remoteexthost\.log)$/;
    for (const file of fs.existsSync(logsDir) ? (fs.readdirSync(logsDir, { recursive: true }) as string[]) : []) {
      const base = path.basename(file);
      if (wanted.test(base)) fs.copyFileSync(path.join(logsDir, file), path.join(RESULTS_DIR, `${options.label}.${base.replace(/ /g, '-')}`));
    }
    return copy;
  };

  beforeAll(async () => {
    server = await step(`start code-server (${options.label})`, () => startCodeServer(options), 60_000);
    try {
      browser = await step('launch Chromium', () => launchBrowser());
      workbench = await Workbench.open(browser, server, { trustPrompt: options.trustPrompt });
    } catch (err) {
      const log = saveLog();
      if (workbench) await workbench.screenshot(`${options.label}-FAILED-start`).catch(() => undefined);
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`${message}\ncode-server log: ${log}\n--- log tail ---\n${server.logTail(40)}`, { cause: err });
    }
  });

  // Vitest refuses annotations once a test has failed, so the artifacts are named on stderr.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    const name = safeName(`${options.label}-FAILED-${context.task.name}`);
    const shot = await workbench?.screenshot(name).catch(() => undefined);
    const log = saveLog();
    console.error(
      `[e2e] "${context.task.name}" failed. Screenshot: ${shot ?? '(none)'}. code-server log: ${log ?? '(none)'}\n` +
        `--- code-server log tail ---\n${server?.logTail(40) ?? ''}`,
    );
  });

  afterAll(async () => {
    await workbench?.close();
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  return () => {
    if (!server || !workbench) throw new Error(`e2e session "${options.label}" did not start (see the beforeAll error)`);
    return { server, workbench };
  };
}
