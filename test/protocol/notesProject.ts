/** A file that frees its list through a header's macro: editing the macro makes the list leak. */
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';

export const NOTES_FREES = '#define NOTES_RELEASE(f, l) FltFreeExtraCreateParameterList((f), (l))';
export const NOTES_KEEPS = '#define NOTES_RELEASE(f, l) UNREFERENCED_PARAMETER(l)';

/** The header; line 3 (0-based 2) is the macro. */
export const notesHeader = (macro: string = NOTES_FREES): string => `#pragma once\n#include <fltKernel.h>\n${macro}\n`;

/** The including file, `include` being how it names the header. */
export const notesUser = (include = '"notes.h"'): string =>
  [
    `#include ${include}`,
    '',
    'VOID',
    'NotesScratch(_In_ PFLT_FILTER Filter)',
    '{',
    '    PECP_LIST list = NULL;',
    '    if (NT_SUCCESS(FltAllocateExtraCreateParameterList(Filter, 0, &list))) {',
    '        NOTES_RELEASE(Filter, list);',
    '    }',
    '}',
    '',
  ].join('\n');

export const leaks = (p: PublishDiagnosticsParams): number => p.diagnostics.filter((d) => d.code === 'ecp-list-leak').length;
