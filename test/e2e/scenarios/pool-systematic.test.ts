/**
 * Scenario 16: systematic fault injection from the panel, as a developer runs it on the example
 * with the leak: the banner at the top says how many fault paths leak and which allocation, in
 * words that agree with the table, with singular and plural right.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { openPoolSimulator } from '../pool';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'attach-ecp-mistakes.c';

describe.skipIf(!features.pool)('scenario 16: fail each allocation site from the panel', () => {
  const session = useSession({ label: 'pool-systematic' });

  it('names the leaking fault path in the banner, as the table lists it', async () => {
    const { workbench } = session();
    const panel = await openPoolSimulator(workbench, FILE, 'ContosoOpenLeaky');
    await panel.locator('#systematic').check();
    await panel.locator('#run-sim').click();
    const verdict = panel.locator('#verdict');
    await step('the banner gives the systematic verdict', () =>
      expect.poll(async () => verdict.innerText(), { timeout: 20_000 }).toMatch(/fault path/));
    await workbench.screenshot('16-pool-systematic');
    const text = (await verdict.innerText()).replace(/\s+/g, ' ');
    console.log(`[e2e] systematic banner: ${text}`);
    await step('1 of 2 fault paths leaks, failing allocation #2 at line 33', async () => {
      expect(text).toMatch(/1 of 2 fault paths leaks/);
      expect(text).toMatch(/#2/);
      expect(text).not.toMatch(/\b1 (paths|steps|allocations|leaks)\b/);
    });
  });
});
