/**
 * IAM, behind our own types. Bundled as its own chunk (dist/iam.cjs) with the SDK's IAM client,
 * loaded only when a command calls IAM (device lookup and the MFA device lifecycle).
 */
import {
  IAMClient,
  ListMFADevicesCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  ListVirtualMFADevicesCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
} from '@aws-sdk/client-iam';
import { clientConfig, send } from './common.js';
import type { CallContext, MfaDeviceInfo } from './types.js';

export async function listMfaDevices(ctx: CallContext, userName: string): Promise<MfaDeviceInfo[]> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out = await send('ListMFADevices', ctx, (abortSignal) => client.send(new ListMFADevicesCommand({ UserName: userName }), { abortSignal }));
  return (out.MFADevices ?? []).map((d) => ({ serialNumber: d.SerialNumber ?? '', enableDate: d.EnableDate }));
}

export interface VirtualDevice {
  serialNumber: string;
  /** The IAM user it is assigned to, if any. */
  user?: string;
  enableDate?: Date;
}

/** CreateVirtualMFADevice: the serial and the Base32 seed (as text; the caller wipes it after use). */
export async function createVirtualMfaDevice(ctx: CallContext, p: { name: string; path?: string }): Promise<{ serialNumber: string; seed: string }> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out = await send('CreateVirtualMFADevice', ctx, (abortSignal) =>
    client.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: p.name, ...(p.path ? { Path: p.path } : {}) }), { abortSignal }),
  );
  const dev = out.VirtualMFADevice;
  const seedBytes = dev?.Base32StringSeed;
  const seed = seedBytes ? Buffer.from(seedBytes).toString('ascii') : '';
  seedBytes?.fill(0);
  dev?.QRCodePNG?.fill(0);
  return { serialNumber: dev?.SerialNumber ?? '', seed };
}

export async function enableMfaDevice(ctx: CallContext, p: { userName: string; serialNumber: string; code1: string; code2: string }): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM', true));
  await send('EnableMFADevice', ctx, (abortSignal) =>
    client.send(new EnableMFADeviceCommand({ UserName: p.userName, SerialNumber: p.serialNumber, AuthenticationCode1: p.code1, AuthenticationCode2: p.code2 }), { abortSignal }),
  );
}

export async function listVirtualMfaDevices(ctx: CallContext, status: 'Assigned' | 'Unassigned' | 'Any'): Promise<VirtualDevice[]> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  const out: VirtualDevice[] = [];
  let marker: string | undefined;
  do {
    const page = await send('ListVirtualMFADevices', ctx, (abortSignal) => client.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: status, ...(marker ? { Marker: marker } : {}) }), { abortSignal }));
    for (const d of page.VirtualMFADevices ?? []) out.push({ serialNumber: d.SerialNumber ?? '', user: d.User?.UserName, enableDate: d.EnableDate });
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

export async function deactivateMfaDevice(ctx: CallContext, p: { userName: string; serialNumber: string }): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  await send('DeactivateMFADevice', ctx, (abortSignal) => client.send(new DeactivateMFADeviceCommand({ UserName: p.userName, SerialNumber: p.serialNumber }), { abortSignal }));
}

export async function deleteVirtualMfaDevice(ctx: CallContext, serialNumber: string): Promise<void> {
  const client = new IAMClient(clientConfig(ctx, 'IAM'));
  await send('DeleteVirtualMFADevice', ctx, (abortSignal) => client.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialNumber }), { abortSignal }));
}
