// npm run bench: bundles bench/bench.ts beside the server bundle (so it finds the wasm files) and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

await esbuild.build({
  entryPoints: [process.env.BENCH_ENTRY ?? 'bench/bench.ts'],
  outfile: 'dist/bench.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__ecpLensImportMetaUrl' },
  banner: { js: "var __ecpLensImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--expose-gc', 'dist/bench.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
