/**
 * Scenario 7: the extension works in an untrusted workspace. A second code-server instance runs
 * with workspace trust enabled; the folder is opened in Restricted Mode by answering the trust
 * prompt with "No", and the extension must still activate.
 */
import { describe, expect, it } from 'vitest';
import { useSession } from '../session';
import { step } from '../workbench';

describe('scenario 7: untrusted workspace (Restricted Mode)', () => {
  const session = useSession({ label: 'untrusted', workspaceTrust: true, trustPrompt: 'restricted' });

  it('activates on a C file in Restricted Mode', async () => {
    const { workbench } = session();
    await step('the workbench is in Restricted Mode', () =>
      workbench.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible' }));
    await workbench.quickOpen('e2e-scratch.c');
    await expect.poll(() => workbench.languageStatusText('ECP Lens'), { timeout: 30_000 }).toMatch(/ready/i);
    await workbench.page.locator('.statusbar-item[id*="status.languageStatus"]').first().hover();
    await workbench.screenshot('7-untrusted-restricted-mode');
  });
});
