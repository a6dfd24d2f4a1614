/**
 * Input checks that run before any AWS call, each failing with a message that says what to type
 * instead: numbers of seconds, device and role ARNs, durations, MFA codes, names. Pure.
 */
import { usageError, configError } from '../errors.js';
import { sentences, t } from '../messages/index.js';
import { mfaSerialKind } from './mfa-serial.js';

export function parseSeconds(value: string, what: string): number {
  if (!/^\d+$/.test(value.trim())) throw usageError(t('check.seconds', { what, value }));
  return Number(value.trim());
}

export const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** A device STS takes a code from: a virtual device's ARN or a hardware token's serial (core/mfa-serial.ts). */
export function checkDevice(device: string, source: string, profileFlags = ''): void {
  const kind = mfaSerialKind(device);
  const command = (what: string) => ['aws-mfa', what, profileFlags].filter(Boolean).join(' ');
  if (kind === 'u2f') throw configError(t('check.deviceU2f', { device, source, command: command('device create') }));
  if (kind === 'invalid') throw configError(t('check.deviceArn', { device, source, command: command('device list') }));
}

export function checkRole(role: string, source: string): void {
  if (!ROLE_ARN.test(role)) throw configError(t('check.roleArn', { role, source }));
}

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export function partitionOf(arn: string | undefined): Partition {
  const p = arn?.split(':')[1];
  return p === 'aws-cn' || p === 'aws-us-gov' ? p : 'aws';
}

export const DEFAULT_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** The session length asked for when none is given, by operation. */
export const DEFAULT_DURATION = { GetSessionToken: 43200, AssumeRole: 3600 } as const;

export function checkDuration(seconds: number, withRole: boolean, source: string): void {
  const [min, max] = withRole ? [900, 43200] : [900, 129600];
  if (seconds < min || seconds > max) {
    throw usageError(
      t('check.durationRange', { seconds, source, operation: withRole ? 'AssumeRole' : 'GetSessionToken', min, max }),
    );
  }
}

/**
 * An MFA code as authenticator apps show it: six digits, perhaps split `123 456` or `123-456`,
 * typed in half-width or full-width characters.
 * Returns the six digits; anything else fails with what was wrong with it.
 */
/**
 * A code that was refused: the message says what is wrong and what to type. A prompt that asks again
 * says the problem with its own request after it (`problem`, `again`), so the user is asked once.
 */
export interface CodeRefusal {
  problem: string;
  /** The request to type again, with the tries left. */
  again(left: number): string;
}

function refusedCode(problem: string, advice: string, again: (left: number) => string) {
  return Object.assign(usageError(sentences(problem, advice)), { problem, again });
}

/** The refusal a code check threw, else undefined (another error). */
export const codeRefusal = (e: unknown): CodeRefusal | undefined =>
  typeof (e as Partial<CodeRefusal> | undefined)?.again === 'function' ? (e as CodeRefusal) : undefined;

const typeAgain = (left: number) => t('code.tryAgain', { left });

export function checkCode(code: string, flag?: string): string {
  if (flag === undefined) return checkCodeText(code);
  try {
    return checkCodeText(code);
  } catch (e) {
    // a code given by a flag: the message says which (--code1 or --code2, --token)
    throw usageError(t('check.codeOfFlag', { flag, message: (e as Error).message }));
  }
}

function checkCodeText(code: string): string {
  // a Japanese input method types full-width digits, spaces and hyphens (１２３　４５６); NFKC makes them ASCII.
  // Its "-" key in kana mode types the long vowel mark (ー), which NFKC keeps; dashes and minus signs too
  const c = code
    .normalize('NFKC')
    .replace(/[\u30fc\u2010-\u2015\u2212]/g, '-')
    .trim()
    .replace(/^(\d{3})[ -](\d{3})$/, '$1$2');
  if (/^\d{6}$/.test(c)) return c;
  const advice = t('check.codeAdvice');
  if (c.length === 0) throw refusedCode(t('check.codeEmpty'), advice, typeAgain);
  // English counts "1 character", "2 characters"
  if (/[^\d\s-]/.test(c)) {
    const problem = c.length === 1 ? t('check.codeLetterOne') : t('check.codeLetters', { length: c.length });
    throw refusedCode(problem, advice, typeAgain);
  }
  const length = c.replace(/[\s-]/g, '').length;
  throw refusedCode(length === 1 ? t('check.codeLengthOne') : t('check.codeLength', { length }), advice, typeAgain);
}

/** Two consecutive codes: each 6 digits, and not the same code twice. */
export function checkCodePair(code1: string, code2: string, flags?: readonly [string, string]): [string, string] {
  const a = checkCode(code1, flags?.[0]);
  const b = checkCode(code2, flags?.[1]);
  if (a === b) {
    const again = (left: number) => t('check.codesEqualAgain', { left });
    throw refusedCode(t('check.codesEqual'), t('check.codesEqualAdvice'), again);
  }
  return [a, b];
}

export function checkExternalId(id: string): void {
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(id)) throw usageError(t('check.externalId'));
}

export function checkSessionName(name: string): void {
  if (!/^[\w+=,.@-]{2,64}$/.test(name)) throw usageError(t('check.sessionName'));
}

/** RoleSessionName from the OS user name, made valid (2-64 of [\w+=,.@-]). */
export function defaultSessionName(user: string): string {
  let s = user.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  if (s.length < 2) s = `aws-mfa-${s}`.slice(0, 64);
  return s;
}

export function checkAccessKeyId(keyId: string): void {
  if (!/^[A-Z0-9]{16,128}$/.test(keyId)) throw usageError(t('check.accessKeyId'));
}

export function checkSecret(secret: string): void {
  if (!secret || /\s/.test(secret)) throw usageError(t('check.secret'));
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export function checkRegion(region: string, source: string): void {
  if (!REGION.test(region)) throw usageError(t('check.region', { region, source }));
}
