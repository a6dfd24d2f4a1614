/**
 * Tests that need a tool from a Debian package (Wine, qemu): the tool's path, or the reason to skip,
 * printed as a visible line with the install command. Under CI=true a missing tool fails instead:
 * CI installs everything (.ci/run). A small stand-in until the shared needTool of
 * test/helpers/tools.ts is merged; then this file can go.
 */
import { findTool } from './tools.js';

export interface Need {
  path?: string;
  skip?: string;
}

/** Skip (or fail under CI) for this reason. */
export function missing(reason: string): Need {
  if (process.env.CI === 'true') throw new Error(`CI: ${reason}`);
  process.stdout.write(`# SKIPPED: ${reason}\n`);
  return { skip: reason };
}

export function needTool(tool: string, install: string): Need {
  try {
    return { path: findTool(tool) };
  } catch {
    return missing(`${tool} is not installed; install it with: ${install}`);
  }
}
