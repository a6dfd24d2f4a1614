/**
 * `aws-mfa clear [--profile P]`: remove the short-term section, so the next run asks for a code.
 * Only sessions: a section holding long-term keys is never removed, whatever the flags.
 */
import { EXIT, configError } from '../errors.js';
import { t } from '../messages/index.js';
import { filePaths } from '../context.js';
import { removeFromProfile, readProfiles } from '../io/store.js';
import { resolveNames, suggest } from '../core/names.js';
import { storedSessionFromSection } from '../core/credentials.js';
import { keyLocation, keychainIdOf } from '../core/key-location.js';
import { keychainSessionAt } from '../service/session-store.js';
import { PROFILE_OPTIONS, COMMON_OPTIONS, sessionFlags, logLevelOf } from './options.js';
import { command } from './spec.js';
import type { Context } from '../context.js';
import { isRoleConfig } from '../core/role.js';
import { loadProfile, type LoadedProfile } from '../service/profile-loader.js';
import { keptWhere, removeKept } from '../service/role-store.js';
import { lazyChunk } from '../start/chunk.js';

const loadHints = lazyChunk<typeof import('../service/hints.js')>('hints.cjs', () => import('../service/hints.js'));

export const clear = command({
  spec: {
    name: 'clear',
    summary: 'cmd.clear',
    usage: '[--profile NAME] [options]',
    options: { ...PROFILE_OPTIONS, ...COMMON_OPTIONS },
    examples: ['aws-mfa clear --profile work', 'aws-mfa clear -s work-long-term -d work'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const flags = sessionFlags(v);
    const names = resolveNames(flags, ctx.env);
    const path = filePaths(ctx).credentials;
    const read = readProfiles(path, 'credentials', [names.shortTerm, names.longTerm], ctx.env);
    const short = read.profiles.get(names.shortTerm);
    // keychain: with the key in the keychain, the session kept there goes too
    const lt = read.profiles.get(names.longTerm);
    // a role profile of the config: its session is in the private cache folder, or the keychain
    const ownConfig = () =>
      readProfiles(filePaths(ctx).config, 'config', [names.profile], ctx.env).profiles.get(names.profile);
    if (!lt && names.form === 'suffix' && isRoleConfig(ownConfig())) {
      return clearRole(await loadProfile(flags, ctx), ctx);
    }
    let inKeychain = false;
    const id = lt ? keychainIdOf(lt) : undefined;
    if (lt && keyLocation(lt) === 'keychain' && id !== 'invalid') {
      // no id yet: the key is still under the old shared name, and so is its session
      const { longTerm: section, shortTerm, profile } = names;
      const kept = keychainSessionAt({ section, shortTerm, profile, file: path, ...(id ? { id } : {}) }, ctx);
      inKeychain = await kept.forget();
      if (inKeychain) ctx.log.info(t('clear.keychainDone', { section: names.shortTerm, store: await kept.name() }));
    }
    if (!short) {
      if (inKeychain) return EXIT.OK;
      // neither the session nor its keys: a name mistyped, said as a session would say it, with the one meant
      if (!lt) throw (await loadHints()).missingLongTermError(names, flags, filePaths(ctx), ctx.invocation);
      ctx.log.info(t('clear.nothing', { section: names.shortTerm, file: path }));
      return EXIT.OK;
    }
    const stored = storedSessionFromSection(short);
    if (stored.holdsLongTermKeys || (!short.get('aws_session_token') && !short.get('aws_security_token'))) {
      throw configError(t('clear.notASession', { section: names.shortTerm, file: path }));
    }
    await removeFromProfile(path, names.shortTerm, 'credentials');
    ctx.log.info(t('clear.done', { section: names.shortTerm, file: path, command: suggest(names, flags) }));
    return EXIT.OK;
  },
});

/**
 * Remove a role profile's kept session: its file in the private cache folder, and its keychain
 * entry when kept there.
 */
async function clearRole({ profile: p }: LoadedProfile, ctx: Context): Promise<number> {
  const name = p.names.profile;
  let removed = removeKept(ctx.env, 'role', name);
  if (p.sessionStore === 'keychain' && p.longTerm.store === 'keychain') {
    const { id, section } = p.longTerm;
    const where = { section, shortTerm: name, profile: name, file: p.paths.credentials, ...(id ? { id } : {}) };
    removed = (await keychainSessionAt(where, ctx).forget()) || removed;
  }
  if (!removed) ctx.log.info(t('role.nothingToClear', { profile: name }));
  else ctx.log.info(t('role.cleared', { profile: name, where: await keptWhere(p, ctx.env) }));
  return EXIT.OK;
}

export const commands = [clear];
