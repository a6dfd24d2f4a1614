// Types of node-dist.mjs for the TypeScript tests that use it.
export interface PinnedPackage {
  file: string;
  tarball: string;
  binary: string;
}
export const PINS: {
  targets: Record<string, { node: string; out: string; addons: Record<string, string> }>;
  packages: Record<string, PinnedPackage>;
};
export function cacheRoot(env?: NodeJS.ProcessEnv): string;
export function sha256File(path: string): string;
export function digestsOf(spec: string, root?: string): PinnedPackage;
export function pinnedFile(spec: string, opts?: { root?: string; log?: (s: string) => void }): string;
export function nodeBinary(spec: string, opts?: { root?: string; log?: (s: string) => void }): string;
