#!/usr/bin/env node
/**
 * The command's entry (dist/aws-mfa.cjs): a few lines. A plain check (src/start/plain-check.ts) goes
 * to the fast path (dist/fast.cjs), which answers when the session is still valid; everything
 * else, and a check it does not answer, to the full program (dist/main.cjs). Both come from the
 * V8 code cache: Node compiles this file from source on every start, so it carries only the
 * cache's hit (src/start/chunk-hit.ts); anything else (a miss, a link on the way to the cache,
 * Windows) is the full loader's (src/start/chunk.ts, dist/loader.cjs). A single executable's main
 * script is built from this file with the full loader inside (dist/sea/main.cjs).
 */
import { cachedChunk, useLoaderEnv } from './start/chunk-hit.js';
import { requireChunk } from './start/chunk.js';
import { plainCheck } from './start/plain-check.js';
import { startSea } from './io/sea-main.js';
import type { ChunkFile } from './start/chunk-names.js';

declare const __dirname: string;
declare const require: NodeJS.Require;
/** The single executable's main script (dist/sea/main.cjs): its chunks are assets, its require knows built-ins only. */
declare const __SEA_MAIN__: boolean;

// the entry reads argv and the environment; everything below is handed them (test/unit/inputs-at-entry.test.ts)
const argv = process.argv.slice(2);
const env = process.env;
useLoaderEnv(env);
// only a single executable runs dist/sea/main.cjs: esbuild drops this (and its module) from dist/aws-mfa.cjs
if (__SEA_MAIN__) startSea(argv, env);

const loader = () => require(`${__dirname}/${'loader.cjs' satisfies ChunkFile}`) as typeof import('./start/chunk.js');
function load<T>(name: ChunkFile): T {
  const file = `${__dirname}/${name}`;
  if (__SEA_MAIN__) return requireChunk<T>(file, env);
  // a chunk asks the entry for built-ins only; anything else is the full loader's business
  const req = ((id: string) => process.getBuiltinModule(id) ?? loader().chunkRequire(file, env)(id)) as NodeJS.Require;
  return cachedChunk<T>(file, req, env) ?? loader().requireChunk<T>(file, env);
}

const check = plainCheck(argv);
const full = (early?: import('./context.js').EarlyRead) => void load<typeof import('./cli.js')>('main.cjs').run(early);

if (!check) full();
else {
  // the fast path gives up (false, or any error) before it writes anything: the program starts over;
  // a session to refresh goes on in the full program with what the fast path read and decided
  type Fast = typeof import('./start/fast.js');
  new Promise<Awaited<ReturnType<Fast['answer']>>>((done) => done(load<Fast>('fast.cjs').answer(check, argv, env)))
    .catch(() => false as const)
    .then((answered) => answered === true || full(answered || undefined));
}
