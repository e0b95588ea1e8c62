/**
 * Scenario 12: a VS Code task that runs the CLI with the contributed `$ecp-lens` problem matcher
 * fills the Problems panel, for a file that is not open (so the rows can only come from the task's
 * output, not from the language server).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const TARGET = 'task-target.c';

const TASKS = {
  version: '2.0.0',
  tasks: [{ label: 'ecp-lens check', type: 'process', command: process.execPath, args: [CLI, 'check', TARGET], options: { cwd: '${workspaceFolder}' }, problemMatcher: ['$ecp-lens'], group: { kind: 'build', isDefault: true } }],
};

describe.skipIf(!features.diagnostics)('scenario 12: a task with the $ecp-lens problem matcher', () => {
  // A copy of the mistakes example under a name no scenario opens, and the task that checks it.
  const target = fs.readFileSync(path.resolve(__dirname, '../../../examples/attach-ecp-mistakes.c'), 'utf8');
  const session = useSession({ label: 'problem-matcher', files: { [TARGET]: target, '.vscode/tasks.json': JSON.stringify(TASKS, null, 2) } });

  it('fills the Problems panel from the CLI output of a task', async () => {
    const { workbench } = session();
    const page = workbench.page;
    // A clean file first: the workbench is up and its command palette complete.
    await workbench.quickOpen('e2e-scratch.c');
    // The default build task runs without a picker.
    await workbench.runCommand('Tasks: Run Build Task');
    await step('the task ran and the Problems tab counts what it matched', async () => {
      // The task's terminal draws on a canvas: the status bar's counts say the output was matched.
      await expect.poll(() => workbench.problemCounts(), { timeout: 30_000 }).toEqual({ errors: 5, warnings: 1 });
      await page.locator('.part.panel .action-label', { hasText: /^Problems/i }).first().click();
    });
    const rows = await workbench.waitForProblems(/ecp-list-leak/);
    await step('the rows belong to the file the task checked, with the CLI\'s line and rule codes', async () => {
      const texts = await rows.allInnerTexts();
      expect(texts.some((t) => t.includes(TARGET))).toBe(true);
      expect(texts.some((t) => /neither freed nor handed off/.test(t) && /ecp-list-leak/.test(t))).toBe(true);
      expect(texts.some((t) => /\[Ln 29, Col 14\]/.test(t))).toBe(true);
    });
    // The file was never opened: the language server published nothing for it.
    expect(await page.locator('.tab', { hasText: TARGET }).count()).toBe(0);
    await workbench.screenshot('12-problem-matcher');
  });
});
