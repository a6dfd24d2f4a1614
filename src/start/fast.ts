/**
 * The fast path of a plain check (src/start/plain-check.ts), a chunk of its own (dist/fast.cjs): when
 * the stored session is still valid, it answers with the code the commands use
 * (service/profile-loader.ts, core/decision.ts, commands/cached.ts) and nothing else, so a start
 * compiles (or reads from the code cache) little. It carries only the cached path's messages
 * (messages/en-core.ts, ja-core.ts). Anything else (an error, a session to renew, a keychain) is
 * left to the full program, which starts over: nothing is written here before the answer is known.
 * A session to renew is handed on with what was read and decided (ctx.early), not read again.
 *
 * Measured (issue 24; exact instructions, node --predictable under callgrind, the cached check of a
 * 2-profile file, 103.6 M with every trick):
 * without the fast path (every check through main.cjs) 118.3 M: it saves 14.8 M, 14%.
 */
import { chooseLanguage } from '../messages/lang.js';
import { useCatalog, type Catalog } from '../messages/index.js';
import { jaCore } from '../messages/ja-core.js';
import { Logger, writeAll } from '../io/terminal.js';
import { osHome, osUser } from '../io/os-user.js';
import { loadForCheck } from '../service/profile-loader.js';
import { fileState, keptState } from '../service/cached-session.js';
import { DEFAULT_MIN_TTL } from '../core/decision.js';
import { stillValidText } from '../commands/cached.js';
import { credentialProcessJson } from '../core/formats.js';
import type { PlainCheck } from './plain-check.js';
import type { EarlyRead } from '../context.js';

/**
 * Answer a plain check whose session is still valid (true). A session to refresh: what was read
 * and decided, for the full program to go on with. Anything else: false. Nothing is written
 * unless the answer is true.
 */
export async function answer(
  { command, flags }: PlainCheck,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<true | EarlyRead | false> {
  const cp = command === 'credential-process';
  const windows = process.platform === 'win32';
  if (chooseLanguage(argv, env, windows, () => Intl.DateTimeFormat().resolvedOptions().locale) === 'ja')
    useCatalog(jaCore as Catalog);
  let said = ''; // what the command logs (warnings, then the answer), written once the answer is known
  const log = new Logger(cp ? 'WARNING' : 'INFO', (s) => (said += s));
  const platform = windows ? ('windows' as const) : ('linux' as const);
  const ctx = { env, platform, homedir: osHome, log, user: () => osUser(env) };
  // keys in the environment: the program warns, with the command for the user's shell (rare, and
  // the shell detection would be compiled on every start here)
  if (!cp && env.AWS_ACCESS_KEY_ID) return false;
  const loaded = await loadForCheck(flags, ctx, cp ? { sessionsFollowKeys: true } : {});
  // a role profile of the config: credential-process answers from its kept session while it is valid
  if ('keptRole' in loaded) {
    const wanted = { role: loaded.keptRole.role, minTtl: DEFAULT_MIN_TTL, force: false };
    const kept = keptState(loaded.stored, wanted, new Date());
    if (!cp || kept.action !== 'reuse') return false;
    writeAll(2, said);
    writeAll(1, credentialProcessJson(kept.session));
    return true;
  }
  if (cp && loaded.profile.sessionStore !== 'file') return false;
  const decision = fileState(loaded, new Date());
  if (decision.action === 'refresh') return { command, ...loaded, decision };
  if (decision.action !== 'reuse') return false;
  if (!cp) log.info(stillValidText(loaded.profile, flags, decision));
  writeAll(2, said);
  if (cp) writeAll(1, credentialProcessJson(decision.session));
  return true;
}
