import { describe, it, expect } from 'vitest';
import { hasBackwardGoto } from '../../../server/src/engine/liveness';

describe('backward gotos (every local stays live when a path can go back above itself)', () => {
  it('sees a retry written with a label above its goto', () => {
    expect(hasBackwardGoto('{ retry: status = Open(); if (status == STATUS_RETRY) goto retry; }')).toBe(true);
  });
  it('takes cleanup gotos to a label below as forward', () => {
    expect(hasBackwardGoto('{ if (!ok) goto Cleanup; work(); Cleanup: free(); }')).toBe(false);
  });
  it('counts a goto whose label it cannot find as backward (the safe answer)', () => {
    expect(hasBackwardGoto('{ goto Elsewhere; }')).toBe(true);
  });
  it('does not take case labels, default or C++ access specifiers for goto labels', () => {
    expect(hasBackwardGoto('{ switch (x) { default: goto Out; } Out: return; }')).toBe(false);
  });
  it('answers quickly for a body without goto', () => {
    expect(hasBackwardGoto('{ a: b(); }')).toBe(false);
  });
});

describe('names read only through a macro of another program file', () => {
  it('keeps a local live while a merged macro that names it is still to run', async () => {
    const { initParser, parseText } = await import('../../../server/src/parsing/parser');
    const { buildFileModel } = await import('../../../server/src/engine/fileModel');
    const { LiveNames } = await import('../../../server/src/engine/liveness');
    await initParser();
    const text = 'void NoteFinish(PECP_LIST List) { BOOLEAN drop = TRUE; Log(); NOTE_DROP(); }\n';
    const parsed = parseText(text);
    const model = buildFileModel(parsed.tree, parsed.masked, parsed.annotations);
    // A wrapper's private macro is merged under a name of its own; its uses are written NOTE_DROP.
    model.macros.set('NOTE_DROP (wrap.c)', { name: 'NOTE_DROP', params: [], body: 'if (drop) { FltFreeExtraCreateParameterList(gF, List); }' });
    const fn = model.functions.get('NoteFinish')!;
    const stmts = fn.body.namedChildren.filter((n) => n !== null);
    const live = new LiveNames(model, fn.name, fn.body).forStack([{ kind: 'block', stmts, i: 2 }]);
    expect(live('drop')).toBe(true);
    expect(live('unrelated')).toBe(false);
    parsed.tree.delete();
  });
});
