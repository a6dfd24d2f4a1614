// Bundles the CLI with esbuild into dist/:
//   aws-mfa.cjs    the command: loads main.cjs through the V8 code cache (src/boot.ts)
//   main.cjs       the lean program (CommonJS: it starts faster than an ES module): the session
//                  command's and credential-process's cached paths, and nothing else
//   cmd-*.cjs      each other command, loaded when it runs
//   get-session.cjs, setup.cjs, hints.cjs, session-done.cjs   the session command's slow paths
//   messages-ja.cjs  the Japanese catalog
//   sts.cjs, iam.cjs  the AWS SDK's STS and IAM clients and our calls to them
//   write.cjs      the lock and atomic writes; qr.cjs  QR codes; keychain*.cjs  the OS keychain
// Sources are ES modules; every dynamic import() of one of these modules becomes a lazy load of
// its chunk (src/io/chunk.ts lazyChunk), and any other dynamic import of our own code is an error,
// so nothing slips into the entry by accident. Each chunk is a bundle of its own: modules they
// share are copied, so shared state never lives in a module (it is passed in the Context).
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { resolve, dirname, basename } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const src = (p) => resolve('src', p);
const chunks = new Map([
  [src('aws/sts.ts'), 'sts.cjs'],
  [src('aws/iam.ts'), 'iam.cjs'],
  [src('io/write.ts'), 'write.cjs'],
  [src('io/qr.ts'), 'qr.cjs'],
  [src('io/keychain.ts'), 'keychain.cjs'],
  [src('service/keychain-sessions.ts'), 'keychain-sessions.cjs'],
  [src('service/get-session.ts'), 'get-session.cjs'],
  [src('service/hints.ts'), 'hints.cjs'],
  [src('commands/setup.ts'), 'setup.cjs'],
  [src('commands/session-done.ts'), 'session-done.cjs'],
  [src('messages/ja.ts'), 'messages-ja.cjs'],
]);
for (const f of readdirSync('src/commands')) {
  const name = basename(f, '.ts');
  if (['spec', 'options', 'registry', 'root', 'credential-process', 'setup', 'session-done'].includes(name)) continue;
  chunks.set(src(`commands/${f}`), `cmd-${name}.cjs`);
}

const common = {
  bundle: true,
  metafile: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  // aws-mfa always passes the credentials to use, so the SDK's default provider chain is
  // replaced by a stub; bowser is the SDK's browser user-agent parser, imported only in browsers;
  // `debug` (in the proxy agents) would print proxy passwords whenever DEBUG is set: a no-op
  alias: { '@aws-sdk/credential-provider-node': './scripts/stubs/credential-provider-node.cjs', debug: './scripts/stubs/debug.cjs' },
  // @napi-rs/keyring is a native addon: required at run time from node_modules, by the keychain
  // code only, and only when an entry is touched
  external: ['bowser', '@napi-rs/keyring'],
};

/** A dynamic import of one of our modules becomes its chunk file (external); others are errors. */
const splitChunks = () => ({
  name: 'split-chunks',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const abs = resolve(dirname(args.importer), args.path).replace(/\.js$/, '.ts');
      const file = chunks.get(abs);
      if (!file) throw new Error(`${args.path} (imported dynamically from ${args.importer}) is not a chunk: add it to scripts/build.mjs`);
      return { path: `./${file}`, external: true };
    });
  },
});

rmSync('dist', { recursive: true, force: true });
const results = await Promise.all([
  // the command: a few lines that load main.cjs through the V8 code cache (src/boot.ts)
  build({
    ...common,
    entryPoints: ['src/boot.ts'],
    outfile: 'dist/aws-mfa.cjs',
    define: { __VERSION__: JSON.stringify(pkg.version), __BUNDLED__: 'true' },
    plugins: [splitChunks()],
    minify: true,
  }),
  // the program: the cached paths and the command table
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/main.cjs',
    define: { __VERSION__: JSON.stringify(pkg.version), __BUNDLED__: 'true' },
    plugins: [splitChunks()],
    // less text to parse and compile at every start (identifiers too). A DEBUG stack trace then
    // names minified functions: dist/main.cjs.map (no sources inside, so it stays small) maps
    // it back to src/ file:line when run with NODE_OPTIONS=--enable-source-maps.
    minify: true,
    sourcemap: true,
    sourcesContent: false,
  }),
  ...[...chunks].map(([entry, file]) =>
    build({
      ...common,
      entryPoints: [entry],
      outfile: `dist/${file}`,
      define: { __VERSION__: JSON.stringify(pkg.version), __BUNDLED__: 'true' },
      plugins: [splitChunks()],
      minify: true,
    }),
  ),
]);
// the alias must hold for every way in (a subpath import, a second copy): no file of the real
// `debug` package may end up in any bundle
for (const r of results) {
  const leaked = Object.keys(r.metafile.inputs).filter((p) => /(^|\/)node_modules\/debug\//.test(p));
  if (leaked.length > 0) throw new Error(`the debug package is bundled (${leaked.join(', ')}); alias it to scripts/stubs/debug.cjs`);
}
chmodSync('dist/aws-mfa.cjs', 0o755);
