/** Our own types at the AWS boundary: nothing outside src/aws sees an SDK type. */
import type { NetSettings } from '../core/network.js';
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface CallContext {
  region: string;
  credentials: AwsKeys;
  /** Settings the SDK would otherwise read from the environment and the shared files, per service. */
  settings: { STS: ClientSettings; IAM: ClientSettings };
  /** Proxy, CA bundle, timeouts and retries. */
  net: NetSettings;
  /** Called with one line per request detail when --log-level DEBUG. */
  debug?: (line: string) => void;
}

export interface ClientSettings {
  endpoint?: string;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
  defaultsMode: string;
  appId?: string;
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

/** A failure at the AWS boundary, as plain data (thrown as an Error carrying these fields). */
export interface AwsFailureInfo {
  /**
   * service: AWS answered with an error; invalid: the answer holds credentials that cannot be
   * (core/sts-answer.ts); oversize: the answer grew past the size limit; the others: the request
   * did not get an AWS answer.
   */
  kind: 'service' | 'invalid' | 'network' | 'dns' | 'tls' | 'timeout' | 'proxy' | 'setup' | 'oversize';
  /** Service error code (AccessDenied, ...) or a network error code (ECONNREFUSED, ...). */
  code: string;
  message: string;
  status?: number;
  /** The server's Date header, when the answer had one (for clock skew). */
  serverDate?: string;
  operation: string;
  /** dns: the name that did not resolve. */
  host?: string;
}

export class AwsFailure extends Error implements AwsFailureInfo {
  kind: AwsFailureInfo['kind'];
  code: string;
  host?: string;
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
  }
}

export const isAwsFailure = (e: unknown): e is AwsFailure =>
  e instanceof Error && e.name === 'AwsFailure' && typeof (e as AwsFailure).code === 'string';
