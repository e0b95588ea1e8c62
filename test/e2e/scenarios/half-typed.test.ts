/**
 * Scenario 15: typing as a developer does. Half-way through `if (x {` inside a function the
 * Problems panel keeps what it showed (no leak "returns at the end of the file"); once the line
 * is whole again the problems are the same as before. The status hover says it is ready once.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'attach-ecp-mistakes.c';

describe.skipIf(!features.diagnostics)('scenario 15: half-typed code', () => {
  const session = useSession({ label: 'half-typed' });

  async function problemRows(): Promise<string[]> {
    const { workbench } = session();
    const rows = workbench.page.locator('.markers-panel .monaco-list-row');
    return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => /ecp-/.test(t)).sort();
  }

  it('keeps the problems while a condition is half-typed, and is back to them when the line is undone', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.quickOpen(FILE);
    await workbench.waitForProblems(/ecp-list-leak/);
    await expect.poll(() => workbench.problemCounts(), { timeout: 30_000 }).toEqual({ errors: 5, warnings: 1 });
    const before = await problemRows();

    const at = workbench.positionOf(FILE, 'tagEcp->Reason = 0;');
    await workbench.goTo(at.line, 1);
    await page.keyboard.press('Home');
    // As typed with auto-closing off: the brace opens a body that nothing closes.
    await page.keyboard.insertText('if (x {');
    // Three debounce periods and an analysis: what the user sees while the line is half-typed.
    await page.waitForTimeout(2_500);
    await workbench.screenshot('15-half-typed');
    const during = await problemRows();
    await step('no new problem while half-typed: no new rule, no higher count', async () => {
      const codes = (rows: string[]) => new Set(rows.flatMap((r) => r.match(/ecp-[a-z-]+(?=\))/g) ?? []));
      expect([...codes(during)].filter((c) => !codes(before).has(c))).toEqual([]);
      const counts = await workbench.problemCounts();
      expect(counts.errors).toBeLessThanOrEqual(5);
      expect(counts.warnings).toBeLessThanOrEqual(1);
      expect(during.filter((r) => /returns at line (2\d\d|1\d\d\d)/.test(r))).toEqual([]);
    });
    await page.keyboard.press('Control+Z');
    await page.waitForTimeout(2_000);
    await step('undone: the same problems as before', async () => {
      await expect.poll(() => workbench.problemCounts(), { timeout: 20_000 }).toEqual({ errors: 5, warnings: 1 });
    });
  });
});
