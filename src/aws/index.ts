/**
 * The door to the AWS chunk. `loadAws()` is the only way in; the SDK is loaded on first use, so
 * paths that never call AWS never pay for it.
 */
import type { Logger } from '../io/terminal.js';
import { lazyChunk } from '../start/chunk.js';

export type StsApi = typeof import('./sts.js');
export type IamApi = typeof import('./iam.js');
export type AwsApi = StsApi & IamApi;
export type { CallContext, CallerIdentity, MfaDeviceInfo, AccessKeyInfo } from './types.js';
export { isAwsFailure, AwsFailure } from './types.js';

const sts = lazyChunk<StsApi>('sts.cjs', () => import('./sts.js'));
const iam = lazyChunk<IamApi>('iam.cjs', () => import('./iam.js'));

/**
 * The AWS API in our own types. Each call loads only the chunk of its service (STS or IAM), so a
 * refresh never evaluates the IAM client, and a cached run loads neither.
 */
export function loadAws(log: Logger): Promise<AwsApi> {
  const api = {
    getSessionToken: async (...a: Parameters<StsApi['getSessionToken']>) => (await sts()).getSessionToken(...a),
    assumeRole: async (...a: Parameters<StsApi['assumeRole']>) => (await sts()).assumeRole(...a),
    getCallerIdentity: async (...a: Parameters<StsApi['getCallerIdentity']>) => (await sts()).getCallerIdentity(...a),
    federationGet: async (...a: Parameters<StsApi['federationGet']>) => (await sts()).federationGet(...a),
    listMfaDevices: async (...a: Parameters<IamApi['listMfaDevices']>) => (await iam()).listMfaDevices(...a),
    createVirtualMfaDevice: async (...a: Parameters<IamApi['createVirtualMfaDevice']>) =>
      (await iam()).createVirtualMfaDevice(...a),
    enableMfaDevice: async (...a: Parameters<IamApi['enableMfaDevice']>) => (await iam()).enableMfaDevice(...a),
    listVirtualMfaDevices: async (...a: Parameters<IamApi['listVirtualMfaDevices']>) =>
      (await iam()).listVirtualMfaDevices(...a),
    deactivateMfaDevice: async (...a: Parameters<IamApi['deactivateMfaDevice']>) =>
      (await iam()).deactivateMfaDevice(...a),
    deleteVirtualMfaDevice: async (...a: Parameters<IamApi['deleteVirtualMfaDevice']>) =>
      (await iam()).deleteVirtualMfaDevice(...a),
    listAccessKeys: async (...a: Parameters<IamApi['listAccessKeys']>) => (await iam()).listAccessKeys(...a),
    createAccessKey: async (...a: Parameters<IamApi['createAccessKey']>) => (await iam()).createAccessKey(...a),
    updateAccessKey: async (...a: Parameters<IamApi['updateAccessKey']>) => (await iam()).updateAccessKey(...a),
    deleteAccessKey: async (...a: Parameters<IamApi['deleteAccessKey']>) => (await iam()).deleteAccessKey(...a),
  } satisfies AwsApi;
  return Promise.resolve(api);
}
