/**
 * English, the reference catalog. Keys are `area.what`; placeholders are `{name}`. Machine-readable
 * output (export, credential-process, --json, completion scripts) never comes from here.
 */
export const en = {
  'session.stillValid':
    'Your credentials are still valid for {seconds} seconds ({left}); they will expire at {expiration}. Use --profile {profile}; --force renews now.',
} as const;
