/**
 * needTool (test/helpers/tools.ts) for tests that also need the tool's path, or that skip for a
 * reason of their own (a package without a command of the same name, like the arm64 C libraries):
 * the path, or the reason to skip, printed with the install command. Under CI=true a missing tool
 * fails instead: CI installs everything (.ci/run).
 */
import { lookupTool, missingToolReason } from './tools.js';

export interface Need {
  path?: string;
  skip?: string;
}

/** Skip (or fail under CI) for this reason. */
export function missing(reason: string): Need {
  if (process.env.CI === 'true') throw new Error(`CI=true: ${reason} (.ci/run installs it; a missing tool must not skip tests in CI)`);
  process.stderr.write(`${reason} (skipping the tests that need it)\n`);
  return { skip: reason };
}

/** `install`: the Debian package, or the whole install command when it is more than one package. */
export function needTool(tool: string, install: string): Need {
  const path = lookupTool(tool);
  if (path) return { path };
  return missing(install.includes(' ') ? `${tool} is not installed; install it with: ${install}` : missingToolReason(tool, install));
}
