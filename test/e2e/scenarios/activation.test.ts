/**
 * Scenario 0: the extension activates on a C file — language status item, commands in the
 * palette, and the output channel.
 */
import { describe, expect, it } from 'vitest';
import { useSession } from '../session';
import { step } from '../workbench';

describe('scenario 0: activation on a C file', () => {
  const session = useSession({ label: 'activation' });

  it('shows the ECP Lens language status item after opening a .c file', async () => {
    const { workbench } = session();
    await workbench.quickOpen('e2e-scratch.c');
    const text = await workbench.languageStatusText('ECP Lens');
    expect(text).toContain('ECP Lens');
    // The server reports readiness through the item's detail ("ECP Lens is ready").
    await expect.poll(() => workbench.languageStatusText('ECP Lens'), { timeout: 30_000 }).toMatch(/ready/i);
    await workbench.page.locator('.statusbar-item[id*="status.languageStatus"]').first().hover();
    await workbench.screenshot('0-activation-language-status');
  });

  it('contributes "ECP Lens: Restart Server" and "ECP Lens: Show Output" to the command palette', async () => {
    const { workbench } = session();
    expect(await workbench.commandExists('ECP Lens: Restart Server')).toBe(true);
    expect(await workbench.commandExists('ECP Lens: Show Output')).toBe(true);
  });

  it('restarts the server and shows the ECP Lens output channel', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.runCommand('ECP Lens: Restart Server');
    await workbench.runCommand('ECP Lens: Show Output');
    const panel = page.locator('.part.panel');
    await step('the Output panel is visible', () => panel.locator('.output-view, .output').first().waitFor({ state: 'visible' }));
    await step('the Output panel shows the "ECP Lens" channel', async () => {
      await expect.poll(async () => {
        const selected = await panel.locator('select.monaco-select-box').evaluateAll((selects) =>
          selects.map((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '').join('|'));
        const title = (await panel.locator('.monaco-select-box, .action-item').allInnerTexts()).join('|');
        return `${selected}|${title}`;
      }, { timeout: 20_000 }).toContain('ECP Lens');
    });
    await step('the channel logs the restart', () =>
      panel.locator('.view-lines', { hasText: 'Restarting the ECP Lens server' }).first().waitFor({ state: 'visible' }));
    // The installed extension ships its index worker: indexing stays off the server's thread.
    await step('the workspace was read by the index worker', () =>
      panel.locator('.view-lines', { hasText: /files\sin\s\d+\sms\s\(read\sby\sthe\sindex\sworker\)/ }).first().waitFor({ state: 'visible' }));
    await workbench.screenshot('0-activation-output-channel');
  });
});
