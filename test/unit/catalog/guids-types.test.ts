import { describe, expect, it } from 'vitest';
import { catalog, guidList, lookupField, typeList } from '../../../server/src/catalog';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LEARN = /^https:\/\/learn\.microsoft\.com\/en-us\/windows-hardware\/drivers\/[\w/.-]+$/;

/** Every GUID named in facts §3 with its value (null where the facts give none). */
const FACTS_3: Record<string, string | null> = {
  GUID_ECP_NETWORK_OPEN_CONTEXT: 'c584edbf-00df-4d28-b884-35baca8911e8',
  GUID_ECP_NETWORK_APP_INSTANCE: '6aa6bc45-a7ef-4af7-9008-fa462e144d74',
  GUID_ECP_NETWORK_APP_INSTANCE_VERSION: 'b7d082b9-563b-4f07-a07b-524a8116a010',
  GUID_ECP_PREFETCH_OPEN: 'e1777b21-847e-4837-aa45-64161d280655',
  GUID_ECP_NFS_OPEN: 'f326d30c-e5f8-4fe7-ab74-f5a3196d92db',
  GUID_ECP_SRV_OPEN: 'bebfaebc-aabf-489d-9d2c-e9e361102853',
  GUID_ECP_OPLOCK_KEY: '48850596-3050-4be7-9863-fec350ce8d7f',
  GUID_ECP_DUAL_OPLOCK_KEY: '41621a14-b08b-4df1-b676-a05ffdf01bea',
  GUID_ECP_RKF_BYPASS: '02378cc6-f73c-489c-8282-564d1a99131b',
  GUID_ECP_IO_DEVICE_HINT: 'f315b732-ac6b-4d4d-be0c-b3126490e1a3',
  GUID_ECP_CSV_DOWN_LEVEL_OPEN: '4248be44-647f-488f-8be5-a08aaf70f028',
  GUID_ECP_CSV_QUERY_FILE_REVISION: '44aec90b-de65-4d46-8fbf-763f9d970b1d',
  GUID_ECP_CSV_QUERY_FILE_REVISION_FILE_ID_128: '7a3a4aa1-aa74-4bc6-b070-ab56a38c1fed',
  GUID_ECP_CSV_SET_HANDLE_PROPERTIES: '7a9fdd94-7b58-42bb-9740-3cb86983a615',
  ECP_TYPE_OPEN_REPARSE_GUID: '323eb6a8-affd-4d95-8230-863bce09d37a',
  ECP_TYPE_IO_STOP_ON_SYMLINK_FILTER_GUID: '940e5d56-1646-4d3c-87b6-577ec36a1466',
  ECP_TYPE_CLFS_CREATE_CONTAINER: '8650c9fe-0cec-8bf6-bd1e-835956541090',
  GUID_ECP_CREATE_REDIRECTION: '188d6bd6-a126-4fa8-bdf2-1ccdf896f3e0',
  GUID_ECP_ATOMIC_CREATE: '4720bd83-52ac-4104-a130-d1ec6a8cc8e5',
  GUID_ECP_OPEN_PARAMETERS: 'cd0a93c3-3bb7-463d-accb-969d3435a5a5',
  GUID_ECP_QUERY_ON_CREATE: '1aca62e9-abb4-4ff2-bb5c-1c79025e417f',
  GUID_ECP_CLOUDFILES_ATTRIBUTION: '2932ff52-8378-4fc1-8edb-6bdc8f602709',
  GUID_ECP_TYPE_VETO_BINDING: null,
  GUID_ECP_FLT_CREATEFILE_TARGET: 'ce08041d-f411-447f-b70d-ccee45c23fac',
  GUID_ECP_CREATE_USER_PROCESS: 'e0e429ff-6ddc-4e65-aab6-45d05a038a08',
  IopSymlinkECPGuid: '73d5118a-88ba-439f-92f4-46d38952d250',
  GUID_ECP_FILTER_DEVICE_TYPE: null,
};

describe('GUIDs', () => {
  it.each(Object.entries(FACTS_3))('%s has the facts value', (name, value) => {
    expect(catalog.guids.get(name)?.value).toBe(value);
  });

  it.each(guidList.map((g) => [g.name, g] as const))('%s: well-formed value or a reason; valid links and structure', (_, g) => {
    if (g.value === null) expect(g.valueNote?.length ?? 0).toBeGreaterThan(10);
    else expect(g.value).toMatch(GUID_RE);
    if (g.docUrl !== null) expect(g.docUrl).toMatch(LEARN);
    if (g.structure !== null) expect(catalog.types.has(g.structure), g.structure).toBe(true);
    expect(g.rules.length).toBeGreaterThan(0);
  });

  it('has unique values and resolves the WCIFS alias', () => {
    const values = guidList.map((g) => g.value).filter((v): v is string => v !== null);
    expect(new Set(values).size).toBe(values.length);
    expect(catalog.guids.get('GUID_ECP_WCIFS_REDIRECTION')).toBe(catalog.guids.get('GUID_ECP_CREATE_REDIRECTION'));
  });

  it('classifies informational and query ECPs as the facts do', () => {
    expect(catalog.guids.get('GUID_ECP_PREFETCH_OPEN')!.usage).toBe('informational');
    expect(catalog.guids.get('GUID_ECP_SRV_OPEN')!.usage).toBe('informational');
    expect(catalog.guids.get('GUID_ECP_CSV_QUERY_FILE_REVISION')!.usage).toBe('query');
    expect(catalog.guids.get('GUID_ECP_FLT_CREATEFILE_TARGET')!.usage).toBe('query');
    expect(catalog.guids.get('GUID_ECP_QUERY_ON_CREATE')!.usage).toBe('internal');
  });
});

describe('types', () => {
  it('keys the map by every name and alias', () => {
    for (const t of typeList) for (const key of [t.name, ...t.aliases]) expect(catalog.types.get(key), key).toBe(t);
    expect(catalog.types.get('PECP_LIST')!.name).toBe('ECP_LIST');
    expect(catalog.types.get('PIO_DRIVER_CREATE_CONTEXT')!.name).toBe('IO_DRIVER_CREATE_CONTEXT');
    expect(catalog.types.get('WCIFS_REDIRECTION_ECP_CONTEXT')!.name).toBe('CREATE_REDIRECTION_ECP_CONTEXT');
  });

  it('covers the types the brief lists', () => {
    for (const n of [
      'ECP_LIST', 'ECP_HEADER', 'IO_DRIVER_CREATE_CONTEXT', 'PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK',
      'FSRTL_ALLOCATE_ECPLIST_FLAGS', 'FSRTL_ALLOCATE_ECP_FLAGS', 'FSRTL_ECP_LOOKASIDE_FLAGS', 'IO_USE_AMBIENT_SILO',
      'IRP_CREATE_OPERATION', 'FLT_CREATEFILE_TARGET_ECP_CONTEXT', 'OPEN_REPARSE_LIST', 'OPEN_REPARSE_LIST_ENTRY',
    ]) {
      expect(catalog.types.has(n), n).toBe(true);
    }
  });

  it('describes IO_DRIVER_CREATE_CONTEXT field by field, in header order', () => {
    const t = catalog.types.get('IO_DRIVER_CREATE_CONTEXT')!;
    expect(t.fields.map((f) => f.name)).toEqual(['Size', 'ExtraCreateParameter', 'DeviceObjectHint', 'TxnParameters', 'SiloContext']);
    expect(t.fields[0].type).toBe('CSHORT');
    expect(t.docUrl).toBe('https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ntddk/ns-ntddk-_io_driver_create_context');
    for (const f of t.fields) expect(t.declaration).toContain(f.name);
    expect(lookupField('PIO_DRIVER_CREATE_CONTEXT', 'ExtraCreateParameter')!.field.doc).toMatch(/0x15/);
  });

  it.each(typeList.map((t) => [t.name, t] as const))('%s: declaration names every field and links are valid', (_, t) => {
    for (const f of t.fields) expect(t.declaration, f.name).toContain(f.name.split('.').pop()!.replace('[3]', ''));
    if (t.docUrl !== null) expect(t.docUrl).toMatch(LEARN);
  });

  it('records the macro values from the headers', () => {
    expect(catalog.types.get('IRP_CREATE_OPERATION')!.declaration).toMatch(/0x00000080/);
    expect(catalog.types.get('IO_USE_AMBIENT_SILO')!.declaration).toMatch(/\(\(PESILO\)1\)/);
  });
});
