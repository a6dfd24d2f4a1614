/**
 * What a real user has after onboarding, created in the emulator through the real AWS SDK: an IAM
 * user with an access key and an enabled virtual MFA device, and the [NAME-long-term] profile.
 */
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { appendFileSync } from 'node:fs';
import type { Home } from './cli.js';

export interface OnboardedUser {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
  deviceArn: string;
}

// the SDK's Node-version notice is noise in tests and the demo
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function iam(endpoint: string) {
  return new IAMClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIAADMINADMINADMIN0', secretAccessKey: 'admin-secret' },
  });
}

let counter = 0;

export async function createUser(endpoint: string, opts: { withDevice?: boolean; userName?: string } = {}): Promise<OnboardedUser> {
  const client = iam(endpoint);
  const userName = opts.userName ?? `user${process.pid}x${++counter}`;
  await client.send(new CreateUserCommand({ UserName: userName }));
  const key = await client.send(new CreateAccessKeyCommand({ UserName: userName }));
  let deviceArn = '';
  if (opts.withDevice !== false) {
    const dev = await client.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${userName}-phone` }));
    deviceArn = dev.VirtualMFADevice!.SerialNumber!;
    await client.send(
      new EnableMFADeviceCommand({ UserName: userName, SerialNumber: deviceArn, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
    );
  }
  return { userName, accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey!, deviceArn };
}

export async function createRole(endpoint: string, name: string, maxSessionDuration?: number): Promise<string> {
  const out = await iam(endpoint).send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }),
      ...(maxSessionDuration ? { MaxSessionDuration: maxSessionDuration } : {}),
    }),
  );
  return out.Role!.Arn!;
}

/** Append the long-term section a user writes after `aws configure --profile NAME-long-term` and adding the device. */
export function writeLongTerm(home: Home, profile: string, u: OnboardedUser, opts: { device?: boolean; suffix?: string } = {}): string {
  const section = `${profile}${opts.suffix === 'none' ? '' : `-${opts.suffix ?? 'long-term'}`}`;
  const lines = [`[${section}]`, `aws_access_key_id = ${u.accessKeyId}`, `aws_secret_access_key = ${u.secretAccessKey}`];
  if (opts.device !== false && u.deviceArn) lines.push(`aws_mfa_device = ${u.deviceArn}`);
  appendFileSync(home.credentials, lines.join('\n') + '\n', { mode: 0o600 });
  return section;
}

export async function onboard(endpoint: string, home: Home, profile: string): Promise<OnboardedUser> {
  const u = await createUser(endpoint);
  writeLongTerm(home, profile, u);
  return u;
}
