#!/usr/bin/env node
/**
 * The command's entry (dist/aws-mfa.cjs): a few lines that load the program (dist/main.cjs) through
 * the V8 code cache of src/io/chunk.ts, so a start does not parse and compile the program again.
 * Node 20 has no compile cache of its own for the main script (Node 22's module.enableCompileCache()
 * would do this); without a safe cache folder it is a plain require.
 */
import { requireChunk } from './io/chunk.js';

declare const __dirname: string;

void requireChunk<typeof import('./cli.js')>(`${__dirname}/main.cjs`).run();
