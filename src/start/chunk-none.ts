/**
 * What the fast path (dist/fast.cjs) has in place of the chunk loader (chunk.ts): it loads no
 * chunk. A run that would need one (the hints of an error, a write) is not a still-valid session,
 * so the fast path gives up there and the full program, which loads chunks, starts over. Keeps the
 * loader (4 KB) out of fast.cjs; the build puts it there (scripts/build.mjs).
 *
 * Measured (issue 24; exact instructions, node --predictable under callgrind, the cached check of a
 * 2-profile file, 103.6 M with every trick): with the loader in fast.cjs 103.8 M: it saves 0.2 M,
 * 0.2%, under the 1% a trick must save. It stays for now because test/e2e/fastpath.test.ts pins
 * it (no loader in fast.cjs, the 37,500-byte budget it meets without one); the lead's call.
 */
import type { ChunkFile } from './chunk-names.js';

export function lazyChunk<T>(file: ChunkFile, _load: () => Promise<T>): () => Promise<T> {
  return () => Promise.reject(new Error(`the fast path loads no chunk (${file})`));
}
