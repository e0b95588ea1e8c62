/**
 * Every quick fix (preferred or not) on every positive rule fixture is applied and the file
 * re-analysed: the finding it fixes is gone and no finding appears that was not there before.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { analyzeParsed, type Finding } from '../../../server/src/analysis';
import { applyFix } from './applyFix';
import { withLineEndings } from '../../lineEndings';

const dir = path.join(__dirname, '../../fixtures/rules');
const positives = fs.readdirSync(dir).filter((n) => /-pos-/.test(n));

/** Rules that must offer a real fix on each of their positive fixtures. */
const MECHANICAL = ['ecp-flag-family', 'ecp-double-free', 'ecp-free-inserted', 'ecp-unchecked-status', 'ecp-create-context', 'ecp-wrong-free', 'ecp-api-family-mix', 'ecp-null-list', 'ecp-lookaside-flags', 'ecp-empty-list', 'ecp-free-null'];

beforeAll(async () => {
  await initParser();
});

function analyse(source: string): Finding[] {
  const parsed = parseText(source);
  try {
    return analyzeParsed(parsed, source).findings;
  } finally {
    parsed.tree.delete();
  }
}

const key = (f: Finding) => `${f.code}:${f.functionName}`;

describe('quick fixes fix', () => {
  for (const name of positives) {
    it(name, () => {
      const source = fs.readFileSync(path.join(dir, name), 'utf8');
      const before = analyse(source);
      for (const finding of before) {
        const preferred = finding.fixes.filter((f) => f.preferred);
        expect(preferred.length, `${finding.code}: at most one preferred fix`).toBeLessThanOrEqual(1);
        const suppressions = finding.fixes.filter((f) => /^Ignore /.test(f.title));
        expect(suppressions.every((s) => !s.preferred), 'a suppression is never preferred').toBe(true);
        expect(finding.fixes.slice(-suppressions.length)).toEqual(suppressions);
        // ecp-free-null's guard is mechanical for a free, and for another routine called as a plain
        // statement; an insert whose status is used or a test in a return has no safe rewrite.
        const guardable = finding.code !== 'ecp-free-null' || /^\w+Free/.test(finding.message) || /^\s*\w+\([^;]*\);/.test(source.split('\n')[finding.range.start.line]);
        if ((MECHANICAL.includes(finding.code) && guardable) || (finding.code === 'ecp-context-leak' && /failed insert/.test(finding.message))) {
          expect(preferred, `${name}: ${finding.code} has a real fix`).toHaveLength(1);
        }
        if (preferred[0]) expect(finding.fixes[0]).toBe(preferred[0]);
        // Every real fix, preferred or not, is applied and the file analysed again.
        for (const fix of finding.fixes.filter((f) => !suppressions.includes(f))) {
          const fixed = applyFix(source, fix);
          const after = analyse(fixed);
          const remaining = after.filter((f) => key(f) === key(finding));
          const beforeSame = before.filter((f) => key(f) === key(finding));
          expect(remaining.length, `${fix.title} removes the ${finding.code}\n${fixed}`).toBe(beforeSame.length - 1);
          const known = new Set(before.map(key));
          expect(after.filter((f) => !known.has(key(f))).map((f) => `${f.code}@${f.range.start.line + 1}: ${f.message}`), `${fix.title}\n${fixed}`).toEqual([]);
        }
      }
    });
  }
});

describe('double-free and unchecked-status fixes in detail', () => {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const only = (source: string, code: string) => analyse(source).filter((f) => f.code === code);
  const newOnes = (before: Finding[], after: Finding[]) => after.filter((f) => !before.some((b) => key(b) === key(f))).map((f) => f.code);

  it('a double free in one block: removing the second free is preferred, clearing after the first comes next; both fix', () => {
    const source = read('ecp-double-free-pos-freed-twice-in-sequence.c');
    const before = analyse(source);
    const [finding] = before.filter((f) => f.code === 'ecp-double-free');
    expect(finding.fixes.map((f) => [f.title, f.preferred === true])).toEqual([
      ['Remove the second free of tagEcp', true],
      ['Set tagEcp to NULL after the first free and free it again only when not NULL', false],
      ['Ignore ecp-double-free on this line', false],
      ['Ignore ecp-double-free in this file', false],
    ]);
    // Clearing alone leaves `tagEcp = NULL; FltFreeExtraCreateParameter(..., tagEcp)`: a NULL free.
    const clearedOnly = applyFix(source, { ...finding.fixes[1], edits: finding.fixes[1].edits.slice(0, 1) });
    expect(only(clearedOnly, 'ecp-free-null').map((f) => f.range.start.line)).toEqual([clearedOnly.split('\n').findIndex((l) => /expect: ecp-double-free/.test(l))]);
    expect(applyFix(source, finding.fixes[1])).toMatch(/if \(tagEcp != NULL\) \{\n\s+FltFreeExtraCreateParameter\(gFilterHandle, tagEcp\);\n\s+\}/);
    const removed = applyFix(source, finding.fixes[0]);
    expect(removed.split('\n').filter((l) => /FltFreeExtraCreateParameter\(/.test(l))).toHaveLength(1);
    expect(removed.split('\n')).toHaveLength(source.split('\n').length - 1);
    for (const fix of finding.fixes.slice(0, 2)) {
      const after = analyse(applyFix(source, fix));
      expect(only(applyFix(source, fix), 'ecp-double-free'), fix.title).toEqual([]);
      expect(newOnes(before, after), fix.title).toEqual([]);
    }
  });

  it('a conditional first free that every path follows with the second: the first goes (clearing must also guard the second)', () => {
    const source = read('ecp-double-free-pos-list-freed-twice-when-flag.c');
    const [finding] = only(source, 'ecp-double-free');
    expect(finding.fixes.map((f) => [f.title, f.preferred === true]).slice(0, 2)).toEqual([
      ['Remove the first free of ecpList (line 58 frees it on every path)', true],
      ['Set ecpList to NULL after the first free and free it again only when not NULL', false],
    ]);
    const fixed = applyFix(source, finding.fixes[0]);
    expect(fixed).not.toMatch(/CONTOSO_OPEN_RELEASE_ECPS_EARLY\)\)/);
    expect(fixed.split('\n').filter((l) => /FltFreeExtraCreateParameterList\(gFilterHandle, ecpList\); \/\/ expect/.test(l))).toHaveLength(1);
  });

  it('a second free that is another path\'s cleanup is not removed: only the pointer is cleared', () => {
    for (const name of ['ecp-double-free-pos-context-freed-twice.c', 'ecp-double-free-pos-list-freed-twice-when-flag.c']) {
      const [finding] = only(read(name), 'ecp-double-free');
      expect(finding.fixes.some((f) => /^Remove the second free/.test(f.title)), name).toBe(false);
      expect(finding.fixes[0].preferred, name).toBe(true);
    }
  });

  it('the status check goes right after the call that failed, not after a free in an earlier error branch', () => {
    const source = read('ecp-unchecked-status-pos-error-branch-free-between.c');
    const [finding] = only(source, 'ecp-unchecked-status');
    const fix = finding.fixes[0];
    expect(fix.title).toBe('Check the status of FltAllocateExtraCreateParameter before using its result');
    const lines = source.split('\n');
    const allocEnd = lines.findIndex((l) => l.includes('(PVOID *)&tagEcp);'));
    expect(fix.edits).toHaveLength(1);
    expect(fix.edits[0].range.start.line).toBe(allocEnd);
    const fixed = applyFix(source, fix).split('\n');
    expect(fixed.slice(allocEnd + 1, allocEnd + 4).map((l) => l.trim())).toEqual(['if (!NT_SUCCESS(status)) {', 'return status;', '}']);
    expect(fixed[allocEnd + 4].trim()).toMatch(/^listStatus = FltAllocateExtraCreateParameterList/);
  });

  it('a function with no NTSTATUS local: an NTSTATUS function gets one to return, the others test the call in place', () => {
    const source = read('ecp-unchecked-status-pos-no-status-local.c');
    const before = only(source, 'ecp-unchecked-status');
    expect(before.map((f) => f.functionName)).toEqual(['ContosoPreCreate', 'ContosoTagList', 'ContosoAcknowledgeTag']);
    const texts = before.map((f) => f.fixes[0].edits.map((e) => e.newText.replace(/\s+/g, ' ').trim()));
    expect(texts[0]).toEqual(['if (!NT_SUCCESS(FltFindExtraCreateParameter(FltObjects->Filter, ecpList, &GUID_ECP_CONTOSO_TAG, &tagEcp, NULL))) { return FLT_PREOP_SUCCESS_NO_CALLBACK; }']);
    expect(texts[1]).toEqual(['NTSTATUS status;', expect.stringMatching(/^status = FltAllocateExtraCreateParameter\(/), 'if (!NT_SUCCESS(status)) { return status; }']);
    expect(texts[2]).toEqual(['if (!NT_SUCCESS(FltFindExtraCreateParameter(Filter, EcpList, &GUID_ECP_CONTOSO_TAG, &tagEcp, NULL))) { return; }']);
    // The call spanning two lines is quoted with the file's own line ends, never doubled.
    for (const style of ['crlf', 'cr'] as const) {
      const eol = style === 'crlf' ? '\r\n' : '\r';
      const other = only(withLineEndings(source, style), 'ecp-unchecked-status');
      expect(other.map((f) => f.fixes[0].edits.map((e) => e.newText)), style).toEqual(before.map((f) => f.fixes[0].edits.map((e) => e.newText.replace(/\n/g, eol))));
    }
    const declared = applyFix(source, before[1].fixes[0]).split('\n');
    expect(declared[declared.findIndex((l) => l.includes('PULONG tag = NULL;')) + 1]).toBe('    NTSTATUS status;');
  });
});

describe('empty-list fix', () => {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const emptyList = (source: string) => analyse(source).find((f) => f.code === 'ecp-empty-list')!;

  it('with no insert into the list in the function, the attachment goes', () => {
    const source = read('ecp-empty-list-pos-no-ecp-inserted.c');
    const fix = emptyList(source).fixes[0];
    expect(fix.title).toBe('Leave ecpList off the create: nothing is ever inserted into it');
    const fixed = applyFix(source, fix);
    expect(fixed).not.toMatch(/ExtraCreateParameter =/);
    expect(fixed.split('\n')).toHaveLength(source.split('\n').length - 1);
  });

  it('with inserts, a flag set where an insert succeeded guards the attachment', () => {
    for (const [name, set] of [
      ['ecp-empty-list-pos-insert-only-when-option.c', ['ecpInserted = TRUE;']],
      ['ecp-empty-list-pos-best-effort-allocation.c', ['if (NT_SUCCESS(status)) {', 'ecpInserted = TRUE;', '}']],
    ] as const) {
      const source = read(name);
      const fix = emptyList(source).fixes[0];
      expect(fix.title, name).toBe('Attach ecpList only when an ECP was inserted into it');
      const lines = applyFix(source, fix).split('\n').map((l) => l.trim());
      expect(lines.filter((l) => l === 'BOOLEAN ecpInserted = FALSE;'), name).toHaveLength(1);
      const insert = lines.findIndex((l) => l.startsWith('status = FltInsertExtraCreateParameter('));
      const after = lines.slice(insert + 1);
      const at = after.findIndex((l) => l === set[0]);
      expect(after.slice(at, at + set.length), name).toEqual(set);
      const attach = lines.indexOf('driverContext.ExtraCreateParameter = ecpList;');
      expect(lines.slice(attach - 1, attach + 2), name).toEqual(['if (ecpInserted) {', 'driverContext.ExtraCreateParameter = ecpList;', '}']);
    }
  });

  it('a list handed to a helper of the driver that may fill it gets no fix', () => {
    const helper = [
      'static VOID',
      'ContosoMaybeTag(_In_ PECP_LIST EcpList, _In_ ULONG Options)',
      '{',
      '    PVOID tagEcp = NULL;',
      '',
      '    if (!FlagOn(Options, CONTOSO_OPEN_TAG_REQUEST)) {',
      '        return;',
      '    }',
      "    if (!NT_SUCCESS(FltAllocateExtraCreateParameter(gFilterHandle, &GUID_ECP_CONTOSO_TAG, sizeof(ULONG), 0, NULL, 'pcEx', &tagEcp))) {",
      '        return;',
      '    }',
      '    if (!NT_SUCCESS(FltInsertExtraCreateParameter(gFilterHandle, EcpList, tagEcp))) {',
      '        FltFreeExtraCreateParameter(gFilterHandle, tagEcp);',
      '    }',
      '}',
      '',
      '',
    ].join('\n');
    const source = read('ecp-empty-list-pos-no-ecp-inserted.c')
      .replace('NTSTATUS\nContosoOpen(', `${helper}NTSTATUS\nContosoOpen(`)
      .replace('    UNREFERENCED_PARAMETER(Options);\n', '')
      .replace('    IoInitializeDriverCreateContext(&driverContext);', '    ContosoMaybeTag(ecpList, Options);\n    IoInitializeDriverCreateContext(&driverContext);');
    const finding = emptyList(source);
    expect(finding.functionName).toBe('ContosoOpen');
    expect(finding.fixes.map((f) => f.title)).toEqual(['Ignore ecp-empty-list on this line', 'Ignore ecp-empty-list in this file']);
  });
});

describe('free-inserted fixes', () => {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const freeInserted = (source: string) => analyse(source).find((f) => f.code === 'ecp-free-inserted')!;
  const realFixes = (f: Finding) => f.fixes.filter((x) => !/^Ignore /.test(x.title)).map((x) => x.title);

  it('the list free follows: the free of the context goes (clearing the pointer would free NULL)', () => {
    const source = read('ecp-free-inserted-pos-freed-before-list-free.c');
    const finding = freeInserted(source);
    expect(realFixes(finding)).toEqual(['Remove this free: freeing ecpList frees tagEcp']);
    const fixed = applyFix(source, finding.fixes[0]);
    expect(fixed.split('\n').filter((l) => /FltFreeExtraCreateParameter\(/.test(l)).map((l) => l.trim())).toEqual(['FltFreeExtraCreateParameter(gFilterHandle, tagEcp);']);
  });

  it('no list free follows: the context is removed from the list, then freed', () => {
    const source = read('ecp-free-inserted-pos-freed-before-handoff.c');
    const finding = freeInserted(source);
    expect(realFixes(finding)).toEqual(['Remove tagEcp from ecpList, then free it']);
    const lines = applyFix(source, finding.fixes[0]).split('\n').map((l) => l.trim());
    const at = lines.lastIndexOf('FltFreeExtraCreateParameter(gFilterHandle, tagEcp);');
    expect(lines.slice(at - 1, at + 2)).toEqual([
      'if (NT_SUCCESS(FltRemoveExtraCreateParameter(gFilterHandle, ecpList, &GUID_ECP_CONTOSO_TAG, &tagEcp, NULL))) {',
      'FltFreeExtraCreateParameter(gFilterHandle, tagEcp);',
      '} // expect: ecp-free-inserted',
    ]);
  });

  it('a free behind a NULL test in shared cleanup: the pointer is cleared once the list owns it', () => {
    const finding = freeInserted(read('ecp-free-inserted-pos-cleanup-frees-linked-context.c'));
    expect(realFixes(finding)).toEqual(['Set tagEcp to NULL once the list owns it']);
  });
});

describe('wrong-free of a context still in a list', () => {
  const source = fs.readFileSync(path.join(dir, 'ecp-wrong-free-pos-exfreepool-on-listed-context.c'), 'utf8');
  const wrongFree = (text: string) => analyse(text).find((f) => f.code === 'ecp-wrong-free')!;

  it('the list free follows: the ExFreePool call goes (its own free routine would free a linked ECP)', () => {
    const fix = wrongFree(source).fixes[0];
    expect(fix.title).toBe('Remove this free: freeing ecpList frees hint');
    const fixed = applyFix(source, fix);
    expect(fixed).not.toMatch(/ExFreePoolWithTag\(/);
    expect(fixed.split('\n')).toHaveLength(source.split('\n').length - 1);
    expect(analyse(fixed)).toEqual([]);
  });

  it('no list free follows: the context is removed from the list, then freed with its own routine', () => {
    const handedOut = source
      .replace('    _Out_ PHANDLE FileHandle\n', '    _Out_ PHANDLE FileHandle,\n    _Out_ PECP_LIST *Hints\n')
      .replace("    ExFreePoolWithTag(hint, 'hFbK'); // expect: ecp-wrong-free\n    FsRtlFreeExtraCreateParameterList(ecpList);", "    ExFreePoolWithTag(hint, 'hFbK');\n    *Hints = ecpList;");
    const finding = wrongFree(handedOut);
    expect(finding.fixes[0].title).toBe('Remove hint from ecpList, then free it');
    const fixed = applyFix(handedOut, finding.fixes[0]);
    const lines = fixed.split('\n').map((l) => l.trim());
    const at = lines.indexOf('*Hints = ecpList;');
    expect(lines.slice(at - 3, at)).toEqual(['if (NT_SUCCESS(FsRtlRemoveExtraCreateParameter(ecpList, &GUID_ECP_FABRIKAM_HINT, &hint, NULL))) {', 'FsRtlFreeExtraCreateParameter(hint);', '}']);
    expect(analyse(fixed).map((f) => f.code)).toEqual([]);
  });
});

describe('ecp-foreign-list-free: removing the free, only where that leaks nothing', () => {
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  const only = (source: string, code: string) => analyse(source).filter((f) => f.code === code);

  it('a free of the create\'s list or of a context found in it is removed, preferred; the file re-checks clean', () => {
    for (const [name, pointer] of [['ecp-foreign-list-free-pos-callback-data-list.c', 'ecpList'], ['ecp-foreign-list-free-pos-free-found-context.c', 'tagEcp']]) {
      const source = read(name);
      const [finding] = only(source, 'ecp-foreign-list-free');
      expect(finding.fixes[0], name).toMatchObject({ title: `Remove this free: ${pointer} belongs to the create, whose completion frees it`, preferred: true });
      const fixed = applyFix(source, finding.fixes[0]);
      expect(fixed.split('\n'), name).toHaveLength(source.split('\n').length - 1);
      expect(analyse(fixed), name).toEqual([]);
    }
  });

  it('a free that also runs after a failed set is not removed (that would leak the list): it runs only when the set failed', () => {
    const source = read('ecp-foreign-list-free-pos-free-after-set-success.c');
    const [finding] = only(source, 'ecp-foreign-list-free');
    expect(finding.fixes.map((f) => [f.title, f.preferred === true])).toEqual([
      ['Free ecpList only when FltSetEcpListIntoCallbackData failed', true],
      ['Ignore ecp-foreign-list-free on this line', false],
      ['Ignore ecp-foreign-list-free in this file', false],
    ]);
    const fixed = applyFix(source, finding.fixes[0]);
    expect(fixed).toMatch(/if \(!NT_SUCCESS\(status\)\) \{\n\s+FltFreeExtraCreateParameterList\(FltObjects->Filter, ecpList\);\n\s+\}/);
    expect(analyse(fixed)).toEqual([]);
  });
});
