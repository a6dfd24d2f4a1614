/**
 * `aws-mfa --setup`: write the long-term section from answers on the terminal (the secret hidden),
 * and the region for the session profile. Also offered when the credentials file does not exist.
 */
import { usageError, CliError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import { resolveNames, type Names } from '../core/names.js';
import type { SessionFlags } from '../core/profile.js';
import type { FilePaths } from '../core/paths.js';
import { checkDevice, checkAccessKeyId, checkSecret, checkRegion } from '../core/checks.js';
import { filePaths } from '../context.js';
import { readProfiles, writeProfileTo } from '../io/store.js';

async function yes(ctx: Context, question: string): Promise<boolean> {
  const a = await ctx.term.ask(`${question} ${t('prompt.yesNo')} `);
  return /^(y(es)?|はい)$/i.test((a ?? '').trim());
}

/** The credentials file is missing: on a terminal, offer to create it with --setup. */
export async function offerSetup(flags: SessionFlags, names: Names, paths: FilePaths, ctx: Context): Promise<boolean> {
  if (!ctx.term.interactive) return false;
  if (!(await yes(ctx, t('setup.offer', { file: paths.credentials, section: names.longTerm })))) return false;
  await writeSetup(ctx, flags, names, paths);
  return true;
}

export async function setup(flags: SessionFlags, ctx: Context): Promise<number> {
  if (!ctx.term.interactive) throw usageError(t('setup.needsTerminal', { profile: flags.profile ?? 'NAME' }));
  const names = resolveNames(flags, ctx.env);
  const answer = (await ctx.term.ask(t('setup.askProfile', { profile: names.profile })))?.trim();
  if (answer === undefined) throw new CliError(t('setup.aborted'), EXIT.INTERRUPTED);
  const chosen = answer ? resolveNames({ ...flags, profile: answer }, ctx.env) : names;
  await writeSetup(ctx, flags, chosen, filePaths(ctx));
  return EXIT.OK;
}

async function writeSetup(ctx: Context, flags: SessionFlags, n: Names, paths: FilePaths): Promise<void> {
  const existing = readProfiles(paths.credentials, 'credentials', [n.longTerm], ctx.env).profiles.has(n.longTerm);
  if (existing && !(await yes(ctx, t('setup.replace', { section: n.longTerm, file: paths.credentials })))) {
    throw new CliError(t('setup.unchanged', { section: n.longTerm }), EXIT.INTERRUPTED);
  }
  const keyId = (await ctx.term.ask(t('setup.askKeyId')))?.trim() ?? '';
  checkAccessKeyId(keyId);
  const secret = (await ctx.term.ask(t('setup.askSecret'), { hidden: true }))?.trim() ?? '';
  checkSecret(secret);
  const device = (await ctx.term.ask(t('setup.askDevice')))?.trim();
  if (device) checkDevice(device, t('source.answer'));
  const region = flags.region ?? ((await ctx.term.ask(t('setup.askRegion')))?.trim() || undefined);
  if (region) checkRegion(region, flags.region ? '--region' : t('source.answer'));
  await writeProfileTo(
    paths.credentials,
    n.longTerm,
    'credentials',
    [
      ['aws_access_key_id', keyId],
      ['aws_secret_access_key', secret],
      ...(device ? ([['aws_mfa_device', device]] as Array<[string, string]>) : []),
    ],
    ['aws_mfa_keychain', 'aws_mfa_keychain_id'],
  ); // keychain: keys written to the file replace a key kept in the keychain
  if (region) await writeProfileTo(paths.config, n.shortTerm, 'config', [['region', region]]);
  ctx.log.info(
    t('setup.done', { section: n.longTerm, file: paths.credentials, command: `aws-mfa --profile ${n.profile}` }),
  );
}
