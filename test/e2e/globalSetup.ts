/**
 * Runs once per `vitest --config test/e2e/vitest.e2e.config.mts`: Debian packages, code-server
 * (cached in .e2e/), a fresh .vsix from dist/, and its installation into this run's extensions dir.
 */
import * as fs from 'node:fs';
import { ensureCodeServer, ensureDebianPackages, packageExtension, CODE_SERVER_VERSION } from './install';
import { installExtension, RESULTS_DIR, RUN_DIR } from './codeServer';
import { detectFeatures } from './features';

function timed<T>(label: string, fn: () => T): T {
  const started = Date.now();
  try {
    return fn();
  } finally {
    console.log(`[e2e] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

export default async function setup(): Promise<void> {
  const missing = timed('Debian packages', () => ensureDebianPackages());
  if (missing.length) console.log(`[e2e] installed Debian packages: ${missing.join(' ')}`);
  const cs = timed(`code-server ${CODE_SERVER_VERSION}`, () => ensureCodeServer());
  console.log(`[e2e] code-server ${cs.installed ? 'installed into .e2e/code-server' : 'already installed (cached)'}`);
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const vsix = timed('package .vsix', () => packageExtension());
  timed('install .vsix', () => installExtension(vsix));
  const features = await detectFeatures();
  const list = Object.entries(features).map(([name, on]) => `${name}=${on ? 'present' : 'absent (scenarios skipped)'}`);
  console.log(`[e2e] features: ${list.join(', ')}`);
}
