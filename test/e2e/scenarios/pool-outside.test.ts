/**
 * Scenario 10: the pool command with the cursor outside any function asks which function to
 * simulate (a QuickPick of the file's ECP functions) instead of showing another function's trace;
 * fault injection by pool tag fails the allocation whichever byte order the tag is typed in.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { OPEN_POOL_SIMULATOR } from '../pool';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-pool.c';

describe.skipIf(!features.pool)('scenario 10: pool command outside a function, fault tags', () => {
  const session = useSession({ label: 'pool-outside' });

  it('offers the functions to pick, simulates the one picked, and fails a tag typed either way', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.quickOpen(FILE);
    await workbench.goTo(2, 1); // the #include line: no function here
    await workbench.findCommand(OPEN_POOL_SIMULATOR);
    await page.keyboard.press('Enter');
    const choice = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'PoolAttach' }).first();
    await step('a QuickPick lists the file\u2019s ECP functions', () => choice.waitFor({ state: 'visible', timeout: 30_000 }));
    await workbench.screenshot('10-pick-function');
    await choice.click();
    const panel = workbench.webview();
    await step('the panel simulates the function picked', async () => {
      await panel.locator('#function-name', { hasText: 'PoolAttach' }).waitFor({ state: 'visible', timeout: 30_000 });
      await panel.locator('#verdict.ok').waitFor({ state: 'visible' });
    });
    // The ECP's tag is written 'loPE' in the source; pool tools show it as "EPol".
    for (const tag of ['EPol', 'loPE']) {
      await panel.locator('#fail-tag').fill(tag);
      await panel.locator('#fail-tag').press('Enter');
      await step(`failing tag ${tag} fails the ECP allocation and the list leaks`, () => panel.locator('#verdict.bad').waitFor({ state: 'visible', timeout: 30_000 }));
      await workbench.screenshot(`10-fail-tag-${tag}`);
      await panel.locator('#fail-tag').fill('');
      await panel.locator('#fail-tag').press('Enter');
      await panel.locator('#verdict.ok').waitFor({ state: 'visible', timeout: 30_000 });
    }
    expect(await panel.locator('#function-name').innerText()).toContain('PoolAttach');
  });
});
