/**
 * The door to the AWS chunk. `loadAws()` is the only way in; the SDK is loaded on first use, so
 * paths that never call AWS never pay for it.
 */
import type { Logger } from '../io/terminal.js';

export type AwsApi = typeof import('./sdk.js');
export type { CallContext, SessionCredentials, AwsKeys, CallerIdentity, MfaDeviceInfo } from './types.js';
export { isAwsFailure, AwsFailure } from './types.js';

declare const __BUNDLED__: boolean | undefined;
declare const __dirname: string;

let loaded: Promise<AwsApi> | undefined;

export function loadAws(log: Logger): Promise<AwsApi> {
  // The SDK's Node-version notice is for developers of the tool, not its users: shown only with DEBUG.
  if (!log.enabled('DEBUG')) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (typeof __BUNDLED__ !== 'undefined' && __BUNDLED__) {
    // in the bundle: the SDK chunk next to the entry, through the code cache
    return (loaded ??= import('../io/chunk.js').then(({ requireChunk }) => requireChunk<AwsApi>(`${__dirname}/aws.cjs`)));
  }
  return (loaded ??= import('./sdk.js'));
}
