import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser, parseText, syntaxErrors } from '../../../server/src/parsing/parser';
import {
  SNIPPET_PLACEMENT,
  expandSnippet,
  parseSnippet,
  snippetSources,
  wrapSnippet,
  type SnippetNode,
} from '../../../server/src/features/snippetExpand';

const root = path.join(__dirname, '../../..');
interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}
const snippets: Record<string, Snippet> = JSON.parse(fs.readFileSync(path.join(root, 'snippets/ecp.json'), 'utf8'));
const entries = Object.entries(snippets);
const byPrefix = (prefix: string): [string, Snippet] => {
  const hit = entries.find(([, s]) => s.prefix === prefix);
  if (!hit) throw new Error(`no snippet with prefix ${prefix}`);
  return hit;
};
const expansionOf = (prefix: string) => expandSnippet(byPrefix(prefix)[1].body);
const rawBody = (s: Snippet) => s.body.join('\n');

/** Cursor stops that may stay bare tabstops besides $0 (none today). */
const CURSOR_STOPS = new Set<number>();

const SEVEN_STEP = ['ecp-attach-flt', 'ecp-attach-flt-return', 'ecp-attach-fsrtl', 'ecp-attach-fsrtl-return', 'ecp-attach-flt-lookaside'];
const RETURN_STYLE = ['ecp-attach-flt-return', 'ecp-attach-fsrtl-return'];
const GOTO_STYLE = ['ecp-attach-flt', 'ecp-attach-fsrtl', 'ecp-attach-flt-lookaside'];

const LIST_FLAGS = ['0', 'FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA'];
const ECP_FLAGS = ['0', 'FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL', 'FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA'];
const LOOKASIDE_FLAGS = ['0', 'FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL'];

/** Argument texts of every call to `name` (exact name) in `text`, split at top-level commas. */
function callsOf(text: string, name: string): string[][] {
  const calls: string[][] = [];
  const re = new RegExp(`\\b${name}\\(`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const args: string[] = [];
    let depth = 0;
    let current = '';
    for (let i = m.index + m[0].length; i < text.length; i++) {
      const c = text[i];
      if (c === '(') depth++;
      if (c === ')' && depth-- === 0) break;
      if (c === ',' && depth === 0 && !insideChoice(current)) {
        args.push(current.trim());
        current = '';
      } else {
        current += c;
      }
    }
    args.push(current.trim());
    calls.push(args);
  }
  return calls;
}

/** True while `text` has opened a `${n|` choice that has not been closed by `|}`. */
function insideChoice(text: string): boolean {
  return /\$\{\d+\|(?:(?!\|\}).)*$/s.test(text);
}

function walk(nodes: SnippetNode[], visit: (node: SnippetNode) => void): void {
  for (const node of nodes) {
    visit(node);
    if (node.kind !== 'text' && node.children) walk(node.children, visit);
  }
}

function tabstops(body: string[]): Extract<SnippetNode, { kind: 'tabstop' }>[] {
  const found: Extract<SnippetNode, { kind: 'tabstop' }>[] = [];
  walk(parseSnippet(body), (n) => {
    if (n.kind === 'tabstop') found.push(n);
  });
  return found;
}

beforeAll(async () => {
  await initParser();
});

describe('snippet file', () => {
  it('is served by the language server only, not contributed as static snippets', () => {
    // A contributed copy appeared beside the server's context-aware entry (each prefix twice) and
    // inside call arguments, where the server offers none.
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(manifest.contributes.snippets).toBeUndefined();
  });

  it('records a placement for every snippet and no other', () => {
    expect(Object.keys(SNIPPET_PLACEMENT).sort()).toEqual(Object.keys(snippets).sort());
  });

  it('has unique prefixes that start with ecp-, and a description for each snippet', () => {
    const prefixes = entries.map(([, s]) => s.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const [name, s] of entries) {
      expect(s.prefix, name).toMatch(/^ecp-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(s.description.length, name).toBeGreaterThan(40);
      expect(Array.isArray(s.body) && s.body.length > 3, name).toBe(true);
    }
  });

  it('documents every prefix in snippets/README.md', () => {
    const readme = fs.readFileSync(path.join(root, 'snippets/README.md'), 'utf8');
    for (const [, s] of entries) expect(readme).toContain(`\`${s.prefix}\``);
  });
});

describe.each(entries)('%s', (name, snippet) => {
  const expanded = expandSnippet(snippet.body);

  it('expands into a realistic source file that parses without syntax errors', () => {
    const source = wrapSnippet(name, expanded);
    const parsed = parseText(source);
    try {
      const errors = syntaxErrors(parsed.tree).map((n) => `${n.startPosition.row + 1}: ${source.split('\n')[n.startPosition.row]}`);
      expect(errors).toEqual([]);
    } finally {
      parsed.tree.delete();
    }
    expect(source).toContain('#include <fltKernel.h>');
  });

  it('leaves no snippet syntax in the expansion', () => {
    expect(expanded).not.toMatch(/\$\{|\$[0-9]|\$[A-Z_]{2,}/);
  });

  it('gives every placeholder a non-empty default', () => {
    const stops = tabstops(snippet.body);
    const withDefault = new Set(stops.filter((t) => t.choices || t.children.length > 0).map((t) => t.index));
    const seen = new Set<number>();
    for (const t of stops) {
      if (t.choices) {
        expect(t.choices.length, `choice $${t.index}`).toBeGreaterThanOrEqual(2);
        expect(t.choices.every((c) => c.trim() !== '')).toBe(true);
      } else if (t.children.length > 0) {
        expect(expandSnippet(renderChildren(t.children)).trim(), `$${t.index}`).not.toBe('');
      } else if (t.index !== 0 && !CURSOR_STOPS.has(t.index)) {
        // A bare $n is a mirror: the placeholder's default appears at its first occurrence.
        expect(withDefault.has(t.index), `bare $${t.index} mirrors nothing`).toBe(true);
        expect(seen.has(t.index), `$${t.index} is used before the placeholder that gives its default`).toBe(true);
      }
      seen.add(t.index);
    }
    expect(stops.filter((t) => t.index === 0)).toHaveLength(1);
  });

  it('gives each placeholder index a single default', () => {
    const defaults = new Map<number, string>();
    for (const t of tabstops(snippet.body)) {
      if (!t.choices && t.children.length === 0) continue;
      const value = t.choices ? t.choices.join('|') : JSON.stringify(t.children);
      if (defaults.has(t.index)) expect(value, `$${t.index}`).toBe(defaults.get(t.index));
      defaults.set(t.index, value);
    }
  });

  it('uses only the flag family each routine takes, for every choice', () => {
    for (const text of [rawBody(snippet), expanded]) {
      for (const routine of ['FltAllocateExtraCreateParameterList', 'FsRtlAllocateExtraCreateParameterList']) {
        for (const args of callsOf(text, routine)) expect(args.join(','), routine).not.toMatch(/FSRTL_ALLOCATE_ECP_FLAG|FSRTL_ECP_LOOKASIDE/);
      }
      for (const routine of [
        'FltAllocateExtraCreateParameter',
        'FsRtlAllocateExtraCreateParameter',
        'FltAllocateExtraCreateParameterFromLookasideList',
        'FsRtlAllocateExtraCreateParameterFromLookasideList',
      ]) {
        for (const args of callsOf(text, routine)) expect(args.join(','), routine).not.toMatch(/ECPLIST|LOOKASIDE_FLAG/);
      }
      for (const routine of ['FltInitExtraCreateParameterLookasideList', 'FltDeleteExtraCreateParameterLookasideList']) {
        for (const args of callsOf(text, routine)) expect(args.join(','), routine).not.toMatch(/FSRTL_ALLOCATE_/);
      }
    }
  });

  it('offers flag choices from exactly one family', () => {
    for (const t of tabstops(snippet.body).filter((s) => s.choices)) {
      const options = t.choices!;
      const family = [LIST_FLAGS, ECP_FLAGS, LOOKASIDE_FLAGS].find((f) => options.every((o) => f.includes(o)));
      expect(family, options.join('|')).toBeDefined();
      expect(options[0]).toBe('0');
    }
  });

  it('keeps to one routine family', () => {
    const calls = [...expanded.matchAll(/\b(Flt|FsRtl)\w*(ExtraCreateParameter|Ecp)\w*\(/g)].map((m) => m[1]);
    expect(new Set(calls).size).toBeLessThanOrEqual(1);
  });

  it('tags every pool allocation with a real tag', () => {
    const tagged = [
      ...callsOf(expanded, 'FltAllocateExtraCreateParameter').map((a) => a[5]),
      ...callsOf(expanded, 'FsRtlAllocateExtraCreateParameter').map((a) => a[4]),
      ...callsOf(expanded, 'FltInitExtraCreateParameterLookasideList').map((a) => a[4]),
    ];
    for (const tag of tagged) {
      expect(tag).toMatch(/^'[\x21-\x7e][\x20-\x7e]{3}'$/);
      expect(["'none'", "'None'", "' kdD'", "'Ddk '"]).not.toContain(tag);
    }
  });

  it('zeroes every ECP context it allocates before inserting it', () => {
    const alloc = expanded.search(/\b(Flt|FsRtl)AllocateExtraCreateParameter(FromLookasideList)?\(/);
    if (alloc < 0) return;
    const zero = expanded.indexOf('RtlZeroMemory(ecpContext, sizeof(CONTOSO_ECP_CONTEXT));');
    const insert = expanded.search(/\b(Flt|FsRtl)InsertExtraCreateParameter\(/);
    expect(zero).toBeGreaterThan(alloc);
    expect(insert).toBeGreaterThan(zero);
  });

  it('frees the ECP itself when the insert fails', () => {
    const inserts = [...expanded.matchAll(/\b(Flt|FsRtl)InsertExtraCreateParameter\([^;]*\);/g)];
    for (const m of inserts) {
      const after = expanded.slice(m.index! + m[0].length);
      expect(after).toMatch(/^\s*if \(!NT_SUCCESS\(status\)\) \{\s*(\/\*[^*]*\*\/\s*)?(Flt|FsRtl)FreeExtraCreateParameter\([^;]*ecpContext\);/);
    }
  });
});

describe('seven-step snippets', () => {
  const steps: [string, RegExp][] = [
    ['list allocation', /\b(Flt|FsRtl)AllocateExtraCreateParameterList\(/],
    ['ECP allocation', /\b(Flt|FsRtl)AllocateExtraCreateParameter(FromLookasideList)?\(/],
    ['insert', /\b(Flt|FsRtl)InsertExtraCreateParameter\(/],
    ['IoInitializeDriverCreateContext', /\bIoInitializeDriverCreateContext\(/],
    ['ExtraCreateParameter', /\.ExtraCreateParameter = ecpList;/],
    ['create', /\b(FltCreateFileEx2|IoCreateFileEx)\(/],
  ];

  it.each(SEVEN_STEP)('%s calls the seven routines in order', (prefix) => {
    const text = expansionOf(prefix);
    const positions = steps.map(([, re]) => text.search(re));
    positions.forEach((p, i) => expect(p, steps[i][0]).toBeGreaterThanOrEqual(0));
    for (let i = 1; i < positions.length; i++) expect(positions[i], steps[i][0]).toBeGreaterThan(positions[i - 1]);
    const lastFree = Math.max(text.lastIndexOf('FltFreeExtraCreateParameterList('), text.lastIndexOf('FsRtlFreeExtraCreateParameterList('));
    expect(lastFree).toBeGreaterThan(positions[positions.length - 1]);
  });

  it.each(SEVEN_STEP)('%s uses the create routine of its family', (prefix) => {
    const text = expansionOf(prefix);
    if (prefix.includes('fsrtl')) {
      expect(callsOf(text, 'IoCreateFileEx')).toHaveLength(1);
      expect(callsOf(text, 'IoCreateFileEx')[0]).toHaveLength(15);
      expect(callsOf(text, 'IoCreateFileEx')[0].slice(11)).toEqual(['CreateFileTypeNone', 'NULL', 'IO_NO_PARAMETER_CHECKING', '&driverContext']);
      expect(text).not.toContain('FltCreateFileEx2');
    } else {
      expect(callsOf(text, 'FltCreateFileEx2')).toHaveLength(1);
      expect(callsOf(text, 'FltCreateFileEx2')[0]).toHaveLength(16);
      expect(callsOf(text, 'FltCreateFileEx2')[0][15]).toBe('&driverContext');
      expect(text).not.toContain('IoCreateFileEx');
    }
  });

  it.each(SEVEN_STEP)('%s frees the list on every path that follows its allocation', (prefix) => {
    const lines = expansionOf(prefix).split('\n');
    const indent = (l: string) => /^\t*/.exec(l)![0].length;
    const alloc = lines.findIndex((l) => /AllocateExtraCreateParameterList\(/.test(l));
    const firstReturnOrGoto = lines.findIndex((l, i) => i > alloc && /\b(return|goto)\b/.test(l));
    lines.forEach((line, i) => {
      if (i <= firstReturnOrGoto || !/\breturn\b/.test(line)) return;
      let freed = false;
      for (let j = i - 1; j > alloc && !freed; j--) {
        if (/FreeExtraCreateParameterList\(/.test(lines[j])) freed = true;
        else if (/\breturn\b/.test(lines[j]) && indent(lines[j]) <= indent(line)) break;
      }
      expect(freed, `line ${i + 1}: ${line.trim()}`).toBe(true);
    });
  });

  it.each(GOTO_STYLE)('%s leaves every failure through Cleanup, which frees a list it has', (prefix) => {
    const text = expansionOf(prefix);
    expect(text.match(/\breturn\b/g)).toHaveLength(1);
    expect(text.match(/goto Cleanup;/g)!.length).toBe(4);
    expect(text).toMatch(/\nCleanup:\n(\/\*[^*]*\*\/\n)?if \(ecpList != NULL\) \{\n\t(Flt|FsRtl)FreeExtraCreateParameterList\([^;]*ecpList\);\n\}\nreturn status;$/);
  });

  it.each(RETURN_STYLE)('%s has no label and returns the status of each failing step', (prefix) => {
    const text = expansionOf(prefix);
    expect(text).not.toMatch(/goto|Cleanup:/);
    expect(text.match(/return status;/g)!.length).toBe(5);
  });
});

describe('lookaside snippets', () => {
  const [, lookaside] = byPrefix('ecp-lookaside-flt');

  it('deletes with the same flags it initialised with, for each choice', () => {
    const init = callsOf(rawBody(lookaside), 'FltInitExtraCreateParameterLookasideList')[0];
    const del = callsOf(rawBody(lookaside), 'FltDeleteExtraCreateParameterLookasideList')[0];
    const index = /^\$\{(\d+)\|/.exec(init[2])![1];
    expect(del[2]).toBe(`$${index}`);
    for (const option of LOOKASIDE_FLAGS) {
      // What the editor inserts once the user picks `option` in the choice.
      const chosen = lookaside.body.map((l) => l.replace(`\${${index}|0,FSRTL_ECP_LOOKASIDE_FLAG_NONPAGED_POOL|}`, `\${${index}:${option}}`));
      expect(chosen).not.toEqual(lookaside.body);
      const text = expandSnippet(chosen);
      expect(callsOf(text, 'FltInitExtraCreateParameterLookasideList')[0][2]).toBe(option);
      expect(callsOf(text, 'FltDeleteExtraCreateParameterLookasideList')[0][2]).toBe(option);
      expect(callsOf(text, 'FltInitExtraCreateParameterLookasideList')[0][1]).toBe(callsOf(text, 'FltDeleteExtraCreateParameterLookasideList')[0][1]);
    }
  });

  it('expands at file scope with a head that fits either pool type', () => {
    expect(SNIPPET_PLACEMENT['ECP: lookaside list (FltMgr globals, init and delete)'].scope).toBe('file');
    const text = expansionOf('ecp-lookaside-flt');
    expect(text).toMatch(/union \{\n\tPAGED_LOOKASIDE_LIST Paged;\n\tNPAGED_LOOKASIDE_LIST NonPaged;\n\} gContosoEcpLookaside;/);
    expect(callsOf(text, 'FltInitExtraCreateParameterLookasideList')[0][3]).toBe('sizeof(CONTOSO_ECP_CONTEXT)');
  });

  it('allocates from that lookaside list in the seven-step variant', () => {
    const text = expansionOf('ecp-attach-flt-lookaside');
    const [args] = callsOf(text, 'FltAllocateExtraCreateParameterFromLookasideList');
    expect(args).toHaveLength(7);
    expect(args[5]).toBe('&gContosoEcpLookaside');
    expect(wrapSnippet('ECP: attach to a new create (FltMgr, ECP from a lookaside list)', text)).toContain('FltDeleteExtraCreateParameterLookasideList(');
  });
});

describe('attaching to a create in flight', () => {
  it.each([
    ['ecp-precreate-attach-flt', 'FltGetEcpListFromCallbackData', 'FltSetEcpListIntoCallbackData', 'Flt'],
    ['ecp-precreate-attach-fsrtl', 'FsRtlGetEcpListFromIrp', 'FsRtlSetEcpListIntoIrp', 'FsRtl'],
  ])('%s frees the list only when attaching it fails and the ECP only when the insert fails', (prefix, get, set, family) => {
    const text = expansionOf(prefix);
    const order = [get, `${family}AllocateExtraCreateParameterList`, set, `${family}AllocateExtraCreateParameter(`, `${family}InsertExtraCreateParameter`];
    const positions = order.map((s) => text.indexOf(s));
    positions.forEach((p, i) => expect(p, order[i]).toBeGreaterThanOrEqual(0));
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
    expect(text).toMatch(new RegExp(`${get}\\([^;]*\\);\\nif \\(NT_SUCCESS\\(status\\) && ecpList == NULL\\) \\{`));
    expect(text.match(new RegExp(`${family}FreeExtraCreateParameterList\\(`, 'g'))).toHaveLength(1);
    expect(text).toMatch(new RegExp(`${set}\\([^;]*\\);\\n\\t+if \\(!NT_SUCCESS\\(status\\)\\) \\{\\n[^}]*${family}FreeExtraCreateParameterList\\(`));
    expect(text.match(new RegExp(`${family}FreeExtraCreateParameter\\(`, 'g'))).toHaveLength(1);
    expect(text).toMatch(/if \(NT_SUCCESS\(status\) && ecpList != NULL\) \{/);
    expect(text).not.toMatch(/IoCreateFileEx|FltCreateFileEx2|ExtraCreateParameter =/);
  });
});

describe('finding an ECP', () => {
  it.each([
    ['ecp-find-flt', 'FltGetEcpListFromCallbackData', 'Flt'],
    ['ecp-find-fsrtl', 'FsRtlGetEcpListFromIrp', 'FsRtl'],
  ])('%s checks the list, the size and the origin before acknowledging', (prefix, get, family) => {
    const text = expansionOf(prefix);
    const order = [get, 'ecpList != NULL', `${family}FindExtraCreateParameter(`, 'ecpContextSize >= sizeof(CONTOSO_ECP_CONTEXT)', `!${family}IsEcpFromUserMode(`, `${family}AcknowledgeEcp(`];
    const positions = order.map((s) => text.indexOf(s));
    positions.forEach((p, i) => expect(p, order[i]).toBeGreaterThanOrEqual(0));
    for (let i = 1; i < positions.length; i++) expect(positions[i], order[i]).toBeGreaterThan(positions[i - 1]);
    expect(text).not.toMatch(/Free|Remove/);
  });
});

describe('removing an ECP', () => {
  it.each([
    ['ecp-remove-flt', 'Flt'],
    ['ecp-remove-fsrtl', 'FsRtl'],
  ])('%s frees what it removed, only when the remove succeeded', (prefix, family) => {
    const text = expansionOf(prefix);
    expect(text).toMatch(
      new RegExp(`status = ${family}RemoveExtraCreateParameter\\([^;]*\\(PVOID \\*\\)&removedEcp, NULL\\);\\nif \\(NT_SUCCESS\\(status\\)\\) \\{\\n[^}]*${family}FreeExtraCreateParameter\\([^;]*removedEcp\\);\\n\\}`),
    );
  });
});

describe('new ECP type and cleanup callback', () => {
  const signature = /\nVOID\n(\w+)\(\n\t_Inout_ PVOID EcpContext,\n\t_In_ LPCGUID EcpType\n\t\)\n\{\n([^}]*)\}/;

  it.each(['ecp-type', 'ecp-cleanup-callback'])('%s declares the callback with the exact signature and never frees the context', (prefix) => {
    const text = expansionOf(prefix);
    const m = signature.exec(text);
    expect(m, text).not.toBeNull();
    expect(m![1]).toBe('ContosoEcpCleanup');
    expect(m![2]).not.toMatch(/Free|ExFreePool/);
    expect(SNIPPET_PLACEMENT[byPrefix(prefix)[0]].scope).toBe('file');
  });

  it('defines a well-formed GUID, fresh for each expansion', () => {
    const guid = /DEFINE_GUID\(GUID_ECP_CONTOSO,\s*(0x[0-9a-f]{8}), (0x[0-9a-f]{4}), (0x[0-9a-f]{4}),((?: 0x[0-9a-f]{2},){7} 0x[0-9a-f]{2})\);/;
    const first = guid.exec(expansionOf('ecp-type'));
    const second = guid.exec(expansionOf('ecp-type'));
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(first![0]).not.toBe(second![0]);
    expect(first![0]).not.toMatch(/0x00000000, 0x0000, 0x0000/);
    const fixed = expandSnippet(byPrefix('ecp-type')[1].body, { UUID: '78b959b3-c3f8-44ac-9c90-69b5e41d92a0' });
    expect(fixed).toContain('DEFINE_GUID(GUID_ECP_CONTOSO,\n\t0x78b959b3, 0xc3f8, 0x44ac, 0x9c, 0x90, 0x69, 0xb5, 0xe4, 0x1d, 0x92, 0xa0);');
  });

  it('defines the context structure and a non-default pool tag', () => {
    const text = expansionOf('ecp-type');
    expect(text).toMatch(/typedef struct _CONTOSO_ECP_CONTEXT \{[^}]*\} CONTOSO_ECP_CONTEXT, \*PCONTOSO_ECP_CONTEXT;/);
    expect(text).toContain("#define CONTOSO_ECP_TAG 'pcEx'");
  });
});

describe('snippetSources', () => {
  it('gives one wrapped source per snippet', () => {
    const sources = snippetSources();
    expect(sources.map((s) => s.name)).toEqual(Object.keys(snippets));
    expect(sources.map((s) => s.prefix)).toEqual(entries.map(([, s]) => s.prefix));
    for (const { name, source } of sources) {
      expect(source.match(/typedef struct _CONTOSO_ECP_CONTEXT\b/g), name).toHaveLength(1);
      expect(source.match(/DEFINE_GUID\(GUID_ECP_CONTOSO\b/g), name).toHaveLength(1);
      expect(source.match(/^PFLT_FILTER gFilterHandle;$/gm), name).toHaveLength(1);
    }
  });

  it('puts statement snippets inside a function and leaves file-scope ones at file scope', () => {
    for (const { name, source } of snippetSources()) {
      const placement = SNIPPET_PLACEMENT[name];
      const expanded = expandSnippet(snippets[name].body);
      const firstLine = expanded.split('\n')[0];
      if (placement.scope === 'statement') {
        expect(source, name).toContain(`{\n    ${firstLine}`);
        expect(firstLine, name).toMatch(/^NTSTATUS status;$/);
      } else {
        expect(source, name).toContain(`\n${firstLine}\n`);
      }
    }
  });

  it('refuses a snippet it has no placement for', () => {
    expect(() => wrapSnippet('no such snippet', '')).toThrow(/no placement/);
  });
});

/** Re-serialises parsed children well enough to render them alone (text and nested tabstops). */
function renderChildren(children: SnippetNode[]): string {
  return children
    .map((c) => {
      if (c.kind === 'text') return c.value.replace(/[$}\\]/g, (x) => `\\${x}`);
      if (c.kind === 'variable') return `\${${c.name}}`;
      return c.children.length ? `\${${c.index + 100}:${renderChildren(c.children)}}` : '';
    })
    .join('');
}
