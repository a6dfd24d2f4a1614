/** The AWS federation endpoint flow for a console sign-in URL, as pure URL building. */
import type { Session } from './credentials.js';

const HOSTS: Record<string, { signin: string; console: string }> = {
  aws: { signin: 'https://signin.aws.amazon.com/federation', console: 'https://console.aws.amazon.com/' },
  'aws-cn': { signin: 'https://signin.amazonaws.cn/federation', console: 'https://console.amazonaws.cn/' },
  'aws-us-gov': {
    signin: 'https://signin.amazonaws-us-gov.com/federation',
    console: 'https://console.amazonaws-us-gov.com/',
  },
};

export function federationHosts(partition: string, override?: string): { signin: string; console: string } {
  const h = HOSTS[partition] ?? HOSTS.aws!;
  return override ? { signin: override, console: h.console } : h;
}

/** The getSigninToken request; SessionDuration (900-43200) only for role sessions, as AWS allows. */
export function signinTokenUrl(endpoint: string, s: Session, sessionDuration?: number): string {
  const session = JSON.stringify({
    sessionId: s.accessKeyId,
    sessionKey: s.secretAccessKey,
    sessionToken: s.sessionToken,
  });
  const q = new URLSearchParams({
    Action: 'getSigninToken',
    ...(sessionDuration ? { SessionDuration: String(sessionDuration) } : {}),
    Session: session,
  });
  return `${endpoint}?${q.toString()}`;
}

export function loginUrl(endpoint: string, token: string, destination: string): string {
  const q = new URLSearchParams({ Action: 'login', Issuer: 'aws-mfa', Destination: destination, SigninToken: token });
  return `${endpoint}?${q.toString()}`;
}
