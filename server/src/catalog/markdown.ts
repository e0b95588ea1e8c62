/**
 * Markdown renderers for hover and signature help. Output is meant to be scanned in a hover:
 * a code block first, then short labelled sections. All text comes from the catalog.
 */
import type { BugCheckInfo, DocCorrection, FieldInfo, FlagInfo, GuidInfo, ParamInfo, RoutineInfo, StatusInfo, TypeInfo } from './types';
import { catalog, lookupField, routineList } from './build-catalog';

const code = (s: string) => '`' + s + '`';
const block = (s: string) => '```c\n' + s + '\n```';
const hex32 = (v: number) => '0x' + (v >>> 0).toString(16).toUpperCase().padStart(8, '0');
const link = (url: string | null, label = 'Official documentation') => (url ? `[${label}](${url})` : '_No official reference page._');

function corrections(list: DocCorrection[] | undefined): string[] {
  if (!list || list.length === 0) return [];
  return [
    '**Where the official page is wrong or incomplete**',
    ...list.map((c) => `- _Says:_ ${c.claim} **Actually:** ${c.truth} _(${c.where}${c.ref ? `; facts §5 #${c.ref}` : ''})_`),
  ];
}

/** Flag constants a parameter accepts, e.g. "`FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA` (0x1)". */
function acceptedFlags(p: ParamInfo): string {
  if (!p.flagFamily) return '';
  const fam = catalog.flagFamilies.get(p.flagFamily);
  const names = (fam?.constants ?? []).map((n) => `${code(n)} (0x${catalog.flags.get(n)!.value.toString(16)})`);
  return ` Accepts ${code(p.flagFamily)}: ${names.join(', ')}.`;
}

/** One parameter line, also used for the active parameter in signature help. */
export function parameterMarkdown(r: RoutineInfo, index: number): string {
  const p = r.params[index];
  if (!p) return '';
  const dir = p.direction + (p.optional ? ', optional' : '');
  return `${code(p.name)} _(${dir}; ${p.role})_ — ${p.doc}${acceptedFlags(p)}`;
}

function irqlText(r: RoutineInfo): string {
  const max = r.irqlMax ? `<= ${r.irqlMax}` : 'undocumented';
  return r.irqlNote ? `${max} (${r.irqlNote})` : max;
}

function counterpartText(r: RoutineInfo): string {
  if (r.counterpart) return `**Counterpart:** ${code(r.counterpart)}`;
  return `**Counterpart:** none — ${r.noCounterpartReason ?? 'not applicable'}`;
}

export function routineMarkdown(r: RoutineInfo): string {
  const parts: string[] = [block(r.prototype), r.summary];
  if (r.params.length) parts.push(['**Parameters**', ...r.params.map((_, i) => `- ${parameterMarkdown(r, i)}`)].join('\n'));
  parts.push(
    `**IRQL:** ${irqlText(r)}  \n**Minimum Windows:** ${r.minWindows}  \n**Header:** ${r.header}  \n**Library:** ${r.library}` +
      (r.mustInspectResult ? '  \n**Result must be checked** (`_Must_inspect_result_`)' : ''),
  );
  if (r.returnCodes.length) {
    parts.push(['**Returns**', ...r.returnCodes.map((c) => `- ${code(c.status)} — ${c.meaning}`)].join('\n'));
  } else if (r.returnType === 'VOID') {
    parts.push('**Returns** nothing (VOID).');
  }
  parts.push(counterpartText(r));
  parts.push(`**Who frees what:** ${r.ownership}` + (r.releasedBy?.length ? `  \nReleased by: ${r.releasedBy.map(code).join(', ')}` : ''));
  if (r.pitfalls.length) parts.push(['**Pitfalls**', ...r.pitfalls.map((p) => `- ${p}`)].join('\n'));
  const errs = corrections(r.docErrors);
  if (errs.length) parts.push(errs.join('\n'));
  parts.push(r.documented ? link(r.docUrl) : '_Undocumented: no official reference page exists._');
  return parts.join('\n\n');
}

export function flagMarkdown(f: FlagInfo): string {
  const fam = catalog.flagFamilies.get(f.family);
  const twins = [...catalog.flags.values()].filter((o) => o.value === f.value && o.family !== f.family);
  const parts = [
    block(`#define ${f.name} ${hex32(f.value)}`),
    `**Value:** ${hex32(f.value)} (${f.value} decimal) · **Family:** ${code(f.family)}`,
    f.meaning,
    `**Accepted by:** ${(fam?.acceptedBy ?? []).map(code).join(', ') || 'no routine'}`,
  ];
  if (twins.length) {
    parts.push(`Same value, other family: ${twins.map((t) => `${code(t.name)} (${code(t.family)})`).join(', ')} — not interchangeable by name.`);
  }
  parts.push(...corrections(f.docErrors));
  return parts.join('\n\n');
}

const USAGE: Record<GuidInfo['usage'], string> = {
  informational: 'Informational — supplied by the system or a server; read it, never attach or modify it.',
  query: 'Query — a requester attaches it to its own create and reads the answer back when acknowledged.',
  internal: 'Internal — system use only.',
  'user-defined-example': 'Example of a user-defined ECP type.',
};

export function guidMarkdown(g: GuidInfo): string {
  const value = g.value ? `{${g.value}}` : `value unknown${g.valueNote ? ` (${g.valueNote})` : ''}`;
  const parts = [
    // A GUID is no C code: a plain line, not a highlighted c block.
    `**${g.name}** ${g.value ? code(value) : value}`,
    g.doc,
    `**Context structure:** ${g.structure ? code(g.structure) : 'none published'} · **Header:** ${g.header} · **Minimum Windows:** ${g.minWindows}`,
    `**Usage:** ${USAGE[g.usage]}`,
  ];
  if (g.rules.length) parts.push(['**Rules**', ...g.rules.map((r) => `- ${r}`)].join('\n'));
  parts.push(...corrections(g.docErrors), link(g.docUrl));
  return parts.join('\n\n');
}

export function typeMarkdown(t: TypeInfo): string {
  const parts = [block(t.declaration), t.doc, `**Header:** ${t.header} · **Minimum Windows:** ${t.minWindows}`];
  if (t.fields.length && t.kind !== 'callback') {
    parts.push(['**Fields**', ...t.fields.map((f) => `- ${code(f.name)} (${code(f.type)}) — ${f.doc}`)].join('\n'));
  } else if (t.fields.length) {
    parts.push(['**Parameters**', ...t.fields.map((f) => `- ${code(f.name)} (${code(f.type)}) — ${f.doc}`)].join('\n'));
  }
  parts.push(...corrections(t.docErrors), link(t.docUrl));
  return parts.join('\n\n');
}

function severity(value: number): string {
  return ['success', 'informational', 'warning', 'error'][(value >>> 30) & 3];
}

export function statusMarkdown(s: StatusInfo): string {
  const returnedBy = routineList.filter((r) => r.returnCodes.some((c) => c.status === s.name)).map((r) => code(r.name));
  const parts = [
    block(`#define ${s.name} ((NTSTATUS)${hex32(s.value)}L)`),
    `**Value:** ${hex32(s.value)} · **Severity:** ${severity(s.value)} · NT_SUCCESS: ${(s.value >>> 30) < 2 ? 'TRUE' : 'FALSE'}`,
    s.meaning,
  ];
  if (returnedBy.length) parts.push(`**Returned by:** ${returnedBy.join(', ')}`);
  return parts.join('\n\n');
}

export function bugCheckMarkdown(b: BugCheckInfo): string {
  const parts = [`**Bug check ${hex32(b.code)}: ${b.name}**`];
  if (b.summary) parts.push(b.summary);
  parts.push(['**Parameters**', ...b.parameters.map((p) => `- ${p}`)].join('\n'));
  parts.push(['| Parameter 1 | Meaning |', '|---|---|', ...b.subcodes.map((s) => `| 0x${s.code.toString(16).toUpperCase()} | ${s.meaning} |`)].join('\n'));
  if (b.relation) parts.push(`**Relation to ECP code:** ${b.relation}`);
  parts.push(link(b.docUrl));
  return parts.join('\n\n');
}

/** A structure field; `field` is a FieldInfo or its (dotted) name. Undefined when unknown. */
export function fieldMarkdown(typeName: string, field: string | FieldInfo): string | undefined {
  const hit = lookupField(typeName, typeof field === 'string' ? field : field.name);
  if (!hit) return undefined;
  return [block(`${hit.field.type} ${hit.field.name}; // ${hit.type.name}`), hit.field.doc, link(hit.type.docUrl)].join('\n\n');
}
