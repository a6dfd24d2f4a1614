/**
 * A role profile's session (core/role.ts), as aws-vault makes it: the root source's MFA session
 * (the one aws-mfa keeps for it, through its own cached path: one code serves every role of that
 * source) signs AssumeRole, which carries no SerialNumber and no TokenCode; a chain's next role is
 * signed by the role session before it. Each role session is one more provider wrapped by the same
 * caching wrapper (service/cached-session.ts), so it is reused while valid with the margin, and
 * refreshed under whatever that wrapper holds around a refresh. A source with plain keys and no
 * mfa_serial anywhere signs with its key; with one, its MFA session is kept as a role session is.
 */
import { CliError, EXIT } from '../errors.js';
import { t } from '../messages/index.js';
import type { Context } from '../context.js';
import type { AccessKey, Session } from '../core/credentials.js';
import type { ResolvedProfile } from '../core/profile.js';
import type { SessionDecision } from '../core/decision.js';
import { describeRefresh } from '../core/decision-text.js';
import { explainFailure, type AwsFailureInfo } from '../core/aws-errors.js';
import { isAwsFailure } from '../aws/index.js';
import { terminalLine } from '../core/sanitize.js';
import type { CodeMode } from '../io/code-source.js';
import { readKept, storedOf } from '../io/role-cache.js';
import type { LoadedProfile, RoleLoaded } from './profile-loader.js';
import { cachedSession, wantedBy, type Obtained } from './cached-session.js';
import { sessionStore } from './session-store.js';
import { callContext } from './call-context.js';
import { refresh, retryableWithCode, withRetry } from './refresh.js';
import { writeKept } from './role-store.js';
import { resolveTarget } from '../io/store.js';

/** What signs a role's AssumeRole, and whether it carries MFA. */
interface Signer {
  key: AccessKey;
  /** The profile whose credentials these are (named in messages). */
  profile: string;
  mfa: boolean;
}

export async function roleSession(
  loaded: LoadedProfile,
  ctx: Context,
  mode: CodeMode,
  getSession: (l: LoadedProfile, c: Context, m: CodeMode) => Promise<Obtained>,
  decided?: SessionDecision,
): Promise<Obtained> {
  const role = loaded.role!;
  const { links } = role;
  const last = links.length - 1;
  let rootSigner: Promise<Signer> | undefined;
  const sessionOf = (i: number): Promise<Obtained> => {
    const p = links[i]!;
    const own: LoadedProfile =
      i === last
        ? loaded
        : {
            profile: p,
            stored: p.sessionStore === 'file' ? keptRole(ctx, p) : undefined,
            warnings: [],
          };
    return cachedSession({
      store: sessionStore(own, ctx),
      wanted: wantedBy(p),
      now: ctx.now,
      inner: async () => {
        const signer: Signer =
          i === 0
            ? await (rootSigner ??= rootCredentials(role, ctx, mode, getSession))
            : { key: (await sessionOf(i - 1)).session, profile: links[i - 1]!.names.profile, mfa: role.mfa };
        return { session: await assumeRole(p, signer, ctx) };
      },
      // a role's store never holds long-term keys (its own file, or the keychain)
      refused: () => new CliError(t('role.storeRefused', { profile: p.names.profile }), EXIT.CONFIG),
      refreshing: ({ reason }) => {
        if (reason.kind !== 'missing') ctx.log.info(describeRefresh(reason, p.names.profile));
      },
      lock: { name: p.names.profile, log: ctx.log, env: ctx.env },
    }).get(i === last && p.sessionStore === 'file' ? decided : undefined);
  };
  return sessionOf(last);
}

/** A chain's inner role's kept session (the file level). */
const keptRole = (ctx: Context, p: ResolvedProfile) => storedOf(readKept(ctx.env, 'role', p.names.profile));

/** The root's credentials: an aws-mfa profile's MFA session (its cached path), plain keys' MFA session, or the keys. */
async function rootCredentials(
  role: RoleLoaded,
  ctx: Context,
  mode: CodeMode,
  getSession: (l: LoadedProfile, c: Context, m: CodeMode) => Promise<Obtained>,
): Promise<Signer> {
  const { root } = role;
  if (root.kind === 'aws-mfa') {
    const { session } = await getSession(root.loaded, ctx, mode);
    return { key: session, profile: root.loaded.profile.names.shortTerm, mfa: true };
  }
  const p = root.profile;
  if (p.longTerm.store !== 'file') throw new Error('a plain-keys source has its keys in the file');
  const name = p.names.profile;
  if (!p.device) return { key: p.longTerm.key, profile: name, mfa: false };
  // its MFA session: kept in the private cache folder (never in [NAME], which holds its keys)
  const { session } = await cachedSession({
    store: {
      read: () => Promise.resolve(storedOf(readKept(ctx.env, 'source', name))),
      reread: async () => storedOf(readKept(ctx.env, 'source', name)),
      lockKey: () => ({ key: `source\n${name}`, file: resolveTarget(p.paths.credentials) }),
      write: async (s) => {
        await writeKept(ctx.env, 'source', name, s);
        return { bom: false };
      },
    },
    wanted: { role: undefined, minTtl: p.minTtl, force: false },
    now: ctx.now,
    inner: () => refresh(p, ctx, ctx.codes(p, mode)),
    refused: () => new CliError(t('role.storeRefused', { profile: name }), EXIT.CONFIG),
    lock: { name, log: ctx.log, env: ctx.env },
  }).get();
  return { key: session, profile: name, mfa: true };
}

/** AssumeRole signed by the source's session: no SerialNumber, no TokenCode. */
async function assumeRole(p: ResolvedProfile, signer: Signer, ctx: Context): Promise<Session> {
  const role = p.role!.value;
  const profile = p.names.profile;
  const chained = p.configRole?.chained;
  const [source, seconds, from, asked] = [signer.profile, p.duration.value, p.duration.source, p.configRole?.capped];
  if (chained) ctx.log.info(t(asked ? 'role.chainedCapped' : 'role.chained', { profile, source, asked: asked ?? '' }));
  ctx.log.info(t('role.assuming', { role, profile, source, seconds, from }));
  const callCtx = callContext(p, ctx, signer.key, p.region.value);
  const aws = await ctx.aws();
  const failCtx = { longTerm: source, role, duration: seconds, region: p.region.value, now: ctx.now() };
  const { assumedRoleArn: _, ...session } = await withRetry(ctx, failCtx, async () => {
    try {
      return await aws.assumeRole(callCtx, {
        roleArn: role,
        roleSessionName: p.sessionName.value,
        durationSeconds: p.duration.value,
        ...(p.externalId !== undefined ? { externalId: p.externalId } : {}),
      });
    } catch (e) {
      if (isAwsFailure(e) && retryableWithCode(e)) throw e; // retried by withRetry
      if (isAwsFailure(e)) throw roleFailure(e, p, signer, ctx);
      throw e;
    }
  });
  return session;
}

/** What AWS refused, for a role profile: naming the role, its source and whether MFA signed the call, with a fix. */
function roleFailure(e: AwsFailureInfo, p: ResolvedProfile, signer: Signer, ctx: Context): CliError {
  const role = p.role!.value;
  const profile = p.names.profile;
  const message = terminalLine(e.message);
  if (e.code === 'AccessDenied') {
    const roleName = role.split('/').pop()!;
    return new CliError(
      t(signer.mfa ? 'role.accessDeniedMfa' : 'role.accessDeniedNoMfa', {
        role,
        profile,
        source: signer.profile,
        message,
        command: `aws iam get-role --role-name ${roleName} --query Role.AssumeRolePolicyDocument`,
      }),
      EXIT.AWS,
    );
  }
  if (/MaxSessionDuration|DurationSeconds|role chaining/i.test(message)) {
    return new CliError(
      t('role.durationRefused', {
        role,
        profile,
        seconds: p.duration.value,
        from: p.duration.source,
        message,
        command: `aws configure set duration_seconds 3600 --profile ${profile}`,
      }),
      EXIT.AWS,
    );
  }
  const [duration, region] = [p.duration.value, p.region.value];
  return explainFailure(e, { longTerm: signer.profile, role, duration, region, now: ctx.now() });
}
