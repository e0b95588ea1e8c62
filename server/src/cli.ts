#!/usr/bin/env node
/**
 * ecp-lens — the same analysis as the editor, for terminals and CI.
 *   ecp-lens check [--format text|json|sarif] [--output FILE] PATH...
 *   ecp-lens simulate FILE [--function NAME] [--fail-alloc N[,M...]] [--format text|json]
 * Exit codes: 0 no error-severity finding, 1 findings, 2 usage or I/O error.
 */
import { runCli } from './cli/run';

runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ecp-lens: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
