// Bundles the CLI with esbuild into dist/:
//   aws-mfa.cjs  the lean entry (CommonJS: it starts faster than an ES module entry)
//   sts.cjs      the AWS SDK's STS client and our calls to it, required only on paths that call STS
//   iam.cjs      the same for IAM (device lookup and lifecycle)
//   write.cjs    the lock and atomic-write libraries, required only on paths that write
//   qr.cjs       the QR code library, required only by the device commands
// Sources are ES modules; the entry reaches the chunks through dynamic import(), which esbuild
// turns into a lazy require() of the external chunk file.
import { build } from 'esbuild';
import { readFileSync, rmSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const chunks = [
  { request: /^\.\/sts\.js$/, entry: 'src/aws/sts.ts', out: 'dist/sts.cjs', file: './sts.cjs' },
  { request: /^\.\/iam\.js$/, entry: 'src/aws/iam.ts', out: 'dist/iam.cjs', file: './iam.cjs' },
  { request: /^\.\/write\.js$/, entry: 'src/io/write.ts', out: 'dist/write.cjs', file: './write.cjs' },
  { request: /^\.\/qr\.js$/, entry: 'src/io/qr.ts', out: 'dist/qr.cjs', file: './qr.cjs' },
];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
};

/** Imports of a chunk module from the entry become a require of the chunk file next to it. */
const splitChunks = {
  name: 'split-chunks',
  setup(b) {
    for (const c of chunks) {
      b.onResolve({ filter: c.request }, (args) => {
        if (args.kind !== 'dynamic-import') throw new Error(`${c.entry} must only be imported dynamically (from ${args.importer})`);
        return { path: c.file, external: true };
      });
    }
  },
};

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['src/bin.ts'],
    outfile: 'dist/aws-mfa.cjs',
    define: { __VERSION__: JSON.stringify(pkg.version), __BUNDLED__: 'true' },
    plugins: [splitChunks],
    // less text to parse and compile at every start (identifiers too). A DEBUG stack trace then
    // names minified functions: dist/aws-mfa.cjs.map (no sources inside, so it stays small) maps
    // it back to src/ file:line when run with NODE_OPTIONS=--enable-source-maps.
    minify: true,
    sourcemap: true,
    sourcesContent: false,
  }),
  ...chunks.map((c) =>
    build({
      ...common,
      entryPoints: [c.entry],
      outfile: c.out,
      minify: true,
      // aws-mfa always passes the credentials to use, so the SDK's default provider chain is
      // replaced by a stub; bowser is the SDK's browser user-agent parser, imported only in browsers
      alias: { '@aws-sdk/credential-provider-node': './scripts/stubs/credential-provider-node.cjs' },
      external: ['bowser'],
    }),
  ),
]);
chmodSync('dist/aws-mfa.cjs', 0o755);
