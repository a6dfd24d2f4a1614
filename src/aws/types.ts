/**
 * Our own types at the AWS boundary: nothing outside src/aws sees an SDK type. The credential
 * shapes, the settings and the failure data are core's (core owns its types); this file adds only
 * what the chunks' functions take and give.
 */
import type { NetSettings } from '../core/network.js';
import type { AccessKey } from '../core/credentials.js';
import type { SdkSettings } from '../core/sdk-settings.js';
import type { AwsFailureInfo } from '../core/aws-errors.js';
export type { AwsFailureInfo };

export interface CallContext {
  region: string;
  credentials: AccessKey;
  /** Settings the SDK would otherwise read from the environment and the shared files, per service. */
  settings: { STS: SdkSettings; IAM: SdkSettings };
  /** Proxy, CA bundle, timeouts and retries. */
  net: NetSettings;
  /** Called with one line per request detail when --log-level DEBUG. */
  debug?: (line: string) => void;
}

export interface MfaDeviceInfo {
  serialNumber: string;
  enableDate?: Date;
}

export interface AccessKeyInfo {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  created?: Date;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export class AwsFailure extends Error implements AwsFailureInfo {
  kind: AwsFailureInfo['kind'];
  code: string;
  host?: string;
  proxy?: string;
  status?: number;
  serverDate?: string;
  operation: string;
  constructor(info: AwsFailureInfo) {
    super(info.message);
    this.name = 'AwsFailure';
    this.kind = info.kind;
    this.code = info.code;
    this.status = info.status;
    this.serverDate = info.serverDate;
    this.operation = info.operation;
    this.host = info.host;
    this.proxy = info.proxy;
  }
}

export const isAwsFailure = (e: unknown): e is AwsFailure =>
  e instanceof Error && e.name === 'AwsFailure' && typeof (e as AwsFailure).code === 'string';
