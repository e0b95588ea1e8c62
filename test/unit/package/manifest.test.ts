import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SETTINGS_SCHEMA, normalizeSettings, DEFAULT_SETTINGS } from '../../../server/src/config';
import { SERVER_VERSION } from '../../../server/src/version';
import { RULE_CODES, RULES } from '../../../server/src/rules/registry';
import { statusDetail } from '../../../client/src/statusText';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributed: Record<string, Record<string, unknown>> = pkg.contributes.configuration.properties;

describe('extension icon', () => {
  it('is a 128×128 PNG named by package.json and shipped in the VSIX', () => {
    const png = fs.readFileSync(path.join(ROOT, pkg.icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
    expect(png.length).toBeLessThan(64 * 1024);
    expect(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n')).toContain(`!${pkg.icon}`);
  });
});

describe('package.json agrees with the server', () => {
  it('declares every server setting with the same type, default, bounds, enum and description', () => {
    for (const [key, schema] of Object.entries(SETTINGS_SCHEMA)) {
      const entry = contributed[key];
      expect(entry, key).toBeDefined();
      expect(entry.type, key).toBe(schema.type);
      expect(entry.default, key).toEqual(schema.default);
      expect(entry.description, key).toBe(schema.description);
      expect(entry.minimum, key).toBe(schema.minimum);
      expect(entry.maximum, key).toBe(schema.maximum);
      expect(entry.enum, key).toEqual(schema.enum);
      if (schema.additionalProperties) expect(entry.additionalProperties, key).toEqual(schema.additionalProperties);
    }
  });

  it('lists every rule code under ecpLens.rules with its levels, so settings.json completes them', () => {
    const rules = contributed['ecpLens.rules'].properties as Record<string, { enum: string[]; markdownDescription: string }>;
    expect(Object.keys(rules).sort()).toEqual([...RULE_CODES].sort());
    for (const rule of RULES) {
      expect(rules[rule.code].enum, rule.code).toEqual(['error', 'warning', 'information', 'hint', 'off']);
      expect(rules[rule.code].markdownDescription, rule.code).toBe(`${rule.summary} Default: \`${rule.severity}\`.`);
    }
  });

  it('declares no ecpLens setting the server does not know, except the client-side trace', () => {
    const extra = Object.keys(contributed).filter((k) => !(k in SETTINGS_SCHEMA));
    expect(extra).toEqual(['ecpLens.trace.server']);
  });

  it('has defaults that match the normalised defaults', () => {
    for (const [key, schema] of Object.entries(SETTINGS_SCHEMA)) {
      const short = key.replace('ecpLens.', '') as keyof typeof DEFAULT_SETTINGS;
      expect(DEFAULT_SETTINGS[short], key).toEqual(schema.default);
    }
  });

  it('keeps the version in one place', () => {
    expect(SERVER_VERSION).toBe(pkg.version);
  });

  it('activates on C and C++, supports untrusted and virtual workspaces', () => {
    expect(pkg.activationEvents).toEqual(expect.arrayContaining(['onLanguage:c', 'onLanguage:cpp']));
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe(true);
    expect(pkg.capabilities.virtualWorkspaces).toBe(true);
    const commands = pkg.contributes.commands.map((c: { command: string }) => c.command);
    expect(commands).toEqual(expect.arrayContaining(['ecpLens.restartServer', 'ecpLens.showOutput']));
    expect(pkg.bin['ecp-lens']).toBe('dist/cli.js');
  });
});

describe('settings normalisation', () => {
  it('keeps valid values and drops invalid ones', () => {
    const s = normalizeSettings({
      diagnosticsDelay: -5,
      maxPathsPerFunction: 'many',
      rules: { 'ecp-list-leak': 'warning', 'ecp-untrusted-ecp': 'off', 'no-such-rule': 'error', 'ecp-irql': 'loud' },
    });
    expect(s.diagnosticsDelay).toBe(0);
    expect(s.maxPathsPerFunction).toBe(DEFAULT_SETTINGS.maxPathsPerFunction);
    expect(s.rules).toEqual({ 'ecp-list-leak': 'warning', 'ecp-untrusted-ecp': 'off' });
    expect(RULE_CODES.length).toBeGreaterThanOrEqual(23);
  });
});

describe('status item text', () => {
  it('names ECP Lens once: the item name is shown before the detail', () => {
    expect(statusDetail('ECP Lens is ready (11 files indexed)')).toBe('is ready (11 files indexed)');
    expect(statusDetail('indexing 3 of 11 files')).toBe('indexing 3 of 11 files');
    expect(statusDetail('ECP Lens: indexing the workspace')).toBe('indexing the workspace');
  });
});
