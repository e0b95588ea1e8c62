/**
 * Progress of a long `check` on standard error: on a terminal one line rewritten in place (from
 * half a second in, at most ten times a second, erased at the end); with `--progress` and no
 * terminal, a plain line at every tenth of each pass. Nothing otherwise: standard output stays
 * the report, and standard error of a short or piped run stays quiet.
 */
export interface Progress {
  begin(total: number): void;
  tick(pass: 'indexing' | 'analysing'): void;
  done(): void;
}

export const NO_PROGRESS: Progress = { begin() {}, tick() {}, done() {} };

export function stderrProgress(write: (s: string) => void, tty: boolean): Progress {
  let total = 0;
  let started = 0;
  let shownAt = 0;
  let shown = false;
  const counts = { indexing: 0, analysing: 0 };
  return {
    begin(n) {
      total = n;
      started = Date.now();
    },
    tick(pass) {
      const done = ++counts[pass];
      const line = `ecp-lens: ${pass} ${done}/${total} files`;
      if (!tty) {
        const step = Math.max(1, Math.ceil(total / 10));
        if (done % step === 0 || done === total) write(`${line}\n`);
        return;
      }
      const now = Date.now();
      if (now - started < 500 || now - shownAt < 100) return;
      shownAt = now;
      shown = true;
      write(`\r${line}\x1b[K`);
    },
    done() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}
