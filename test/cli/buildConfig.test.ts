/** `check` with a build configuration: --compile-commands, -I and -D, on real files with the built CLI. */
import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, run, tempTree } from './helpers';
import { wrapperProject } from './wrapperProject';

const PROJECT = path.join(ROOT, 'test/fixtures/projects/build-config-driver');

/** A copy of the fixture project, with its database rewritten by `edit`. */
function copy(edit: (db: string) => string = (d) => d): string {
  const dir = tempTree({});
  fs.cpSync(PROJECT, dir, { recursive: true });
  const db = path.join(dir, 'compile_commands.json');
  fs.writeFileSync(db, edit(fs.readFileSync(db, 'utf8')));
  return dir;
}

function findings(args: string[], cwd = ROOT): string[] {
  const r = run(['check', '--format', 'json', ...args], cwd);
  expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
  const report = JSON.parse(r.stdout) as { files: { path: string; findings: { code: string; range: { start: { line: number } } }[] }[] };
  return report.files.flatMap((f) => f.findings.map((x) => `${path.basename(f.path)}:${x.code}@${x.range.start.line + 1}`)).sort();
}

const ALL = ['policy.h:ecp-context-leak@12', 'tagger.c:ecp-context-leak@14', 'tagger.c:ecp-context-leak@38', 'tagger.c:ecp-context-leak@71'];

describe('ecp-lens check --compile-commands', () => {
  it('reads include folders, defines and language per file: every leak of the configured build', () => {
    expect(findings(['--compile-commands', path.join(PROJECT, 'compile_commands.json'), path.join(PROJECT, 'src')])).toEqual(ALL);
  });

  it('with no PATH checks the files the database lists (relative to where it is run)', () => {
    const dir = copy();
    expect(findings(['--compile-commands', 'compile_commands.json'], dir)).toEqual(ALL);
  });

  it('a build without USE_ECP_V2 does not report the leaks of the V2 arms', () => {
    const dir = copy((db) => db.replace('"/DUSE_ECP_V2", ', ''));
    expect(findings(['--compile-commands', path.join(dir, 'compile_commands.json'), path.join(dir, 'src')])).toEqual(['policy.h:ecp-context-leak@12', 'tagger.c:ecp-context-leak@38']);
  });

  it('-D on the command line adds to the database: USE_ECP_V2 back', () => {
    const dir = copy((db) => db.replace('"/DUSE_ECP_V2", ', ''));
    expect(findings(['--compile-commands', path.join(dir, 'compile_commands.json'), '-DUSE_ECP_V2', path.join(dir, 'src')])).toEqual(ALL);
  });

  it('without any configuration: the angle include is not found, C++ is not read in the .h, both arms explored', () => {
    expect(findings([path.join(PROJECT, 'src')])).toEqual(['tagger.c:ecp-context-leak@38']);
  });

  it('a folder holding a compile database the run does not read says so (the editor reads it)', () => {
    const quiet = run(['check', path.join(PROJECT, 'src')]);
    expect(quiet.stderr).not.toMatch(/is not read/);
    const told = run(['check', PROJECT]);
    expect(told.stderr).toContain(`${path.join(PROJECT, 'compile_commands.json')} is not read (the editor reads it for this folder); pass --compile-commands`);
    const inBuild = tempTree({ 'open.c': 'int x;\n', 'build/compile_commands.json': '[]' });
    expect(run(['check', inBuild]).stderr).toContain(`${path.join(inBuild, 'build', 'compile_commands.json')} is not read`);
    expect(run(['check', '--compile-commands', path.join(PROJECT, 'compile_commands.json'), PROJECT]).stderr).not.toMatch(/is not read/);
  });
});

describe('a callee of another file runs under that file\'s own configuration', () => {
  it('the wrapper built with V2 allocates: the caller leaks the list', () => {
    const dir = wrapperProject('wrap.c');
    expect(findings(['--compile-commands', path.join(dir, 'compile_commands.json'), dir])).toEqual(['caller.c:ecp-list-leak@7']);
  });

  it('the wrapper built without V2 allocates nothing, whatever the caller defines: no leak', () => {
    const dir = wrapperProject('caller.c');
    expect(findings(['--compile-commands', path.join(dir, 'compile_commands.json'), dir])).toEqual([]);
    // Without a configuration both arms of the wrapper are explored, as before.
    expect(findings([dir])).toEqual(['caller.c:ecp-list-leak@7']);
  });
});

describe('a multi-file project with gcc and MSVC spellings in its database', () => {
  const FLAGS = path.join(ROOT, 'test/fixtures/projects/build-flag-spellings');
  const db = path.join(FLAGS, 'compile_commands.json');

  it('each file is read under its own entry: -I/-D (command), /I /D (arguments), /TP (C++)', () => {
    expect(findings(['--compile-commands', db, FLAGS])).toEqual(['open.c:ecp-list-leak@24', 'policy.c:ecp-list-leak@15']);
    // Without it: the wrapper's #ifdef and the caller's #if are both open, <openflags.h> is not found, policy.c is not C++.
    expect(findings([FLAGS])).toEqual(['open.c:ecp-list-leak@12']);
  });

  it('SARIF: the C++ caller\'s leak flows through the wrapper in another artifact', () => {
    const r = run(['check', '--format', 'sarif', '--base', FLAGS, '--compile-commands', db, FLAGS]);
    const results = JSON.parse(r.stdout).runs[0].results as { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; codeFlows: { threadFlows: { locations: { location: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } } }[] }[] }[] }[];
    const policy = results.find((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'policy.c')!;
    const flow = policy.codeFlows[0].threadFlows[0].locations.map((l) => `${l.location.physicalLocation.artifactLocation.uri}:${l.location.physicalLocation.region.startLine}`);
    // The steps, then the result's own place.
    expect(flow).toEqual(['policy.c:15', 'wrap.c:9', 'policy.c:16', 'policy.c:15']);
  });
});

describe('ecp-lens check -I and -D', () => {
  it('-I DIR resolves the angle include (the status macro returns), every arm explored without -D', () => {
    expect(findings(['-I', path.join(PROJECT, 'include'), path.join(PROJECT, 'src/tagger.c')])).toEqual(['tagger.c:ecp-context-leak@14', 'tagger.c:ecp-context-leak@38']);
  });

  it('-IDIR -DNAME -D NAME=VALUE: the V2 build, file-scope arm included', () => {
    expect(findings([`-I${path.join(PROJECT, 'include')}`, '-DUSE_ECP_V2', '-D', 'TAG_LAYOUT=2', path.join(PROJECT, 'src/tagger.c')])).toEqual(['tagger.c:ecp-context-leak@14', 'tagger.c:ecp-context-leak@38', 'tagger.c:ecp-context-leak@71']);
  });

  it('-D of another name makes the configuration known: the V2 arms are dropped', () => {
    expect(findings(['-I', path.join(PROJECT, 'include'), '-D', 'TAG_LAYOUT=2', path.join(PROJECT, 'src/tagger.c')])).toEqual(['tagger.c:ecp-context-leak@38']);
  });

  it('a header\'s own quoted include is found next to that header first, as compilers do', () => {
    const tagger = fs.readFileSync(path.join(PROJECT, 'src/tagger.c'), 'utf8').replace('<tagdefs.h>', '"sub/tagger-all.h"');
    const defs = fs.readFileSync(path.join(PROJECT, 'include/tagdefs.h'), 'utf8');
    const dir = tempTree({ 'src/a.c': tagger, 'src/sub/tagger-all.h': '#pragma once\n#include "tagdefs.h"\n', 'src/sub/tagdefs.h': defs, 'src/tagdefs.h': '#pragma once\n' });
    expect(findings([path.join(dir, 'src/a.c')])).toContain('a.c:ecp-context-leak@14');
  });

  it('a quoted include is searched in the -I folders after the file\'s own folder', () => {
    const dir = tempTree({ 'src/a.c': fs.readFileSync(path.join(PROJECT, 'src/tagger.c'), 'utf8').replace('<tagdefs.h>', '"tagdefs.h"'), 'inc/tagdefs.h': fs.readFileSync(path.join(PROJECT, 'include/tagdefs.h'), 'utf8') });
    expect(findings(['-I', path.join(dir, 'inc'), path.join(dir, 'src/a.c')])).toContain('a.c:ecp-context-leak@14');
    expect(findings([path.join(dir, 'src/a.c')])).not.toContain('a.c:ecp-context-leak@14');
  });
});

describe('errors in the build configuration', () => {
  const fail = (args: string[]) => {
    const r = run(['check', ...args, path.join(PROJECT, 'src')]);
    return { code: r.code, stderr: r.stderr, stdout: r.stdout };
  };

  it('a missing database: exit 2, the file and what is wrong, no usage pointer', () => {
    const r = fail(['--compile-commands', '/nonexistent/compile_commands.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ecp-lens: cannot read the compile database /nonexistent/compile_commands.json: no such file\n');
  });

  it('a malformed database: exit 2 with the JSON problem', () => {
    const dir = tempTree({ 'compile_commands.json': '[{"directory": "/x", "file": "a.c",' });
    const r = fail(['--compile-commands', path.join(dir, 'compile_commands.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ecp-lens: .*compile_commands\.json is not valid JSON \(/);
  });

  it('an entry without a command: exit 2, which entry', () => {
    const dir = tempTree({ 'compile_commands.json': '[{"directory": "/x", "file": "a.c"}]' });
    const r = fail(['--compile-commands', path.join(dir, 'compile_commands.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/compile_commands\.json: entry 1 has neither an "arguments" array nor a "command" string/);
  });

  it('a database that is a FIFO or a folder is refused, not read', () => {
    const r = fail(['--compile-commands', PROJECT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the compile database .*: a folder, not a regular file/);
  });

  it('-I and -D without a value, or a bad macro name, are usage errors', () => {
    expect(run(['check', path.join(PROJECT, 'src'), '-I']).stderr).toMatch(/-I needs a value/);
    expect(run(['check', path.join(PROJECT, 'src'), '-D']).code).toBe(2);
    const bad = run(['check', '-D', '1X', path.join(PROJECT, 'src')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/-D 1X: not a macro name/);
  });

  it('simulate reads the same configuration, and refuses a bad database the same way', () => {
    const file = path.join(PROJECT, 'src/policy.h');
    // policy.h is C++ only by the database: read as C, the class and its function are not found.
    const asCpp = run(['simulate', file, '--function', 'Attach', '--compile-commands', path.join(PROJECT, 'compile_commands.json'), '--format', 'json']);
    expect(asCpp.code, asCpp.stderr).toBe(1); // the strict path leaks
    expect(JSON.parse(asCpp.stdout).steps.map((s: { routine: string }) => s.routine)).toEqual(['FltAllocateExtraCreateParameter']);
    // sizeof(TAGGER_ECP) comes from <tagdefs.h>, found through the database's include folder.
    expect(run(['simulate', file, '--function', 'Attach', '--compile-commands', path.join(PROJECT, 'compile_commands.json')]).stdout).toMatch(/8 \+ 72-byte header = 80 bytes/);
    const asC = run(['simulate', file, '--function', 'Attach']);
    expect(asC.code).toBe(2);
    expect(asC.stderr).toMatch(/no function named 'Attach'/);
    const bad = run(['simulate', file, '--compile-commands', '/nonexistent/db.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read the compile database \/nonexistent\/db.json: no such file/);
  });

  it('the help text lists the options', () => {
    const help = run(['--help']).stdout;
    expect(help).toMatch(/--compile-commands FILE/);
    expect(help).toMatch(/-I DIR, -IDIR/);
    expect(help).toMatch(/-D NAME\[=VALUE\], -DNAME/);
  });

  it('-I given a source file says so, instead of "check needs at least one file or folder"', () => {
    const r = run(['check', '-I', 'examples/attach-ecp-mistakes.c']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ecp-lens: -I takes a folder of headers; examples/attach-ecp-mistakes.c is a file (for a source to check, put it after the options)\n');
    // A folder that does not exist is passed over, as compilers do.
    expect(run(['check', '-I', 'no-such-folder', 'examples/attach-ecp-mistakes.c']).code).toBe(1);
  });
});
