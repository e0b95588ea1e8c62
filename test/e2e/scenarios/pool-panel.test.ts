/**
 * Scenario 4: the pool simulator opens on the function under the cursor; stepping changes the
 * figures; clicking a step moves the editor's cursor; injecting an allocation failure shows a
 * leak report. Runs once the command ecpLens.openPoolSimulator is contributed.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { counterFigures, openPoolSimulator, selectedStep } from '../pool';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-pool.c';

describe.skipIf(!features.pool)('scenario 4: pool simulator panel', () => {
  const session = useSession({ label: 'pool-panel' });

  it('opens on the function under the cursor and labels its figures as simulated', async () => {
    const { workbench } = session();
    const panel = await openPoolSimulator(workbench, FILE, 'PoolAttach');
    expect(await panel.locator('#steps .step').count()).toBeGreaterThan(2);
    await expect.poll(() => panel.locator('body').innerText()).toMatch(/simulated/i);
    await workbench.screenshot('4-pool-opened');
  });

  it('changes the figures when stepping', async () => {
    const { workbench } = session();
    const panel = workbench.webview();
    const first = panel.locator('#btn-first');
    if (await first.isEnabled()) await first.click();
    await expect.poll(() => selectedStep(panel)).toBe(0);
    const atFirst = await counterFigures(panel);
    await step('step forward until a figure changes', async () => {
      const count = await panel.locator('#steps .step').count();
      for (let i = 1; i < count; i++) {
        await panel.locator('#btn-forward').click();
        await expect.poll(() => selectedStep(panel)).toBe(i);
        if ((await counterFigures(panel)) !== atFirst) return;
      }
      throw new Error(`no counter changed over ${count} steps (figures: ${atFirst})`);
    });
    await workbench.screenshot('4-pool-stepped');
  });

  it('moves the editor cursor to the line of a clicked step', async () => {
    const { workbench } = session();
    const panel = workbench.webview();
    const target = workbench.positionOf(FILE, 'FltInsertExtraCreateParameter');
    await panel.locator('#steps .step', { hasText: 'FltInsertExtraCreateParameter' }).first().click();
    await step(`the cursor moves to line ${target.line}`, () =>
      workbench.page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: `Ln ${target.line},` }).waitFor());
    await workbench.screenshot('4-pool-step-reveals-line');
  });

  it('shows a leak report when allocation #2 fails', async () => {
    const { workbench } = session();
    const panel = workbench.webview();
    await expect(panel.locator('#verdict').getAttribute('class')).resolves.toMatch(/\bok\b/);
    await panel.locator('#fail-alloc').fill('2');
    await panel.locator('#run-sim').click();
    await step('the verdict turns bad and the leak table lists the ECP_LIST', async () => {
      await panel.locator('#verdict.bad').waitFor({ state: 'visible' });
      await panel.locator('#leaks tr', { hasText: 'ECP_LIST' }).first().waitFor({ state: 'visible' });
    });
    await panel.locator('#report-section').scrollIntoViewIfNeeded();
    await workbench.screenshot('4-pool-fault-leak-report');
  });

  it('says an allocation the path never attempts is never attempted, and shows no verdict for it', async () => {
    const { workbench } = session();
    const panel = workbench.webview();
    await panel.locator('#fail-alloc').fill('99');
    await panel.locator('#run-sim').click();
    await step('the form says allocation #99 is never attempted, with the count', () =>
      panel.locator('.form-msg.error', { hasText: /#99 is never attempted.*2 allocation attempts/ }).waitFor({ state: 'visible' }));
    await step('the banner at the top says so too, instead of the previous run\'s verdict', async () => {
      await panel.locator('#verdict.refused', { hasText: /#99 is never attempted/ }).waitFor({ state: 'visible' });
      expect(await panel.locator('#verdict.bad, #verdict.ok').count()).toBe(0);
    });
    await panel.locator('#verdict').scrollIntoViewIfNeeded();
    await workbench.screenshot('4-pool-fault-out-of-range');
  });
});
