import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, run, tempTree } from './helpers';

describe('ecp-lens check', () => {
  it('documents every command and option in --help', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['check', 'simulate', '--format', 'sarif', '--function', '--fail-alloc', 'Exit status']) {
      expect(r.stdout).toContain(word);
    }
  });

  it('exits 2 with a clear message for a missing path', () => {
    const r = run(['check', '/definitely/not/here.c']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file or folder: /definitely/not/here.c');
  });

  it('exits 2 for an unknown format, an unknown option and no paths', () => {
    expect(run(['check', '--format', 'xml', '.']).code).toBe(2);
    expect(run(['check', '--frobnicate', '.']).stderr).toContain('unknown option --frobnicate');
    expect(run(['check']).stderr).toContain('at least one file or folder');
    expect(run(['explode']).stderr).toContain("unknown command 'explode'");
  });

  it('walks folders for C/C++ sources and skips other and binary files', () => {
    const dir = tempTree({
      'a.c': 'int a;\n',
      'sub/b.h': 'int b;\n',
      'sub/c.cpp': 'int c;\n',
      'notes.txt': 'not code',
      'bin.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]),
    });
    const r = run(['check', '--format', 'json', dir]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const names = report.files.map((f: { path: string }) => path.relative(dir, f.path)).sort();
    expect(names).toEqual(['a.c', path.join('sub', 'b.h'), path.join('sub', 'c.cpp')]);
    expect(report.skipped.map((s: { reason: string }) => s.reason)).toEqual(['binary file']);
  });

  it('exits 2 when a file cannot be read', () => {
    if (process.getuid?.() === 0) {
      // root reads everything; use a folder entry named like a source instead
      const dir = tempTree({});
      fs.mkdirSync(path.join(dir, 'dir.c'));
      fs.symlinkSync(path.join(dir, 'missing-target.c'), path.join(dir, 'dangling.c'));
      const r = run(['check', path.join(dir, 'dangling.c')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('dangling.c');
      return;
    }
    const dir = tempTree({ 'locked.c': 'int x;\n' });
    fs.chmodSync(path.join(dir, 'locked.c'), 0);
    const r = run(['check', path.join(dir, 'locked.c')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read');
  });

  it('writes well-formed SARIF 2.1.0 with the tool, its version and every rule', () => {
    const dir = tempTree({ 'drv/a.c': 'int a;\n' });
    const r = run(['check', '--format', 'sarif', 'drv'], dir);
    expect(r.code).toBe(0);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe('ECP Lens');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+$/);
    const ids = driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toContain('ecp-list-leak');
    expect(ids).toContain('ecp-null-list');
    for (const rule of driver.rules) {
      // The documentation is carried in the log: no link that could be dead.
      expect(rule.helpUri).toBeUndefined();
      expect(rule.help.markdown.startsWith(`## ${rule.id}\n`), rule.id).toBe(true);
      expect(rule.help.text.length, rule.id).toBeGreaterThan(200);
      expect(rule.help.text).not.toMatch(/^## /m);
    }
    expect(sarif.runs[0].originalUriBaseIds.SRCROOT.uri).toMatch(/^file:\/\/\/.*\/$/);
    expect(Array.isArray(sarif.runs[0].results)).toBe(true);
  });

  it('reports findings in SARIF with rule ids, 1-based regions, the path and fingerprints, and nothing the schema forbids', () => {
    const r = run(['check', '--format', 'sarif', 'examples/attach-ecp-mistakes.c']);
    expect(r.code).toBe(1);
    const run0 = JSON.parse(r.stdout).runs[0];
    const results = run0.results as Record<string, any>[];
    expect(results.length).toBeGreaterThanOrEqual(5);
    // Properties SARIF 2.1.0 allows on a result (the schema forbids any other).
    const allowed = new Set(['guid', 'correlationGuid', 'ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'webRequest', 'webResponse', 'fingerprints', 'partialFingerprints', 'codeFlows', 'graphs', 'graphTraversals', 'stacks', 'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris', 'provenance', 'fixes', 'taxa', 'properties']);
    for (const res of results) {
      expect(Object.keys(res).filter((k) => !allowed.has(k))).toEqual([]);
      expect(run0.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: 'examples/attach-ecp-mistakes.c', uriBaseId: 'SRCROOT' });
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(res.partialFingerprints['ecpLens/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    const leak = results.find((x) => x.ruleId === 'ecp-list-leak')!;
    expect(leak.locations[0].physicalLocation.region.startLine).toBe(29);
    expect(leak.relatedLocations.length).toBeGreaterThan(1);
    expect(leak.codeFlows[0].threadFlows[0].locations.length).toBe(leak.relatedLocations.length + 1);
  });

  it('gives files outside --base an absolute file URI instead of a ../ path', () => {
    const dir = tempTree({ 'src/m.c': fs.readFileSync(path.join(ROOT, 'examples/attach-ecp-mistakes.c')) });
    const r = run(['check', '--format', 'sarif', '--base', path.join(dir, 'other'), path.join(dir, 'src/m.c')]);
    expect(r.code).toBe(1);
    const artifact = JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(artifact.uriBaseId).toBeUndefined();
    expect(artifact.uri).toBe(`file://${path.join(dir, 'src/m.c')}`);
  });

  it('writes the report to --output', () => {
    const dir = tempTree({ 'a.c': 'int a;\n' });
    const out = path.join(dir, 'report.sarif');
    const r = run(['check', '--format', 'sarif', '--output', out, dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  it('refuses an --output in a folder that does not exist, or naming a folder, before analysing anything', () => {
    // The tree has a broken link: a run that analysed would list it as skipped on stderr.
    const dir = tempTree({ 'a.c': 'int a;\n' });
    fs.symlinkSync(path.join(dir, 'gone.c'), path.join(dir, 'broken.c'));
    const missing = path.join(dir, 'reports', 'ecp.sarif');
    const r = run(['check', '--format', 'sarif', '--output', missing, dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ecp-lens: cannot write ${missing}: no such folder ${path.join(dir, 'reports')}\n`);
    const folder = run(['check', '--output', dir, dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`ecp-lens: cannot write ${dir}: a folder\n`);
  });
});

describe('ecp-lens check: what was not fully analysed', () => {
  const dir = path.join(ROOT, 'test/fixtures/coverage');
  const many = path.join(dir, 'many-paths.c');
  const region = path.join(dir, 'unparsed-region.c');

  it('ends the text report with the coverage summary, and --verbose lists each function', () => {
    const plain = run(['check', dir]);
    expect(plain.stdout).toMatch(/2 files checked: 0 errors, 0 other findings; 1 function analysed, 1 incomplete \((path|time) bound\), 1 not analysed \(parse error\)\.\n$/);
    expect(plain.stdout).not.toContain('FabrikamAddHints');
    const verbose = run(['check', '--verbose', dir]);
    expect(verbose.stdout).toMatch(new RegExp(`${many.replace(/[.\\/]/g, '\\$&')}:14: FabrikamAddHints: incomplete \\((path|time) bound\\)`));
    expect(verbose.stdout).toContain(`${region}:8: FabrikamRelease: not analysed (parse error)`);
    // Two runs of a function walked to its bound (the CLI has no time bound): over 30 s at load 15.
  }, 120_000);

  it('takes the path bound from --max-paths, in process and in workers, and refuses one out of range', () => {
    const fixture = path.join(ROOT, 'test/fixtures/engine/summary-caller-flags.c');
    const coverage = (extra: string[]) => JSON.parse(run(['check', '--format', 'json', ...extra, fixture, region]).stdout).coverage;
    // Walked to the end under the default bound; 16 paths are too few for its caller paths.
    expect(coverage([]).incomplete).toEqual([]);
    for (const jobs of ['1', '2']) {
      expect(coverage(['--jobs', jobs, '--max-paths', '16']).incomplete).toEqual([
        { path: fixture, function: 'FabrikamOpenWithHints', line: expect.any(Number), reason: 'path-bound' },
        { path: fixture, function: 'FabrikamOpenWithHintsFreed', line: expect.any(Number), reason: 'path-bound' },
      ]);
    }
    for (const bad of ['8', '100001', 'many']) {
      const r = run(['check', '--max-paths', bad, fixture]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--max-paths needs a whole number from 16 to 100000 (got '${bad}')`);
    }
  });

  it('gives a top-level coverage object in JSON', () => {
    const report = JSON.parse(run(['check', '--format', 'json', dir]).stdout);
    expect(report.coverage.functions).toBe(3);
    expect(report.coverage.analysed).toBe(1);
    expect(report.coverage.incomplete).toEqual([{ path: many, function: 'FabrikamAddHints', line: 14, reason: expect.stringMatching(/^(path|time)-bound$/) }]);
    expect(report.coverage.notAnalysed).toEqual([{ path: region, function: 'FabrikamRelease', line: 8, reason: 'parse-error' }]);
  });

  it('gives one SARIF tool execution notification per function not fully analysed', () => {
    const sarif = JSON.parse(run(['check', '--format', 'sarif', '--base', dir, dir]).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes.map((n: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }) => [n.locations[0].physicalLocation.artifactLocation.uri, n.locations[0].physicalLocation.region.startLine])).toEqual([
      ['many-paths.c', 14],
      ['unparsed-region.c', 8],
    ]);
    expect(notes[1].properties.reason).toBe('parse-error');
    expect(notes[1].message.text).toContain('FabrikamRelease was not analysed (parse error)');
  });
});

describe('ecp-lens check on a multi-file project', () => {
  const project = path.join(ROOT, 'test/fixtures/projects/c-split-minifilter');

  it('analyses the folder as one program: wrappers followed, lookaside deleted elsewhere not reported', () => {
    const r = run(['check', '--format', 'json', project]);
    const report = JSON.parse(r.stdout) as { files: { path: string; findings: { code: string; related: { uri?: string }[] }[] }[] };
    const codes = report.files.flatMap((f) => f.findings.map((x) => `${path.basename(f.path)}:${x.code}`));
    expect(codes).toEqual(['create.c:ecp-list-leak']);
    const leak = report.files.find((f) => f.path.endsWith('create.c'))!.findings[0];
    expect(leak.related.some((s) => s.uri?.endsWith('/ecp.c'))).toBe(true);
  });

  it('locates SARIF related locations and code flow steps in the callee file', () => {
    const r = run(['check', '--format', 'sarif', '--base', project, project]);
    const result = JSON.parse(r.stdout).runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('create.c');
    const related = result.relatedLocations.map((l: { physicalLocation: { artifactLocation: { uri: string } } }) => l.physicalLocation.artifactLocation.uri);
    expect(related).toContain('ecp.c');
    const flow = result.codeFlows[0].threadFlows[0].locations.map((l: { location: { physicalLocation: { artifactLocation: { uri: string } } } }) => l.location.physicalLocation.artifactLocation.uri);
    expect(flow).toContain('ecp.c');
    expect(flow[flow.length - 1]).toBe('create.c');
  });

  it('one file alone does not see the wrappers of the others', () => {
    const r = run(['check', '--format', 'json', path.join(project, 'create.c')]);
    expect(JSON.parse(r.stdout).files[0].findings).toEqual([]);
  });
});
