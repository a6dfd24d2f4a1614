/**
 * IAM, behind our own types. Bundled as its own chunk (dist/iam.cjs) with the SDK's IAM client,
 * loaded only when a command calls IAM (device lookup and the MFA device lifecycle).
 */
import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { clientConfig, send } from './common.js';
import type { CallContext, MfaDeviceInfo } from './types.js';

export async function listMfaDevices(ctx: CallContext, userName: string): Promise<MfaDeviceInfo[]> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out = await send('ListMFADevices', ctx, () => client.send(new ListMFADevicesCommand({ UserName: userName })));
  return (out.MFADevices ?? []).map((d) => ({ serialNumber: d.SerialNumber ?? '', enableDate: d.EnableDate }));
}
