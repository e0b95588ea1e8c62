import { describe, it, expect, beforeAll } from 'vitest';
import { initParser, parseText } from '../../../server/src/parsing/parser';
import { buildFileModel } from '../../../server/src/engine/fileModel';
import { mayTouchEcp } from '../../../server/src/engine/helperEffects';
import { runFunctionInSlices } from '../../../server/src/engine/analyzeFunction';
import { relevanceKnown } from '../../../server/src/engine/context';

beforeAll(async () => {
  await initParser();
});

/** The file's model; its trees stay alive, as helpers are run on them. */
function model(text: string) {
  const parsed = parseText(text.trimStart());
  return buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
}

const LOCK_CALLBACKS = `
  static VOID QueueAcquire(PIO_CSQ Csq, PKIRQL Irql) { KeAcquireSpinLock(&Lock, Irql); }
  static VOID QueueRelease(PIO_CSQ Csq, KIRQL Irql) { KeReleaseSpinLock(&Lock, Irql); }
`;

describe('which helpers can change what the engine tracks', () => {
  it('a helper that only hands a lock callback to a routine does not change the IRQL at its call', () => {
    const m = model(`${LOCK_CALLBACKS}
      static NTSTATUS QueueInit(PQUEUE Queue) {
        IoCsqInitialize(&Queue->Csq, NULL, NULL, NULL, QueueAcquire, QueueRelease, NULL);
        return Queue->Ready ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
      }`);
    expect(mayTouchEcp(m, m.functions.get('QueueInit')!)).toBe(false);
  });

  it('a helper that calls the lock callback itself returns raised: it is run at its call', () => {
    const m = model(`${LOCK_CALLBACKS}
      static VOID QueueLock(PQUEUE Queue, PKIRQL Irql) { QueueAcquire(&Queue->Csq, Irql); }`);
    expect(mayTouchEcp(m, m.functions.get('QueueLock')!)).toBe(true);
  });

  it('a file that starts with a blank line is read at the right offsets (the lock helper is still run)', () => {
    const parsed = parseText(`\n\n${LOCK_CALLBACKS}\n static VOID QueueLock(PQUEUE Queue, PKIRQL Irql) { QueueAcquire(&Queue->Csq, Irql); }`);
    const m = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
    expect(mayTouchEcp(m, m.functions.get('QueueLock')!)).toBe(true);
  });

  it('a helper that calls a lock callback through a macro is run at its call', () => {
    const m = model(`${LOCK_CALLBACKS}
      #define LOCK_QUEUE(q, irql) QueueAcquire(&(q)->Csq, irql)
      static VOID QueueLockByMacro(PQUEUE Queue, PKIRQL Irql) { LOCK_QUEUE(Queue, Irql); }`);
    expect(mayTouchEcp(m, m.functions.get('QueueLockByMacro')!)).toBe(true);
  });

  it('a helper that only names an ECP-using function still counts as reaching ECP code (a callback may free what it is given)', () => {
    const m = model(`
      static VOID FreeHint(PVOID Hint) { FltFreeExtraCreateParameter(gFilter, Hint); }
      static VOID Register(PWORK Work) { Work->Cleanup = FreeHint; }`);
    expect(mayTouchEcp(m, m.functions.get('Register')!)).toBe(true);
  });

  it('a name in a comment is prose: a helper whose comment mentions its ECP-using caller calls nothing', () => {
    const m = model(`
      static VOID FormatHints(PUNICODE_STRING Out, ULONG Mask) {
        // The mask was set in ParseHints; here it is only printed.
        /* ParseHints(Data, Out) gave us the mask. */
        if (Mask & 1) RtlAppendUnicodeToString(Out, L"http://hint//one");
      }
      VOID ParseHints(PFLT_CALLBACK_DATA Data, PUNICODE_STRING Out) {
        PECP_LIST list = NULL;
        if (NT_SUCCESS(FltGetEcpListFromCallbackData(gFilter, Data, &list)) && list) FormatHints(Out, 1);
      }`);
    expect(mayTouchEcp(m, m.functions.get('FormatHints')!)).toBe(false);
    expect(mayTouchEcp(m, m.functions.get('ParseHints')!)).toBe(true);
  });
});

describe('a run reads its helpers ahead, pausing', () => {
  it('the relevance of each helper it may run at a call is read before its first statement, over many slices', () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `    if (x${i % 40} > ${i}) { y = y + ${i}; Other(y); }`).join('\n');
    const m = model(`
      static int Quiet(int v) { return v + 1; }
      static NTSTATUS Build(PFLT_FILTER Filter, PECP_LIST *Out) {
        int y = 0;
${filler}
        return FltAllocateExtraCreateParameterList(Filter, 0, Out);
      }
      static NTSTATUS Wrap(PFLT_FILTER Filter, PECP_LIST *Out) { return Build(Filter, Out); }
      NTSTATUS Caller(PFLT_FILTER Filter) {
        PECP_LIST list = NULL;
        NTSTATUS s = Wrap(Filter, &list);
        Quiet(3);
        if (NT_SUCCESS(s)) FltFreeExtraCreateParameterList(Filter, list);
        return s;
      }`);
    const source = m.functions.get('Caller')!.node.tree.rootNode.text;
    const fn = (name: string) => m.functions.get(name)!;
    // No path is walked (stopAfter 0): only what a run reads before its first statement.
    const run = runFunctionInSlices(m, fn('Caller'), source, { stopAfter: 0 });
    let pauses = 0;
    while (!run.next().done) pauses++;
    // Build is reached through Wrap; Quiet touches no ECP state, so it is never run at its call.
    expect(['Wrap', 'Build', 'Quiet'].map((name) => relevanceKnown(m, source, fn(name)))).toEqual([true, true, false]);
    // Build's tens of thousands of nodes were read in slices, not within the step that calls it.
    expect(pauses).toBeGreaterThan(10);
  });
});
