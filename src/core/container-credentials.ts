/**
 * The container credentials protocol (ECS/EKS) as aws-mfa's endpoint speaks it (`exec --ecs-server`,
 * `serve`): the answer's JSON and the variables its child must not keep. A module of its own, not in
 * formats.ts, so that the entry's cached path, which bundles formats.ts, carries none of it.
 */
import type { Session } from './credentials.js';
import { SHADOWING_VARS } from './formats.js';
import { isoSeconds } from './time.js';

/**
 * The endpoint's answer, as botocore's ContainerProvider and the JS SDK's fromHttp read it: `Token`,
 * not `SessionToken`; no `Version`. JSON for a program (the body of an HTTP answer, never shown).
 */
export function containerCredentialsJson(s: Session): string {
  const { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: Token } = s;
  return JSON.stringify({ AccessKeyId, SecretAccessKey, Token, Expiration: isoSeconds(s.expiration) });
}

/**
 * Variables that would make a child of `exec --ecs-server` use other credentials than the endpoint:
 * the SDKs read keys, a profile, web identity and a token file before the full URI's token.
 */
export const ENDPOINT_SHADOWING_VARS = [
  ...SHADOWING_VARS,
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];
