/**
 * Installs what the end-to-end tests need, once, into the ignored folder `.e2e/`:
 * Debian packages (checked with dpkg, installed with apt-get when running as root), code-server
 * from the npm registry following test/e2e/README.md (with a marker file so a warm run skips it),
 * and a fresh .vsix of the extension built from the existing dist/.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** Bump when the install steps change so cached installs are redone. */
const RECIPE_REVISION = 1;

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const E2E_DIR = path.join(REPO_ROOT, '.e2e');
export const CODE_SERVER_PREFIX = path.join(E2E_DIR, 'code-server');
export const CODE_SERVER_PACKAGE = path.join(CODE_SERVER_PREFIX, 'node_modules/code-server');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_PACKAGE, 'out/node/entry.js');
export const VSIX_PATH = path.join(E2E_DIR, 'ecp-lens.vsix');
export const INSTALL_LOG = path.join(E2E_DIR, 'install.log');
const MARKER = path.join(CODE_SERVER_PREFIX, '.ecp-lens-e2e-installed.json');

export const DEBIAN_PACKAGES = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'ripgrep', 'chromium'];
const NATIVE_MODULES = ['kerberos', 'node-pty', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog'];

/** Runs one install command; output goes to .e2e/install.log and a failure names the step. */
function run(stepName: string, command: string, args: string[], options: SpawnSyncOptions = {}): void {
  fs.mkdirSync(E2E_DIR, { recursive: true });
  fs.appendFileSync(INSTALL_LOG, `\n### ${stepName}\n$ ${command} ${args.join(' ')}  (cwd ${options.cwd ?? process.cwd()})\n`);
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 15 * 60_000,
    ...options,
    env: { ...process.env, npm_config_update_notifier: 'false', ...options.env },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  fs.appendFileSync(INSTALL_LOG, output);
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    const tail = output.split('\n').slice(-30).join('\n');
    throw new Error(`e2e install step "${stepName}" failed (${why}). Full log: ${INSTALL_LOG}\n${tail}`);
  }
}

function isDebianPackageInstalled(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

/** Installs missing Debian packages when root; otherwise fails with the command to run. */
export function ensureDebianPackages(): string[] {
  const missing = DEBIAN_PACKAGES.filter((p) => !isDebianPackageInstalled(p));
  if (missing.length === 0) return [];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `e2e tests need Debian packages that are missing: ${missing.join(' ')}.\n` +
        `Install them as root: apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get update', 'apt-get', ['update', '-qq'], { env });
  run(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '-qq', ...missing], { env });
  return missing;
}

function nodeGypScript(): string {
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout?.trim();
  const candidates = [
    npmRoot && path.join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js'),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`e2e install: node-gyp not found (looked in ${candidates.join(', ')})`);
  return found;
}

function nodeHeadersDir(): string {
  // Debian's nodejs ships its headers in /usr/include/node; elsewhere node-gyp may fetch them.
  return fs.existsSync('/usr/include/node/node.h') ? '/usr' : path.dirname(path.dirname(process.execPath));
}

export function isCodeServerInstalled(): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8')) as { version?: string; recipe?: number };
    return marker.version === CODE_SERVER_VERSION && marker.recipe === RECIPE_REVISION && fs.existsSync(CODE_SERVER_ENTRY);
  } catch {
    return false;
  }
}

function symlink(target: string, linkPath: string): void {
  fs.rmSync(linkPath, { force: true, recursive: true });
  fs.symlinkSync(target, linkPath);
}

/** Installs code-server into .e2e/code-server unless the marker says the right version is there. */
export function ensureCodeServer(): { installed: boolean; seconds: number } {
  const started = Date.now();
  if (isCodeServerInstalled()) return { installed: false, seconds: 0 };
  fs.rmSync(CODE_SERVER_PREFIX, { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_PREFIX, { recursive: true });
  fs.writeFileSync(INSTALL_LOG, `e2e install started ${new Date().toISOString()}\n`);
  // Its own package.json, so npm never touches the repository's package.json or lock file.
  fs.writeFileSync(
    path.join(CODE_SERVER_PREFIX, 'package.json'),
    JSON.stringify({ name: 'ecp-lens-e2e-code-server', private: true, description: 'installed by test/e2e/install.ts' }, null, 2),
  );
  const npmFlags = ['--no-audit', '--no-fund'];
  run('npm install code-server', 'npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', ...npmFlags], {
    cwd: CODE_SERVER_PREFIX,
  });
  run('npm rebuild argon2', 'npm', ['rebuild', 'argon2'], { cwd: CODE_SERVER_PREFIX });

  const vscodeDir = path.join(CODE_SERVER_PACKAGE, 'lib/vscode');
  run('npm install (lib/vscode)', 'npm', ['install', '--omit=dev', '--ignore-scripts', ...npmFlags], { cwd: vscodeDir });
  const gyp = nodeGypScript();
  for (const mod of NATIVE_MODULES) {
    run(`node-gyp rebuild ${mod}`, process.execPath, [gyp, 'rebuild', `--nodedir=${nodeHeadersDir()}`], {
      cwd: path.join(vscodeDir, 'node_modules', mod),
    });
  }
  const rgBin = path.join(vscodeDir, 'node_modules/@vscode/ripgrep/bin');
  fs.mkdirSync(rgBin, { recursive: true });
  symlink('/usr/bin/rg', path.join(rgBin, 'rg'));
  symlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  symlink('code-linux.sh', path.join(vscodeDir, 'bin/remote-cli/code-server'));
  symlink('browser-linux.sh', path.join(vscodeDir, 'bin/helpers/browser.sh'));
  run('npm install (lib/vscode/extensions)', 'npm', ['install', '--omit=dev', ...npmFlags], { cwd: path.join(vscodeDir, 'extensions') });

  fs.writeFileSync(MARKER, JSON.stringify({ version: CODE_SERVER_VERSION, recipe: RECIPE_REVISION, at: new Date().toISOString() }));
  return { installed: true, seconds: (Date.now() - started) / 1000 };
}

/**
 * Packages the extension from the existing dist/ (never a production rebuild: other test runs may
 * be reading dist/ at the same time). Builds dist/ first only when it is missing.
 */
export function packageExtension(): string {
  const needed = ['dist/client.js', 'dist/server.js'];
  if (needed.some((f) => !fs.existsSync(path.join(REPO_ROOT, f)))) {
    run('build dist/ (node esbuild.mjs)', process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT });
  }
  fs.mkdirSync(E2E_DIR, { recursive: true });
  fs.rmSync(VSIX_PATH, { force: true });
  const vsce = path.join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce');
  run('vsce package', process.execPath, [vsce, 'package', '--no-dependencies', '--out', VSIX_PATH], { cwd: REPO_ROOT });
  if (!fs.existsSync(VSIX_PATH)) throw new Error(`e2e install: vsce did not write ${VSIX_PATH}`);
  return VSIX_PATH;
}
