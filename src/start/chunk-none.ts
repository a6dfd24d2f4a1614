/**
 * What the fast path (dist/fast.cjs) has in place of the chunk loader (chunk.ts): it loads no
 * chunk. A run that would need one (the hints of an error, a write) is not a still-valid session,
 * so the fast path gives up there and the full program, which loads chunks, starts over. Keeps the
 * loader (4 KB) out of fast.cjs; the build puts it there (scripts/build.mjs).
 */
import type { ChunkFile } from './chunk-names.js';

export function lazyChunk<T>(file: ChunkFile, _load: () => Promise<T>): () => Promise<T> {
  return () => Promise.reject(new Error(`the fast path loads no chunk (${file})`));
}
