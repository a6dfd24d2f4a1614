// Bundles the CLI with esbuild into dist/:
//   aws-mfa.cjs    the command: loads fast.cjs or main.cjs from the V8 code cache (src/boot.ts)
//   loader.cjs     the full chunk loader (src/start/chunk.ts), for what the entry's cache hit does not handle
//   sea/main.cjs   the entry with the full loader inside: a single executable's main script (npm run package)
//   main.cjs       the lean program (CommonJS: it starts faster than an ES module): the session
//                  command's and credential-process's cached paths, and nothing else
//   cmd-*.cjs      each other command, loaded when it runs
//   get-session.cjs, setup.cjs, hints.cjs, session-done.cjs   the session command's slow paths
//   code-source.cjs   where an MFA code comes from (the entry hands it in as ctx.codes; loaded when one is due)
//   prompt-windows.cjs  the native Windows dialog; prompt-error.cjs  a failure shown in a dialog (no terminal)
//   messages-ja.cjs  the Japanese catalog
//   sts.cjs, iam.cjs  the AWS SDK's STS and IAM clients and our calls to them
//   aws-core.cjs   what sts.cjs and iam.cjs share (the SDK core: @smithy/*, @aws-sdk/core, the proxy
//                  agents), required by both, so a command that calls both services loads it once
//   write.cjs      the lock and atomic writes; qr.cjs  QR codes; keychain*.cjs  the OS keychain
//   session-lock.cjs  the refresh lock (one refresh of a session at a time, across processes)
// The chunks are declared once, in src/start/chunk-names.ts (its CHUNKS table), for the loaders and here.
// Sources are ES modules; every dynamic import() of one of these modules becomes a lazy load of
// its chunk (src/start/chunk.ts lazyChunk), and any other dynamic import of our own code is an error,
// so nothing slips into the entry by accident. Each chunk is a bundle of its own: modules they
// share are copied, so shared state never lives in a module (it is passed in the Context).
import { build, transform } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const src = (p) => resolve('src', p);
/** src/start/chunk-names.ts's CHUNKS (module under src/ -> file in dist/), read as the loaders' type is. */
async function chunkTable() {
  const { code } = await transform(readFileSync('src/start/chunk-names.ts', 'utf8'), { loader: 'ts', format: 'esm' });
  const { CHUNKS } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return CHUNKS;
}
const CHUNKS = await chunkTable();
// main.cjs (src/cli.ts) is built on its own (below), with a source map
const MAIN = src('cli.ts');
const chunks = new Map(Object.entries(CHUNKS).map(([module, file]) => [src(module), file]));

const SDK = [src('aws/sts.ts'), src('aws/iam.ts')];
const chunkOptions = (entry) => ({
  ...common,
  entryPoints: [entry],
  outfile: `dist/${chunks.get(entry)}`,
  define: { __VERSION__: JSON.stringify(pkg.version), __BUNDLED__: 'true' },
  minify: true,
});

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

// The packages both SDK clients are built on. A package missing here is merely bundled twice.
const SHARED = /^(@smithy\/[^/]+|@aws-sdk\/core|@aws-sdk\/xml-builder|@aws\/lambda-invoke-store|agent-base|debug|ms|http-proxy-agent|https-proxy-agent|proxy-agent-negotiate)(\/|$)/;
/** `node_modules/...` of a file in a package, or undefined. */
const moduleKey = (file) => {
  const at = file.replace(/\\/g, '/').indexOf('node_modules/');
  return at === -1 ? undefined : file.replace(/\\/g, '/').slice(at);
};
const isShared = (file) => {
  const key = moduleKey(file);
  return key !== undefined && SHARED.test(key.replace(/^(.*\/)?node_modules\//, ''));
};

/**
 * In sts.cjs and iam.cjs, every import of a shared package from code that is not itself shared
 * becomes `require('./aws-core.cjs')(KEY)`, KEY being the file it resolves to; the keys are
 * collected, and aws-core.cjs is then built to hand out exactly those modules (each evaluated on
 * first use, once for both chunks).
 */
const coreKeys = new Map(); // key -> absolute path
const RESOLVING = Symbol('resolving'); // marks the plugin's own resolve() call, which runs this callback again
const shareCore = {
  name: 'share-sdk-core',
  setup(b) {
    b.onResolve({ filter: /^\.\/aws-core\.cjs$/ }, () => ({ path: './aws-core.cjs', external: true }));
    b.onResolve({ filter: SHARED }, async (args) => {
      if (args.namespace !== 'file' || args.pluginData === RESOLVING || isShared(args.importer)) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: RESOLVING });
      if (r.errors.length > 0 || !isShared(r.path)) return undefined;
      const key = moduleKey(r.path);
      coreKeys.set(key, r.path);
      return { path: key, namespace: 'aws-core' };
    });
    b.onLoad({ filter: /.*/, namespace: 'aws-core' }, (args) => ({
      contents: `module.exports = require('./aws-core.cjs')(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * The fast path (fast.cjs) carries only the cached path's messages: there, the catalog module's
 * English is en-core.ts (a message it lacks is an error, and the fast path leaves the run to
 * main.cjs, which has them all).
 */
const coreCatalog = {
  name: 'core-catalog',
  setup(b) {
    b.onResolve({ filter: /^\.\/en\.js$/ }, (args) =>
      args.importer === src('messages/index.ts') ? { path: src('messages/en-core.ts'), namespace: 'core-catalog' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'core-catalog' }, (args) => ({
      contents: `export { enCore as en } from ${JSON.stringify(args.path)};`,
      loader: 'ts',
      resolveDir: src('messages'),
    }));
  },
};

/**
 * The fast path (fast.cjs) loads no chunk: its modules' lazyChunk is src/start/chunk-none.ts, which
 * gives up (the full program then starts over), so the loader is not carried twice.
 */
const noChunks = {
  name: 'no-chunks',
  setup(b) {
    const none = { path: src('start/chunk-none.ts') };
    const isLoader = (args) => resolve(args.resolveDir, args.path) === src('start/chunk.js');
    b.onResolve({ filter: /\/chunk\.js$/ }, (args) => (isLoader(args) ? none : undefined));
  },
};

/** The entry of aws-core.cjs: a lazy table of the shared modules the SDK chunks asked for. */
const coreEntry = {
  name: 'sdk-core-entry',
  setup(b) {
    b.onResolve({ filter: /^aws-core-entry$/ }, () => ({ path: 'aws-core-entry', namespace: 'aws-core-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'aws-core-entry' }, () => {
      const rows = [...coreKeys].sort().map(([key, path]) => `  ${JSON.stringify(key)}: () => require(${JSON.stringify(path)}),`);
      const contents = `const table = {\n${rows.join('\n')}\n};\nmodule.exports = (key) => table[key]();\n`;
      return { contents, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

// everything the build makes goes; dist/bin, the executables of `npm run package`, stays (a user who
// packed the npm install after them kept none): a test or person that runs one packages it again when
// it is older than the bundle (test/helpers/packaged.ts), and `npm pack` leaves it out (package.json)
for (const entry of existsSync('dist') ? readdirSync('dist') : []) {
  if (entry !== 'bin') rmSync(join('dist', entry), { recursive: true, force: true });
}
rmSync(join('dist', 'bin', '.packaging'), { recursive: true, force: true }); // a packaging's lock left by a killed run
const results = await Promise.all([
  // the command: a few lines that load fast.cjs or main.cjs from the V8 code cache (src/boot.ts),
  // and the same entry as a single executable's main script (npm run package), with the full
  // loader inside: there the chunks are assets, and the main script's require loads built-ins only
  ...[['dist/aws-mfa.cjs', false], ['dist/sea/main.cjs', true]].map(([outfile, sea]) =>
    build({
      ...common,
      entryPoints: ['src/boot.ts'],
      outfile,
      define: { __VERSION__: JSON.stringify(pkg.version), __BUNDLED__: 'true', __SEA_MAIN__: String(sea) },
      plugins: [splitChunks()],
      minify: true,
    }),
  ),
  // the program: the cached paths and the command table
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: `dist/${CHUNKS['cli.ts']}`,
    define: { __VERSION__: JSON.stringify(pkg.version), __BUNDLED__: 'true' },
    plugins: [splitChunks()],
    // less text to parse and compile at every start (identifiers too). A DEBUG stack trace then
    // names minified functions: dist/main.cjs.map (no sources inside, so it stays small) maps
    // it back to src/ file:line when run with NODE_OPTIONS=--enable-source-maps.
    minify: true,
    sourcemap: true,
    sourcesContent: false,
  }),
  // the SDK clients first, each with the shared SDK core left out; then that core, once
  (async () => {
    const clients = await Promise.all(SDK.map((entry) => build({ ...chunkOptions(entry), plugins: [splitChunks(), shareCore] })));
    return [...clients, await build({ ...common, entryPoints: ['aws-core-entry'], outfile: 'dist/aws-core.cjs', minify: true, plugins: [coreEntry] })];
  })(),
  ...[...chunks]
    .filter(([entry]) => !SDK.includes(entry) && entry !== MAIN)
    .map(([entry]) => {
      const plugins = entry === src('start/fast.ts') ? [splitChunks(), coreCatalog, noChunks] : [splitChunks()];
      return build({ ...chunkOptions(entry), plugins });
    }),
]);
// exactly the table's chunks, the entry and the SDK's shared core: nothing else is built
const built = readdirSync('dist').filter((f) => f.endsWith('.cjs')).sort();
const declared = [...new Set([...chunks.values(), 'aws-mfa.cjs', 'aws-core.cjs'])].sort();
if (built.join() !== declared.join()) {
  throw new Error(`dist/ holds ${built.join(', ')}; src/start/chunk-names.ts declares ${declared.join(', ')}`);
}
// the alias must hold for every way in (a subpath import, a second copy): no file of the real
// `debug` package may end up in any bundle
for (const r of results.flat()) {
  const leaked = Object.keys(r.metafile.inputs).filter((p) => /(^|\/)node_modules\/debug\//.test(p));
  if (leaked.length > 0) throw new Error(`the debug package is bundled (${leaked.join(', ')}); alias it to scripts/stubs/debug.cjs`);
}
chmodSync('dist/aws-mfa.cjs', 0o755);
