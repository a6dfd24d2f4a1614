/**
 * STS, behind our own types. Bundled as its own chunk (dist/sts.cjs) with the SDK's STS client,
 * loaded only when a command calls STS.
 */
import { STSClient, GetSessionTokenCommand, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { checkAnswer, clientConfig, send, sessionFrom, toFailure } from './common.js';
import { get } from './net.js';
import type { CallContext, CallerIdentity } from './types.js';
import type { Session } from '../core/credentials.js';

export async function getSessionToken(
  ctx: CallContext,
  p: { serialNumber: string; tokenCode: string; durationSeconds: number },
): Promise<Session> {
  const client = new STSClient(clientConfig(ctx, 'STS', true));
  const out = await send('GetSessionToken', ctx, (abortSignal) =>
    client.send(
      new GetSessionTokenCommand({
        SerialNumber: p.serialNumber,
        TokenCode: p.tokenCode,
        DurationSeconds: p.durationSeconds,
      }),
      { abortSignal },
    ),
  );
  return sessionFrom(out.Credentials, 'GetSessionToken');
}

export async function assumeRole(
  ctx: CallContext,
  p: {
    roleArn: string;
    roleSessionName: string;
    serialNumber?: string;
    tokenCode?: string;
    durationSeconds: number;
    externalId?: string;
  },
): Promise<Session & { assumedRoleArn?: string }> {
  const client = new STSClient(clientConfig(ctx, 'STS', true));
  const out = await send('AssumeRole', ctx, (abortSignal) =>
    client.send(
      new AssumeRoleCommand({
        RoleArn: p.roleArn,
        RoleSessionName: p.roleSessionName,
        // none with a role profile's AssumeRole: the MFA session that signs it carries the MFA
        ...(p.serialNumber !== undefined ? { SerialNumber: p.serialNumber, TokenCode: p.tokenCode } : {}),
        DurationSeconds: p.durationSeconds,
        ...(p.externalId ? { ExternalId: p.externalId } : {}),
      }),
      { abortSignal },
    ),
  );
  return {
    ...sessionFrom(out.Credentials, 'AssumeRole', out.AssumedRoleUser?.Arn),
    assumedRoleArn: out.AssumedRoleUser?.Arn,
  };
}

export async function getCallerIdentity(ctx: CallContext): Promise<CallerIdentity> {
  const client = new STSClient(clientConfig(ctx, 'STS'));
  const out = await send('GetCallerIdentity', ctx, (abortSignal) =>
    client.send(new GetCallerIdentityCommand({}), { abortSignal }),
  );
  const who = { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
  // an IAM user's name goes into the commands aws-mfa suggests (rotate): its own rule, not the path's
  const userName = /:user\/(?:.*\/)?([^/]*)$/.exec(who.arn)?.[1];
  checkAnswer('GetCallerIdentity', [
    ['Arn', 'callerArn', who.arn],
    ...(userName === undefined ? [] : [['Arn', 'userName', userName] as const]),
    ['Account', 'account', who.account],
    ['UserId', 'userId', who.userId],
  ]);
  return who;
}

/** A GET to the console federation endpoint, through the same proxy and CA settings. */
export async function federationGet(ctx: CallContext, url: string): Promise<{ status: number; body: string }> {
  try {
    return await get(url, ctx.net, ctx.debug);
  } catch (e) {
    throw toFailure(e, 'getSigninToken', ctx);
  }
}
