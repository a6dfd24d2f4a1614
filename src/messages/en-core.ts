/**
 * The messages of the cached path (a session still valid, and the warnings a read of the files
 * can give): the part of en.ts that the entry's fast path (src/start/fast.ts) carries, so it need not
 * load the whole catalog. en.ts spreads these; ja-core.ts is their Japanese. Part of the start-up
 * machinery (src/start/), kept here as a part of the catalog, which imports nothing from above.
 *
 * Measured (issue 24; exact instructions, node --predictable under callgrind, the cached check of a
 * 2-profile file, 103.6 M with every trick):
 * with the whole catalog in the fast path 111.1 M: this subset saves 7.5 M, 7%.
 */
export const enCore = {
  'file.readableByOthers': '{path} is readable by other users (mode {mode}); run: chmod 600 {path}',
  'file.writableByOthers': '{path} can be changed by other users (mode {mode}); run: chmod go-w {path}',
  'file.folderWritableByOthers':
    '{dir} can be changed by other users (mode {mode}), who could replace the files in it; run: chmod go-w {dir}',
  'log.error': 'error',
  'log.warning': 'warning',
  'source.key': '{key} in [{section}]',
  'source.configKey': '{key} in {file}',
  'source.default': 'the default',
  'source.partitionDefault': "the partition's default",
  'source.osUser': 'your OS user name',
  'source.recorded': 'aws_mfa_device in [{section}], found by an earlier lookup',
  'file.bom':
    '{path}:1: the file starts with a UTF-8 byte order mark, which the AWS CLI cannot read; save it without BOM ' +
    '(in Notepad: Save as, Encoding "UTF-8")',
  'session.stillValid':
    'Your credentials are still valid for {seconds} seconds ({left}); they will expire at {expiration}. {use}; ' +
    '"{renew}" renews now.',
  'session.useProfile': 'Use them with --profile {profile}',
  'session.useDefault': 'The AWS CLI uses them without --profile',
  'session.envKeyShadows':
    'AWS_ACCESS_KEY_ID is set in the environment; the AWS CLI will use it instead of the profile aws-mfa writes ' +
    '(clear it: {command})',
  'time.hoursMinutes': '{h}h {m}m',
  'time.minutesSeconds': '{m}m {s}s',
  'time.seconds': '{s}s',
  'time.utc': '{utc} UTC',
  'time.localAndUtc': '{local} {zone} ({utc} UTC)',
  'scan.duplicateKey':
    'key {key} appears twice in [{section}] (first at line {first}); the AWS CLI refuses duplicate keys',
  'scan.duplicateSection':
    'section [{section}] appears again (first at line {first}); the AWS CLI refuses duplicate sections, merge them',
} as const;
