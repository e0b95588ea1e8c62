import { describe, expect, it } from 'vitest';
import {
  bugCheckMarkdown,
  catalog,
  fieldMarkdown,
  flagMarkdown,
  guidMarkdown,
  lookupSymbol,
  parameterMarkdown,
  routine,
  routineMarkdown,
  statusMarkdown,
  typeMarkdown,
} from '../../../server/src/catalog';

const routines = [...catalog.routines.values()];

describe('routineMarkdown', () => {
  it.each(routines.map((r) => [r.name, r] as const))('%s: prototype, IRQL, every return code, link', (_, r) => {
    const md = routineMarkdown(r);
    expect(md).toContain('```c\n' + r.prototype + '\n```');
    expect(md).toContain('**IRQL:**');
    expect(md).toContain(r.irqlMax ?? 'undocumented');
    for (const c of r.returnCodes) expect(md).toContain('`' + c.status + '`');
    for (const p of r.params) expect(md).toContain('`' + p.name + '`');
    expect(md).toContain(r.minWindows);
    expect(md).toContain(r.ownership);
    if (r.docUrl) expect(md).toContain(`](${r.docUrl})`);
    else expect(md).toMatch(/Undocumented/);
    if (r.counterpart) expect(md).toContain('`' + r.counterpart + '`');
    for (const d of r.docErrors) expect(md).toContain(d.truth);
  });

  it('shows accepted flag constants on flag parameters', () => {
    const r = routine('FsRtlAllocateExtraCreateParameter')!;
    const md = parameterMarkdown(r, 2);
    expect(md).toContain('FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA');
    expect(md).toContain('FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL');
    expect(md).not.toContain('FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA');
    expect(parameterMarkdown(r, 99)).toBe('');
  });

  it('has a "wrong" section only where there are corrections', () => {
    expect(routineMarkdown(routine('FsRtlSetEcpListIntoIrp')!)).toMatch(/Where the official page is wrong/);
    expect(routineMarkdown(routine('FltFreeExtraCreateParameter')!)).not.toMatch(/Where the official page is wrong/);
  });
});

describe('other renderers', () => {
  it('renders a flag with hex and decimal values and the routines that accept its family', () => {
    const md = flagMarkdown(catalog.flags.get('FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL')!);
    expect(md).toContain('0x00000002');
    expect(md).toContain('(2 decimal)');
    for (const n of catalog.flagFamilies.get('FSRTL_ECP_LOOKASIDE_FLAGS')!.acceptedBy) expect(md).toContain(n);
    expect(md).toContain('FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL'); // same value, other family
  });

  it('renders a GUID with value, structure and usage', () => {
    const md = guidMarkdown(catalog.guids.get('GUID_ECP_PREFETCH_OPEN')!);
    expect(md).toContain('{e1777b21-847e-4837-aa45-64161d280655}');
    expect(md).toContain('PREFETCH_OPEN_ECP_CONTEXT');
    expect(md).toMatch(/Informational/);
    expect(guidMarkdown(catalog.guids.get('GUID_ECP_TYPE_VETO_BINDING')!)).toMatch(/value unknown/);
  });

  it('renders a type with its declaration and fields', () => {
    const t = catalog.types.get('IO_DRIVER_CREATE_CONTEXT')!;
    const md = typeMarkdown(t);
    expect(md).toContain(t.declaration);
    for (const f of t.fields) expect(md).toContain('`' + f.name + '`');
  });

  it('renders a status with its value, severity and the routines returning it', () => {
    const md = statusMarkdown(catalog.statuses.get('STATUS_NOT_FOUND')!);
    expect(md).toContain('0xC0000225');
    expect(md).toMatch(/error/);
    expect(md).toContain('FsRtlFindExtraCreateParameter');
    expect(statusMarkdown(catalog.statuses.get('STATUS_STOPPED_ON_SYMLINK')!)).toMatch(/warning[\s\S]*NT_SUCCESS: FALSE/);
  });

  it('renders bug check 0x10C with all parameters and subcodes', () => {
    const b = catalog.bugChecks.get('0x10C')!;
    const md = bugCheckMarkdown(b);
    expect(md).toContain('FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION');
    for (const s of [0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x11, 0x12, 0x13, 0x14, 0x15]) expect(md).toContain(`| 0x${s.toString(16).toUpperCase()} |`);
    expect(md).toContain(b.docUrl);
  });

  it('renders a field, and nothing for an unknown one', () => {
    expect(fieldMarkdown('IO_DRIVER_CREATE_CONTEXT', 'DeviceObjectHint')).toMatch(/FltCreateFileEx2/);
    expect(fieldMarkdown('IO_DRIVER_CREATE_CONTEXT', 'NoSuchField')).toBeUndefined();
  });
});

describe('bug checks', () => {
  it('keys bug checks by name and hex code', () => {
    const b = catalog.bugChecks.get('0x10C')!;
    expect(catalog.bugChecks.get('FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION')).toBe(b);
    expect(b.code).toBe(0x10c);
    expect(b.subcodes.map((s) => s.code)).toEqual([0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x11, 0x12, 0x13, 0x14, 0x15]);
    expect(b.parameters).toHaveLength(4);
    expect(b.docUrl).toBe('https://learn.microsoft.com/en-us/windows-hardware/drivers/debugger/bug-check-0x10c---fsrtl-extra-create-parameter-violation');
    expect(catalog.bugChecks.get('0xC4')!.subcodes.map((s) => s.code)).toContain(0x62);
    expect(catalog.bugChecks.get('KERNEL_SECURITY_CHECK_FAILURE')!.code).toBe(0x139);
  });
});

describe('lookupSymbol', () => {
  it.each([
    ['FltAllocateExtraCreateParameter', 'routine'],
    ['FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', 'flag'],
    ['GUID_ECP_NETWORK_OPEN_CONTEXT', 'guid'],
    ['GUID_ECP_WCIFS_REDIRECTION', 'guid'],
    ['PECP_LIST', 'type'],
    ['FSRTL_ALLOCATE_ECP_FLAGS', 'type'],
    ['STATUS_NOT_FOUND', 'status'],
    ['0x10C', 'bugcheck'],
    ['0x10c', 'bugcheck'],
    ['FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION', 'bugcheck'],
    ['IO_DRIVER_CREATE_CONTEXT.ExtraCreateParameter', 'field'],
    ['PIO_DRIVER_CREATE_CONTEXT->SiloContext', 'field'],
  ])('%s is a %s', (name, kind) => {
    expect(lookupSymbol(name)?.kind).toBe(kind);
  });

  it('returns undefined for unknown names', () => {
    expect(lookupSymbol('ExAllocatePool2')).toBeUndefined();
    expect(lookupSymbol('IO_DRIVER_CREATE_CONTEXT.Nope')).toBeUndefined();
    expect(lookupSymbol('0x999')).toBeUndefined();
  });
});
