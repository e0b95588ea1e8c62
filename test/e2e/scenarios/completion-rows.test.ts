/**
 * Scenario 14: what the suggest widget lists, as a developer sees it. At a statement, typing
 * `ecp-` lists each snippet prefix once, each with its own description; inside a call's
 * argument list no snippet is offered; an argument that is only spaces is the Flags argument.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'completion-rows.c';
const TEXT = `/* ECP Lens e2e: completion rows. */
#include <fltKernel.h>

NTSTATUS RowsTarget(PFLT_FILTER Filter, PECP_LIST *List)
{
    NTSTATUS status;
    // statement here

    status = FltAllocateExtraCreateParameterList(Filter,    , List); /* spaces */
    status = FltAllocateExtraCreateParameterList(Filter, ecp, List); /* typed */
    return status;
}
`;

describe.skipIf(!features.snippets)('scenario 14: completion rows', () => {
  const session = useSession({ label: 'completion-rows', files: { [FILE]: TEXT } });

  async function suggestions(): Promise<string[]> {
    const { workbench } = session();
    const page = workbench.page;
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await step('the suggest widget opens', () => rows.first().waitFor({ state: 'visible', timeout: 15_000 }));
    // Let the server's entries merge with the static ones before reading.
    await page.waitForTimeout(600);
    const labels = (await page.locator('.suggest-widget .monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
    return labels;
  }

  it('lists each snippet prefix once at a statement, and none inside an argument list', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.quickOpen(FILE);
    await expect.poll(() => workbench.languageStatusText('ECP Lens'), { timeout: 30_000 }).toMatch(/ready/i);

    const statement = workbench.positionOf(FILE, '// statement here');
    await workbench.goTo(statement.line + 1, 1);
    await page.keyboard.press('Enter');
    await page.keyboard.type('ecp-');
    const atStatement = await suggestions();
    await workbench.screenshot('14-statement-snippets');
    console.log(`[e2e] at a statement after "ecp-": ${atStatement.length} rows: ${atStatement.join(', ')}`);
    await step('each prefix once', async () => {
      const snippets = atStatement.filter((l) => l.startsWith('ecp-'));
      expect(snippets.length).toBeGreaterThanOrEqual(3);
      expect(new Set(snippets).size).toBe(snippets.length);
    });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+Z');

    const spaces = workbench.positionOf(FILE, 'List); /* spaces */');
    await workbench.goTo(spaces.line, spaces.column - 3);
    const inSpaces = await suggestions();
    await workbench.screenshot('14-flags-in-spaces');
    console.log(`[e2e] in a spaces-only argument: ${inSpaces.length} rows: ${inSpaces.slice(0, 12).join(', ')}`);
    await step('the spaces-only argument is the Flags argument', async () => {
      expect(inSpaces[0]).toMatch(/^(0|FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA)$/);
      expect(inSpaces).toContain('FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA');
      expect(inSpaces.filter((l) => /^ecp-/.test(l))).toEqual([]);
      expect(inSpaces.filter((l) => /^Flt[A-Z]/.test(l))).toEqual([]);
    });
    await page.keyboard.press('Escape');

    const typed = workbench.positionOf(FILE, 'List); /* typed */');
    await workbench.goTo(typed.line, typed.column - 2);
    const inTyped = await suggestions();
    console.log(`[e2e] after "ecp" inside an argument: ${inTyped.length} rows: ${inTyped.slice(0, 12).join(', ')}`);
    await step('no snippet inside the argument list', async () => {
      expect(inTyped.filter((l) => /^ecp-/.test(l))).toEqual([]);
    });
    await page.keyboard.press('Escape');
  });
});
