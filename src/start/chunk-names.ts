/**
 * Every chunk of the bundle, declared once: the module (under src/) each is built from, and the
 * file it is built as in dist/. The build (scripts/build.mjs) makes exactly these; the loaders
 * (chunk.ts lazyChunk, src/boot.ts) take a ChunkFile, so a name the build does not make does not
 * compile, and test/unit/chunk-table.test.ts checks that each load imports the module its file is
 * built from and that nothing is built that nothing loads. A dynamic import() of a module not
 * listed here fails the build. Types only at run time: no chunk carries this table.
 */
export const CHUNKS = {
  // the entry's two halves (src/boot.ts): the fast path, the full program, and the full loader
  'start/fast.ts': 'fast.cjs',
  'cli.ts': 'main.cjs',
  'start/chunk.ts': 'loader.cjs',
  // the AWS SDK's clients (with aws-core.cjs, which the build makes from what both share)
  'aws/sts.ts': 'sts.cjs',
  'aws/iam.ts': 'iam.cjs',
  'io/write.ts': 'write.cjs',
  'io/session-lock.ts': 'session-lock.cjs',
  'io/qr.ts': 'qr.cjs',
  'io/code-source.ts': 'code-source.cjs',
  'io/prompt/windows.ts': 'prompt-windows.cjs',
  'io/prompt/error-dialog.ts': 'prompt-error.cjs',
  'service/keychain-entries.ts': 'keychain-entries.cjs',
  'service/get-session.ts': 'get-session.cjs',
  'service/hints.ts': 'hints.cjs',
  'service/role-loader.ts': 'role-loader.cjs',
  'commands/setup.ts': 'setup.cjs',
  'commands/session-done.ts': 'session-done.cjs',
  'messages/ja.ts': 'messages-ja.cjs',
  // the commands of commands/registry.ts
  'commands/clear.ts': 'cmd-clear.cjs',
  'commands/completion.ts': 'cmd-completion.cjs',
  'commands/console.ts': 'cmd-console.cjs',
  'commands/device.ts': 'cmd-device.cjs',
  'commands/exec.ts': 'cmd-exec.cjs',
  'commands/export.ts': 'cmd-export.cjs',
  'commands/help.ts': 'cmd-help.cjs',
  'commands/init.ts': 'cmd-init.cjs',
  'commands/keys.ts': 'cmd-keys.cjs',
  'commands/rotate.ts': 'cmd-rotate.cjs',
  'commands/serve.ts': 'cmd-serve.cjs',
  'commands/setup-credential-process.ts': 'cmd-setup-credential-process.cjs',
  'commands/status.ts': 'cmd-status.cjs',
  'commands/whoami.ts': 'cmd-whoami.cjs',
} as const;

/** A chunk's file name in dist/. */
export type ChunkFile = (typeof CHUNKS)[keyof typeof CHUNKS];
