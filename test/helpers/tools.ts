/**
 * Finding the machine's real tools: PATH first, then the image's pyenv shims. Loud when absent.
 *
 * The machine image brings Node, moto_server, aws and tmux (findTool). Tools from Debian packages
 * that a fresh machine may lack (tinyproxy, fish, ...) go through needTool: on a developer's
 * machine a test that needs one is skipped with a line naming the package and the command that
 * installs it; under CI=true (where .ci/run installs them) a missing one is a failure.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { homedir } from 'node:os';

/** The tool's path, or undefined when it is not on PATH nor in ~/.pyenv/shims. */
export function lookupTool(name: string, path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter), join(homedir(), '.pyenv', 'shims'), '/root/.pyenv/shims'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export function findTool(name: string): string {
  const p = lookupTool(name);
  if (p) return p;
  throw new Error(`${name} not found on PATH or in ~/.pyenv/shims; it comes with the machine image (pyenv Python with moto and awscli)`);
}

/** The skip reason for a missing Debian tool: the package and the command that installs it. */
export function missingToolReason(name: string, debianPackage: string): string {
  return `${name} is not installed; install it with: apt-get install -y ${debianPackage}`;
}

/**
 * For `test(name, { skip: needTool('tinyproxy', 'tinyproxy') }, fn)`: false when the tool is
 * there (the test runs), else the skip reason, which the test report prints beside the test.
 * Under CI=true a missing tool throws instead, failing the test file: CI must run every test.
 */
export function needTool(name: string, debianPackage: string, env: NodeJS.ProcessEnv = process.env): string | false {
  if (lookupTool(name, env.PATH ?? '')) return false;
  const reason = missingToolReason(name, debianPackage);
  if (env.CI === 'true') throw new Error(`CI=true: ${reason} (.ci/run installs it; a missing tool must not skip tests in CI)`);
  // once per tool and test file, on stderr, so it shows beside any reporter's output
  if (env === process.env && !announced.has(name)) {
    announced.add(name);
    process.stderr.write(`${reason} (skipping the tests that need it)\n`);
  }
  return reason;
}

const announced = new Set<string>();
