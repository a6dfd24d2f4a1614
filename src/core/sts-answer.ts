/**
 * What an STS answer must look like before anything of it is written or printed. The answer
 * comes from whatever answered at the endpoint (a proxy, a wrong AWS_ENDPOINT_URL, a hostile
 * server): a value with a line break or a ";" or "#" would change the credentials file, one with
 * control characters would reach terminals and shells, and an expiration in the past would be
 * written as a "session" that never works. Pure: the answer and the time in, a message or nothing out.
 */
import { t } from '../messages/index.js';

/** From the STS model: accessKeyIdType is 16-128 characters of [\w]. */
const KEY_ID = /^\w{16,128}$/;
/** The model sets no length for the secret (40 characters in practice) or the token (AWS: "do not assume a size"). */
const MAX_SECRET = 128;
const MAX_TOKEN = 16 * 1024;
/** arnType: 20-2048 characters. */
const MAX_ARN = 2048;

export interface SessionAnswer {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: unknown;
  assumedRoleArn?: string;
}

/** Why `value` is not a plain credential value of at most `max` characters, or undefined. */
function valueProblem(value: string, max: number): string | undefined {
  if (value.length === 0) return t('sts.problemEmpty');
  if (value.length > max) return t('sts.problemLong', { length: value.length, max });
  const bad = /[^\x21-\x7e]|[#;]/.exec(value);
  if (!bad) return undefined;
  const c = bad[0];
  const shown =
    c === '#' || c === ';' ? `"${c}"` : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return t('sts.problemCharacter', { char: shown });
}

/**
 * The reason `a` may not be used, as a message (nothing secret in it: the field is named, its
 * value never shown), or undefined when it is fine.
 */
export function sessionAnswerProblem(a: SessionAnswer, operation: string, now: Date): string | undefined {
  const fields: Array<[string, string, number]> = [
    ['AccessKeyId', a.accessKeyId, 128],
    ['SecretAccessKey', a.secretAccessKey, MAX_SECRET],
    ['SessionToken', a.sessionToken, MAX_TOKEN],
    ...(a.assumedRoleArn !== undefined
      ? ([['AssumedRoleUser.Arn', a.assumedRoleArn, MAX_ARN]] as Array<[string, string, number]>)
      : []),
  ];
  for (const [field, value, max] of fields) {
    const problem = valueProblem(value, max);
    if (problem) return t('sts.badValue', { operation, field, problem });
  }
  if (!KEY_ID.test(a.accessKeyId))
    return t('sts.badValue', { operation, field: 'AccessKeyId', problem: t('sts.problemKeyId') });
  const exp = a.expiration;
  if (!(exp instanceof Date) || Number.isNaN(exp.getTime())) return t('sts.badExpiration', { operation });
  if (exp.getTime() <= now.getTime()) {
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return t('sts.expiredAnswer', { operation, expiration: iso(exp), now: iso(now) });
  }
  return undefined;
}

/** keychain: the same checks for a new access key (IAM CreateAccessKey), before it is stored anywhere. */
export function accessKeyAnswerProblem(
  a: { accessKeyId: string; secretAccessKey: string },
  operation: string,
): string | undefined {
  for (const [field, value, max] of [
    ['AccessKeyId', a.accessKeyId, 128],
    ['SecretAccessKey', a.secretAccessKey, MAX_SECRET],
  ] as const) {
    const problem = valueProblem(value, max);
    if (problem) return t('sts.badValue', { operation, field, problem });
  }
  if (!KEY_ID.test(a.accessKeyId))
    return t('sts.badValue', { operation, field: 'AccessKeyId', problem: t('sts.problemKeyId') });
  return undefined;
}
