#!/usr/bin/env node
/**
 * The command's entry (dist/aws-mfa.cjs): a few lines. A plain check (src/plain-check.ts) goes
 * to the fast path (dist/fast.cjs), which answers when the session is still valid; everything
 * else, and a check it does not answer, to the full program (dist/main.cjs). Both are loaded
 * through the V8 code cache of src/io/chunk.ts, so a start does not parse and compile them again.
 */
import { requireChunk } from './io/chunk.js';
import { plainCheck } from './plain-check.js';

declare const __dirname: string;

const argv = process.argv.slice(2);
const check = plainCheck(argv);
const full = () => void requireChunk<typeof import('./cli.js')>(`${__dirname}/main.cjs`).run();

if (!check) full();
else {
  // the fast path gives up (false, or any error) before it writes anything: the program starts over
  new Promise<boolean>((done) => done(requireChunk<typeof import('./fast.js')>(`${__dirname}/fast.cjs`).answer(check, argv)))
    .catch(() => false)
    .then((answered) => answered || full());
}
