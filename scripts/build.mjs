// Bundles the CLI with esbuild into dist/:
//   aws-mfa.cjs  the lean entry (CommonJS: it starts faster than an ES module entry)
//   sts.cjs      the AWS SDK's STS client and our calls to it, required only on paths that call STS
//   iam.cjs      the same for IAM (device lookup and lifecycle)
//   aws-core.cjs what sts.cjs and iam.cjs share (the SDK core: @smithy/*, @aws-sdk/core, the proxy
//                agents), required by both, so a command that calls both services loads it once
//   write.cjs    the lock and atomic-write libraries, required only on paths that write
//   qr.cjs       the QR code library, required only by the device commands
// Sources are ES modules; the entry reaches the chunks through dynamic import(), which esbuild
// turns into a lazy require() of the external chunk file.
import { build } from 'esbuild';
import { readFileSync, rmSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const sdkChunks = [
  { request: /^\.\/sts\.js$/, entry: 'src/aws/sts.ts', out: 'dist/sts.cjs', file: './sts.cjs' },
  { request: /^\.\/iam\.js$/, entry: 'src/aws/iam.ts', out: 'dist/iam.cjs', file: './iam.cjs' },
];
const chunks = [
  ...sdkChunks,
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

const sdkOptions = {
  ...common,
  minify: true,
  // aws-mfa always passes the credentials to use, so the SDK's default provider chain is
  // replaced by a stub; bowser is the SDK's browser user-agent parser, imported only in browsers
  alias: { '@aws-sdk/credential-provider-node': './scripts/stubs/credential-provider-node.cjs' },
  external: ['bowser'],
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
  (async () => {
    await Promise.all(sdkChunks.map((c) => build({ ...sdkOptions, entryPoints: [c.entry], outfile: c.out, plugins: [shareCore] })));
    await build({ ...sdkOptions, entryPoints: ['aws-core-entry'], outfile: 'dist/aws-core.cjs', plugins: [coreEntry] });
  })(),
  ...chunks
    .filter((c) => !sdkChunks.includes(c))
    .map((c) => build({ ...sdkOptions, entryPoints: [c.entry], outfile: c.out })),
]);
chmodSync('dist/aws-mfa.cjs', 0o755);
