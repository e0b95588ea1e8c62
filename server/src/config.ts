/**
 * The settings schema: one source for defaults, validation and package.json's
 * contributes.configuration (a test cross-checks them).
 */
import { RULE_CODES, type Severity } from './rules/registry';

export type RuleSetting = Severity | 'off';

export interface Settings {
  diagnosticsDelay: number;
  rules: Record<string, RuleSetting>;
  maxPathsPerFunction: number;
  workspaceIndexing: boolean;
  codeLens: boolean;
  compileCommands: string;
}

export interface SettingSchema {
  type: 'number' | 'boolean' | 'object' | 'string';
  default: unknown;
  description: string;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  additionalProperties?: unknown;
  propertyNames?: unknown;
}

const RULE_SETTING_VALUES: RuleSetting[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Keys are the full setting names under `ecpLens.`. */
export const SETTINGS_SCHEMA: Record<string, SettingSchema> = {
  'ecpLens.diagnosticsDelay': {
    type: 'number',
    default: 200,
    minimum: 0,
    maximum: 10000,
    description: 'Milliseconds to wait after the last edit before diagnostics are recomputed and published. 0 publishes at once.',
  },
  'ecpLens.rules': {
    type: 'object',
    default: {},
    additionalProperties: { type: 'string', enum: RULE_SETTING_VALUES },
    propertyNames: { enum: [...RULE_CODES] },
    description: 'Severity per rule code (error, warning, information, hint) or "off" to turn a rule off, e.g. { "ecp-untrusted-ecp": "off" }.',
  },
  'ecpLens.maxPathsPerFunction': {
    type: 'number',
    default: 8192,
    minimum: 16,
    maximum: 100000,
    description: 'How many paths the analysis explores in one function before it stops exploring that function (and says so in the output log).',
  },
  'ecpLens.workspaceIndexing': {
    type: 'boolean',
    default: true,
    description: 'Index the C/C++ files of the workspace in the background for rules that look across files (ecp-lookaside-not-deleted).',
  },
  'ecpLens.codeLens': {
    type: 'boolean',
    default: true,
    description: 'Show a "Simulate pool" code lens above functions that call ECP routines.',
  },
  'ecpLens.compileCommands': {
    type: 'string',
    default: '',
    description: 'Path of the compile database (compile_commands.json) that gives each file its include folders, defines and language; relative paths and ${workspaceFolder} refer to the first workspace folder. Empty: compile_commands.json at a workspace folder\'s root or in its build/ folder.',
  },
};

export const DEFAULT_SETTINGS: Settings = {
  diagnosticsDelay: 200,
  rules: {},
  maxPathsPerFunction: 8192,
  workspaceIndexing: true,
  codeLens: true,
  compileCommands: '',
};

/** Accepts whatever a client sends under `ecpLens` and keeps only valid values. */
export function normalizeSettings(raw: unknown): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, rules: {} };
  if (!raw || typeof raw !== 'object') return s;
  const r = raw as Record<string, unknown>;
  s.diagnosticsDelay = clampNumber(r.diagnosticsDelay, 0, 10000, DEFAULT_SETTINGS.diagnosticsDelay);
  s.maxPathsPerFunction = clampNumber(r.maxPathsPerFunction, 16, 100000, DEFAULT_SETTINGS.maxPathsPerFunction);
  if (typeof r.workspaceIndexing === 'boolean') s.workspaceIndexing = r.workspaceIndexing;
  if (typeof r.codeLens === 'boolean') s.codeLens = r.codeLens;
  if (typeof r.compileCommands === 'string' && r.compileCommands.length <= 4096) s.compileCommands = r.compileCommands;
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, value] of Object.entries(r.rules as Record<string, unknown>)) {
      if (RULE_CODES.includes(code) && RULE_SETTING_VALUES.includes(value as RuleSetting)) {
        s.rules[code] = value as RuleSetting;
      }
    }
  }
  return s;
}

function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}
