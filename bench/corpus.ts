/**
 * Generated workloads: copies of the examples' ECP code with fresh function names, and ordinary
 * driver C around them. Deterministic, so every run measures the same texts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const UNIT = fs.readFileSync(path.join(ROOT, 'examples/attach-ecp-mistakes.c'), 'utf8');

function renamed(suffix: string): string {
  return UNIT.replace(/\b(Contoso[A-Za-z0-9]*)\b/g, `$1_${suffix}`);
}

/** About `lines` lines in which every function uses ECPs. */
export function denseCorpus(lines: number, prefix = 'd'): string {
  const copies = Math.max(1, Math.ceil(lines / UNIT.split('\n').length));
  return Array.from({ length: copies }, (_, i) => renamed(`${prefix}${i}`)).join('\n');
}

function ordinary(i: number): string {
  return `
static NTSTATUS
Helper${i}(_In_ PFLT_CALLBACK_DATA Data, _Inout_ PULONG Counter)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG i;
    for (i = 0; i < 16; i++) {
        if (Data->Iopb->MajorFunction == IRP_MJ_CREATE && (i & 1)) {
            *Counter += i;
        } else if (*Counter > 100) {
            status = STATUS_UNSUCCESSFUL;
            break;
        }
    }
    switch (Data->Iopb->MajorFunction) {
    case IRP_MJ_READ: *Counter += 2; break;
    case IRP_MJ_WRITE: *Counter += 3; break;
    default: break;
    }
    return status;
}
`;
}

/** About `lines` lines of a more typical driver file: one function in ten touches ECPs. */
export function mixedCorpus(lines: number, prefix = 'm'): string {
  const parts: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const part = i % 10 === 0 ? renamed(`${prefix}${i}`) : ordinary(i);
    parts.push(part);
    count += part.split('\n').length;
  }
  return parts.join('\n');
}

/** A driver tree of `files` mixed files of about 1,000 lines each (about 2 MB for 50). */
export function driverTree(files: number): string[] {
  return Array.from({ length: files }, (_, i) => mixedCorpus(1_000, `t${i}_`));
}
