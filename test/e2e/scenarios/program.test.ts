/**
 * Scenario 17: a driver split over files, as the editor shows it. `program/open.c` calls the
 * wrappers of `program/wrap.c`, which free through a macro of a header in an include folder
 * outside the workspace (named by the workspace's compile_commands.json). With everything right
 * the caller is clean; each change elsewhere — the wrapper rewritten on disk, the wrapper typed in
 * an editor, the outside header rewritten on disk — re-publishes the caller's diagnostics without
 * the caller being touched, and the leak's related locations lead into the wrapper's file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { OPEN_POOL_SIMULATOR } from '../pool';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();

const header = (frees: boolean) =>
  `/* Shared by the driver's modules; lives outside the workspace. */\n#pragma once\n#include <fltKernel.h>\nextern PFLT_FILTER gNotesFilter;\n` +
  (frees ? '#define NOTES_FREE(l) FltFreeExtraCreateParameterList(gNotesFilter, (l))\n' : '#define NOTES_FREE(l) ((void)(l))\n');

const WRAP = `/* The notes module: its callers see only its functions. */
#include <notes.h>

PFLT_FILTER gNotesFilter;

NTSTATUS
NotesMake(_Out_ PECP_LIST *List)
{
    return FltAllocateExtraCreateParameterList(gNotesFilter, 0, List);
}

VOID
NotesDrop(_In_ PECP_LIST List)
{
    NOTES_FREE(List);
}
`;

const OPEN = `/* Opens with a notes list, through the wrappers of wrap.c. */
#include <notes.h>

NTSTATUS NotesMake(_Out_ PECP_LIST *List);
VOID NotesDrop(_In_ PECP_LIST List);

NTSTATUS
NotesOpen(VOID)
{
    PECP_LIST list = NULL;
    NTSTATUS status = NotesMake(&list);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    NotesDrop(list);
    return STATUS_SUCCESS;
}
`;

const DB = [
  { directory: '.', file: 'program/open.c', arguments: ['cl.exe', '/kernel', '/I../outside-inc', '/c', 'program/open.c'] },
  { directory: '.', file: 'program/wrap.c', arguments: ['cl.exe', '/kernel', '/I../outside-inc', '/c', 'program/wrap.c'] },
];

describe.skipIf(!features.diagnostics)('scenario 17: a driver split over files', () => {
  const session = useSession({
    label: 'program',
    // The debounce the user has by default would only slow the waits down; the index works the same.
    settings: { 'ecpLens.diagnosticsDelay': 100 },
    files: {
      'compile_commands.json': JSON.stringify(DB, null, 2),
      'program/open.c': OPEN,
      'program/wrap.c': WRAP,
      // Outside the workspace folder: only the compile database leads to it.
      '../outside-inc/notes.h': header(true),
    },
  });

  it('re-publishes the caller when the wrapper or the outside header changes, and leads into the wrapper', async () => {
    const { workbench, server } = session();
    const page = workbench.page;
    const wrapPath = path.join(server.workspace, 'program/wrap.c');
    const headerPath = path.join(server.workspace, '../outside-inc/notes.h');
    const leakRow = /neither freed nor handed off.*ecp-list-leak|ecp-list-leak.*neither freed/;

    await workbench.quickOpen('open.c');
    await step('the index is built and the caller is clean', async () => {
      await expect.poll(() => workbench.languageStatusText(), { timeout: 30_000 }).toMatch(/indexed/i);
      await expect.poll(() => workbench.problemCounts(), { timeout: 30_000 }).toEqual({ errors: 0, warnings: 0 });
    });

    // 1. The wrapper rewritten on disk (a git checkout, another editor): its drop no longer frees.
    fs.writeFileSync(wrapPath, WRAP.replace('    NOTES_FREE(List);', '    DbgPrint("dropping %p\\n", List);'));
    const rows = await workbench.waitForProblems(leakRow);
    await step('the leak leads into the wrapper file: a related location in wrap.c', async () => {
      // Related information is listed under the problem, each row naming its file and line.
      await expect.poll(async () => (await rows.allInnerTexts()).join('\n'), { timeout: 15_000 }).toMatch(/wrap\.c/);
      const texts = (await rows.allInnerTexts()).join('\n');
      expect(texts).toMatch(/allocated here/);
    });
    await workbench.screenshot('17-program-wrapper-on-disk');
    await step('clicking the related location opens the wrapper file at the allocation', async () => {
      await rows.filter({ hasText: /wrap\.c.*allocated here/ }).first().click();
      await page.locator('.tab.active', { hasText: 'wrap.c' }).waitFor({ state: 'visible' });
      await expect.poll(() => page.locator('.statusbar-item[id="status.editor.selection"]').innerText()).toMatch(/Ln 9,/);
    });
    fs.writeFileSync(wrapPath, WRAP);
    await step('the wrapper put back on disk: the caller is clean again', async () => {
      await expect.poll(() => workbench.problemCounts(), { timeout: 30_000 }).toEqual({ errors: 0, warnings: 0 });
    });

    // 2. The header outside the workspace rewritten on disk: its macro no longer frees.
    fs.writeFileSync(headerPath, header(false));
    await step('the outside header changed on disk: the caller leaks', async () => {
      await expect.poll(() => workbench.problemCounts(), { timeout: 30_000 }).toEqual({ errors: 1, warnings: 0 });
    });
    await workbench.waitForProblems(leakRow);
    fs.writeFileSync(headerPath, header(true));
    await step('the outside header put back: the caller is clean again', async () => {
      await expect.poll(() => workbench.problemCounts(), { timeout: 30_000 }).toEqual({ errors: 0, warnings: 0 });
    });

    // 3. The wrapper typed in an editor, unsaved: the caller follows the buffer.
    await workbench.quickOpen('wrap.c');
    await workbench.goTo(15, 5);
    await step('comment out the free in the wrapper buffer', async () => {
      await page.keyboard.type('// ');
    });
    await step('the wrapper edited in its editor: the caller leaks without being touched', async () => {
      await expect.poll(() => workbench.problemCounts(), { timeout: 30_000 }).toEqual({ errors: 1, warnings: 0 });
    });
    await workbench.waitForProblems(/open\.c/);
    await workbench.screenshot('17-program-wrapper-typed');
  });
  it('the pool simulator steps into the wrapper: its step names wrap.c, and clicking it opens wrap.c at that line', async () => {
    const { workbench } = session();
    const page = workbench.page;
    // open.c is open in a tab since the first test: back to it (Quick Open can race its row filter).
    await step('back to the caller\'s tab', async () => {
      await page.locator('.tab', { hasText: 'open.c' }).first().click();
      await page.locator('.editor-group-container.active .tab.active', { hasText: 'open.c' }).waitFor({ state: 'visible' });
    });
    const { line } = workbench.positionOf('program/open.c', 'NotesOpen');
    await workbench.goTo(line + 3, 5);
    await workbench.runCommand(OPEN_POOL_SIMULATOR);
    const panel = workbench.webview();
    const allocation = panel.locator('#steps .step', { hasText: 'FltAllocateExtraCreateParameterList' }).first();
    await step('the trace of NotesOpen lists the wrapper\'s allocation with its file', async () => {
      await panel.locator('#function-name', { hasText: 'NotesOpen' }).waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => allocation.innerText(), { timeout: 15_000 }).toMatch(/wrap\.c/);
    });
    await allocation.click();
    await step('clicking the step opens wrap.c at the allocation (line 9)', async () => {
      await page.locator('.tab.active', { hasText: 'wrap.c' }).waitFor({ state: 'visible' });
      await page.locator('.statusbar-item[id="status.editor.selection"]', { hasText: 'Ln 9,' }).waitFor();
    });
    await workbench.screenshot('13-program-pool-step-in-wrapper');
  });
});
