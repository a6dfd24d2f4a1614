/**
 * The ykman driver: a YubiKey's OATH account gives the code (`ykman oath accounts code --single`),
 * as aws-vault's ykman prompt does. The account is named after the MFA device's ARN unless
 * YKMAN_OATH_CREDENTIAL_NAME names it; YKMAN_OATH_DEVICE_SERIAL picks one of several YubiKeys.
 * The caller shows "touch your YubiKey" where the user can see it while ykman waits.
 */
import { configError } from '../../errors.js';
import { t } from '../../messages/index.js';
import { checkCode } from '../../core/checks.js';
import { terminalLine } from '../../core/sanitize.js';
import { DialogFailure, runProgram, whichProgram } from './run.js';
import { loaderEnv } from '../../start/chunk-hit.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The account ykman is asked for. */
export const ykmanAccount = (device: string, env: Env) => env.YKMAN_OATH_CREDENTIAL_NAME || device;

/** ykman's arguments: nothing secret (the account's name and the YubiKey's serial). */
export function ykmanArgs(device: string, env: Env): string[] {
  const serial = env.YKMAN_OATH_DEVICE_SERIAL;
  return [
    ...(serial ? ['--device', serial] : []),
    'oath',
    'accounts',
    'code',
    '--single',
    '--',
    ykmanAccount(device, env),
  ];
}

/** ykman not installed: said before "touch your YubiKey", which would ask for a touch nothing waits for. */
export function checkYkman(): void {
  if (!whichProgram('ykman', loaderEnv()))
    throw new DialogFailure(t('prompt.notFound', { driver: 'ykman', program: 'ykman' }));
}

/** The code of the device's OATH account on the YubiKey. */
export async function ykmanCode(device: string, env: Env): Promise<string> {
  const account = ykmanAccount(device, env);
  const r = await runProgram('ykman', 'ykman', ykmanArgs(device, env));
  if (r.status !== 0) {
    const said = r.stderr
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .pop();
    const why = r.signal ?? `exit ${r.status}${said ? `: ${terminalLine(said).slice(0, 200)}` : ''}`;
    throw configError(t('prompt.ykmanFailed', { account, why }));
  }
  try {
    return checkCode(r.stdout);
  } catch {
    throw configError(t('prompt.ykmanOutput', { account }));
  }
}
