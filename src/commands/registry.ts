/**
 * Every subcommand and how to load its declaration: each is a chunk of its own in the bundle
 * (loaded on demand, so a start pays only for the command it runs). credential-process lives in
 * the entry, beside the session command: both have cached paths that must start fast.
 */
import { lazyChunk } from '../start/chunk.js';
import { credentialProcess } from './credential-process.js';
import type { CommandDef } from './spec.js';
import type { ChunkFile } from '../start/chunk-names.js';

export type CommandModule = { commands: CommandDef[] };
const chunk = (file: ChunkFile, load: () => Promise<unknown>) =>
  lazyChunk<CommandModule>(file, load as () => Promise<CommandModule>);

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  export: chunk('cmd-export.cjs', () => import('./export.js')),
  exec: chunk('cmd-exec.cjs', () => import('./exec.js')),
  'credential-process': () => Promise.resolve({ commands: [credentialProcess as CommandDef] }),
  'setup-credential-process': chunk('cmd-setup-credential-process.cjs', () => import('./setup-credential-process.js')),
  serve: chunk('cmd-serve.cjs', () => import('./serve.js')),
  status: chunk('cmd-status.cjs', () => import('./status.js')),
  whoami: chunk('cmd-whoami.cjs', () => import('./whoami.js')),
  console: chunk('cmd-console.cjs', () => import('./console.js')),
  clear: chunk('cmd-clear.cjs', () => import('./clear.js')),
  device: chunk('cmd-device.cjs', () => import('./device.js')),
  init: chunk('cmd-init.cjs', () => import('./init.js')),
  completion: chunk('cmd-completion.cjs', () => import('./completion.js')),
  keys: chunk('cmd-keys.cjs', () => import('./keys.js')),
  rotate: chunk('cmd-rotate.cjs', () => import('./rotate.js')),
  help: chunk('cmd-help.cjs', () => import('./help.js')),
};

export const loadHelp = lazyChunk<typeof import('./help.js')>('cmd-help.cjs', () => import('./help.js'));
