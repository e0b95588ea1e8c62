/**
 * Scenario 2: hover documentation for a routine, a flag and a system ECP GUID, and signature help
 * inside a call. Runs once the server advertises hoverProvider and signatureHelpProvider.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-hover.c';

describe.skipIf(!features.hover)('scenario 2: hover and signature help', () => {
  const session = useSession({ label: 'hover' });

  it('documents FltAllocateExtraCreateParameter on hover', async () => {
    const { workbench } = session();
    await workbench.quickOpen(FILE);
    await expect.poll(() => workbench.languageStatusText('ECP Lens'), { timeout: 30_000 }).toMatch(/ready/i);
    const text = await workbench.hoverWord(FILE, 'FltAllocateExtraCreateParameter', /FltAllocateExtraCreateParameter/);
    expect(text).toMatch(/IRQL|PASSIVE_LEVEL|APC_LEVEL/);
    expect(text).toMatch(/EcpType|ContextSize|PoolTag/);
    await workbench.screenshot('2-hover-routine');
  });

  it('documents an ECP flag on hover', async () => {
    const { workbench } = session();
    const text = await workbench.hoverWord(FILE, 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', /FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL/);
    expect(text).toMatch(/non-?paged/i);
    await workbench.screenshot('2-hover-flag');
  });

  it('documents a system ECP GUID on hover', async () => {
    const { workbench } = session();
    const text = await workbench.hoverWord(FILE, 'GUID_ECP_NETWORK_OPEN_CONTEXT', /GUID_ECP_NETWORK_OPEN_CONTEXT/);
    expect(text).toMatch(/NETWORK_OPEN_ECP_CONTEXT|network/i);
    await workbench.screenshot('2-hover-guid');
  });

  it('shows signature help inside a call', async () => {
    const { workbench } = session();
    const page = workbench.page;
    const name = 'FltAllocateExtraCreateParameter';
    const { line, column } = workbench.positionOf(FILE, name);
    await workbench.goTo(line, column + name.length + 1);
    await page.keyboard.press('Control+Shift+Space');
    const hints = page.locator('.parameter-hints-widget');
    await step('the parameter hints widget shows the routine signature', () =>
      hints.filter({ hasText: /Filter/ }).first().waitFor({ state: 'visible' }));
    expect(await hints.first().innerText()).toMatch(/EcpType|ContextSize/);
    await workbench.screenshot('2-signature-help');
    await page.keyboard.press('Escape');
  });
});
