// Bundles the extension (client), the language server, the CLI and the webview into dist/,
// and copies the tree-sitter wasm files beside the server bundle.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = 'dist';

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const nodeTargets = [
  { entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/client.js`, external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: `${outdir}/server.js` },
  { entryPoints: ['server/src/cli.ts'], outfile: `${outdir}/cli.js` },
  // The workspace index reads and parses files off the server's thread.
  { entryPoints: ['server/src/indexWorker.ts'], outfile: `${outdir}/indexWorker.js` },
  // The worker threads of `ecp-lens check --jobs N`, found beside cli.js.
  { entryPoints: ['server/src/cli/worker.ts'], outfile: `${outdir}/cli-worker.js` },
].map((t) => ({
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__ecpLensImportMetaUrl' },
  banner: { js: "var __ecpLensImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  ...t,
}));

const webviewEntry = 'client/webview/main.ts';
const browserTargets = fs.existsSync(webviewEntry)
  ? [{ ...common, entryPoints: [webviewEntry], outfile: `${outdir}/webview.js`, platform: 'browser', format: 'iife', target: 'es2022' }]
  : [];

function copyAssets() {
  fs.mkdirSync(outdir, { recursive: true });
  const assets = [
    [require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'web-tree-sitter.wasm'],
    [require.resolve('tree-sitter-c/tree-sitter-c.wasm'), 'tree-sitter-c.wasm'],
    [require.resolve('tree-sitter-cpp/tree-sitter-cpp.wasm'), 'tree-sitter-cpp.wasm'],
  ];
  if (fs.existsSync('client/webview/panel.css')) assets.push(['client/webview/panel.css', 'webview.css']);
  for (const [from, to] of assets) fs.copyFileSync(from, path.join(outdir, to));
}

async function main() {
  copyAssets();
  const targets = [...nodeTargets, ...browserTargets];
  if (watch) {
    const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('esbuild: watching for changes');
    return;
  }
  await Promise.all(targets.map((t) => esbuild.build(t)));
  fs.chmodSync(`${outdir}/cli.js`, 0o755);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
