#!/usr/bin/env node
/**
 * ecp-lens — the same analysis as the editor, for terminals and CI.
 *   ecp-lens check [--format text|json|sarif] [--output FILE] [--jobs N] PATH...
 *   ecp-lens simulate FILE [--function NAME] [--fail-alloc N[,M...]] [--format text|json]
 * Exit codes: 0 no error-severity finding, 1 findings, 2 usage or I/O error.
 */
import { runCli } from './cli/run';
import { plainError } from './util/safeRead';

// A reader that closed the pipe (`| head`) wants no more: stop quietly, as CLI tools do. Any other
// failure to write the report (a full disk, /dev/full) is an I/O error: one line, exit 2.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`ecp-lens: cannot write to standard output: ${plainError(err).reason}\n`);
  process.exit(2);
});

// Standard error carries messages and progress only: when it cannot be written (`2>/dev/full`,
// a closed pipe) they are lost, but the run goes on and its exit status still says what it found
// (an unhandled write error ended it with status 1, which a CI gate reads as "findings").
process.stderr.on('error', () => undefined);

runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTTY: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ecp-lens: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
