/** Helpers for the pool simulator panel (a webview: its DOM is two iframes deep). */
import type { FrameLocator } from 'playwright-core';
import { step, type Workbench } from './workbench';

export const OPEN_POOL_SIMULATOR = 'ECP Lens: Open Pool Simulator';

/** Puts the cursor inside `functionName` of `file`, runs the command and waits for the steps. */
export async function openPoolSimulator(workbench: Workbench, file: string, functionName: string): Promise<FrameLocator> {
  await workbench.quickOpen(file);
  const { line } = workbench.positionOf(file, functionName);
  await workbench.goTo(line + 2, 5);
  await workbench.runCommand(OPEN_POOL_SIMULATOR);
  const panel = workbench.webview();
  await step(`the pool simulator shows the trace of ${functionName}`, async () => {
    await panel.locator('#function-name', { hasText: functionName }).waitFor({ state: 'visible', timeout: 30_000 });
    await panel.locator('#steps .step').first().waitFor({ state: 'visible' });
  });
  return panel;
}

/** The text of every counter tile, e.g. "paged=0|nonpaged=96|...". */
export async function counterFigures(panel: FrameLocator): Promise<string> {
  const values = await panel.locator('#counters [data-counter]').evaluateAll((nodes) =>
    nodes.map((n) => `${n.getAttribute('data-counter')}=${n.textContent}`));
  return values.join('|');
}

export async function selectedStep(panel: FrameLocator): Promise<number> {
  return Number(await panel.locator('#steps .step[aria-selected="true"]').first().getAttribute('data-index'));
}
