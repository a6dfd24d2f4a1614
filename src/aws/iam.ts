/**
 * IAM, behind our own types. Bundled as its own chunk (dist/iam.cjs) with the SDK's IAM client,
 * loaded only when a command calls IAM (device lookup, the MFA device lifecycle, access key rotation).
 */
import {
  IAMClient,
  ListMFADevicesCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  ListVirtualMFADevicesCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  ListAccessKeysCommand,
  CreateAccessKeyCommand,
  UpdateAccessKeyCommand,
  DeleteAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { checkAnswer, clientConfig, send } from './common.js';
import { AwsFailure, type AccessKeyInfo, type CallContext, type MfaDeviceInfo } from './types.js';
import { accessKeyAnswerProblem } from '../core/sts-answer.js';

export async function listMfaDevices(ctx: CallContext, userName: string): Promise<MfaDeviceInfo[]> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out = await send('ListMFADevices', ctx, (abortSignal) =>
    client.send(new ListMFADevicesCommand({ UserName: userName }), { abortSignal }),
  );
  const devices = (out.MFADevices ?? []).map((d) => ({ serialNumber: d.SerialNumber ?? '', enableDate: d.EnableDate }));
  checkAnswer(
    'ListMFADevices',
    devices.map((d) => ['SerialNumber', 'serial', d.serialNumber] as const),
  );
  return devices;
}

export interface VirtualDevice {
  serialNumber: string;
  /** The IAM user it is assigned to, if any. */
  user?: string;
  enableDate?: Date;
}

/** CreateVirtualMFADevice: the serial and the Base32 seed (as text; the caller wipes it after use). */
export async function createVirtualMfaDevice(
  ctx: CallContext,
  p: { name: string; path?: string },
): Promise<{ serialNumber: string; seed: string }> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out = await send('CreateVirtualMFADevice', ctx, (abortSignal) =>
    client.send(
      new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: p.name, ...(p.path ? { Path: p.path } : {}) }),
      { abortSignal },
    ),
  );
  const dev = out.VirtualMFADevice;
  const seedBytes = dev?.Base32StringSeed;
  const seed = seedBytes ? Buffer.from(seedBytes).toString('ascii') : '';
  seedBytes?.fill(0);
  dev?.QRCodePNG?.fill(0);
  const created = { serialNumber: dev?.SerialNumber ?? '', seed };
  // the seed is checked by the caller, which deletes the device again when it is refused
  checkAnswer('CreateVirtualMFADevice', [['SerialNumber', 'virtualDevice', created.serialNumber]]);
  return created;
}

export async function enableMfaDevice(
  ctx: CallContext,
  p: { userName: string; serialNumber: string; code1: string; code2: string },
): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM', true));
  await send('EnableMFADevice', ctx, (abortSignal) =>
    client.send(
      new EnableMFADeviceCommand({
        UserName: p.userName,
        SerialNumber: p.serialNumber,
        AuthenticationCode1: p.code1,
        AuthenticationCode2: p.code2,
      }),
      { abortSignal },
    ),
  );
}

export async function listVirtualMfaDevices(
  ctx: CallContext,
  status: 'Assigned' | 'Unassigned' | 'Any',
): Promise<VirtualDevice[]> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out: VirtualDevice[] = [];
  let marker: string | undefined;
  do {
    const page = await send('ListVirtualMFADevices', ctx, (abortSignal) =>
      client.send(
        new ListVirtualMFADevicesCommand({ AssignmentStatus: status, ...(marker ? { Marker: marker } : {}) }),
        { abortSignal },
      ),
    );
    for (const d of page.VirtualMFADevices ?? []) {
      const user = d.User ? [['User.UserName', 'userName', d.User.UserName] as const] : [];
      checkAnswer('ListVirtualMFADevices', [['SerialNumber', 'serial', d.SerialNumber], ...user]);
      out.push({ serialNumber: d.SerialNumber ?? '', user: d.User?.UserName, enableDate: d.EnableDate });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

export async function deactivateMfaDevice(
  ctx: CallContext,
  p: { userName: string; serialNumber: string },
): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  await send('DeactivateMFADevice', ctx, (abortSignal) =>
    client.send(new DeactivateMFADeviceCommand({ UserName: p.userName, SerialNumber: p.serialNumber }), {
      abortSignal,
    }),
  );
}

export async function deleteVirtualMfaDevice(ctx: CallContext, serialNumber: string): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  await send('DeleteVirtualMFADevice', ctx, (abortSignal) =>
    client.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber }), { abortSignal }),
  );
}

/** The user's access keys (at most two): id, Active/Inactive, creation date. */
export async function listAccessKeys(ctx: CallContext, userName: string): Promise<AccessKeyInfo[]> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out: AccessKeyInfo[] = [];
  let marker: string | undefined;
  do {
    const page = await send('ListAccessKeys', ctx, (abortSignal) =>
      client.send(new ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }), {
        abortSignal,
      }),
    );
    for (const k of page.AccessKeyMetadata ?? [])
      out.push({
        accessKeyId: k.AccessKeyId ?? '',
        status: k.Status === 'Active' ? 'Active' : 'Inactive',
        created: k.CreateDate,
      });
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  // the ids go into the commands rotate suggests (delete-access-key --access-key-id ...)
  checkAnswer(
    'ListAccessKeys',
    out.map((k) => ['AccessKeyId', 'accessKeyId', k.accessKeyId] as const),
  );
  return out;
}

/** CreateAccessKey for the named user: the new pair (the secret is shown by AWS only this once). */
export async function createAccessKey(
  ctx: CallContext,
  userName: string,
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  // made once (no SDK retries): a retry after a lost answer would create a second key whose secret nobody saw
  const client = new IAMClient(clientConfig(ctx, 'IAM', true));
  const out = await send('CreateAccessKey', ctx, (abortSignal) =>
    client.send(new CreateAccessKeyCommand({ UserName: userName }), { abortSignal }),
  );
  const key = { accessKeyId: out.AccessKey?.AccessKeyId ?? '', secretAccessKey: out.AccessKey?.SecretAccessKey ?? '' };
  // checked before anyone stores it, as STS answers are (a line break would change the file)
  const problem = accessKeyAnswerProblem(key, 'CreateAccessKey');
  if (problem)
    throw new AwsFailure({ kind: 'invalid', code: 'InvalidAnswer', message: problem, operation: 'CreateAccessKey' });
  return key;
}

export async function updateAccessKey(
  ctx: CallContext,
  p: { userName: string; accessKeyId: string; status: 'Active' | 'Inactive' },
): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  await send('UpdateAccessKey', ctx, (abortSignal) =>
    client.send(new UpdateAccessKeyCommand({ UserName: p.userName, AccessKeyId: p.accessKeyId, Status: p.status }), {
      abortSignal,
    }),
  );
}

export async function deleteAccessKey(ctx: CallContext, p: { userName: string; accessKeyId: string }): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  await send('DeleteAccessKey', ctx, (abortSignal) =>
    client.send(new DeleteAccessKeyCommand({ UserName: p.userName, AccessKeyId: p.accessKeyId }), { abortSignal }),
  );
}
