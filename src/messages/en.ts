/**
 * English, the reference catalog. Keys are `area.what`; placeholders are `{name}`. Machine-readable
 * output (export, credential-process, --json, completion scripts) never comes from here.
 */
export const en = {
  'session.stillValid':
    'Your credentials are still valid for {seconds} seconds ({left}); they will expire at {expiration}. Use --profile {profile}; --force renews now.',
  'export.controlCharacter':
    'the value of {name} holds a control character ({char}), which no shell format carries safely; print it with --format json, or fix the value where it comes from',
  'export.cmdUnsafe': 'the value of {name} holds {char}, which cmd.exe cannot set safely; use --format powershell or json',
  'export.dotenvUnsafe': 'the value of {name} holds {char}, which dotenv readers and sh read differently; use --format sh or json',
  'export.notPortable':
    'the value of {name} holds {char}, which shells quote differently, and no --format was given; name the shell that reads the lines: --format sh, fish, powershell, cmd, dotenv or json',
  'console.noBrowser': 'cannot open a browser ({command}); run "aws-mfa console --print" and open the link yourself',
  'console.browserFailed': 'the browser command {command} failed (exit {code}); run "aws-mfa console --print" and open the link yourself',
  'aws.deadline': 'no complete answer within {seconds} s',
  'aws.tooLarge': 'the answer grew past {limit}',
  'aws.answerTooLarge':
    'the answer to {operation} grew far larger than any AWS answer (a few KB): something other than AWS answered; check AWS_ENDPOINT_URL, the endpoint settings in ~/.aws/config, and the proxy',
  'net.proxyUnencoded':
    'the proxy URL in {name} has a "/", "?" or "#" in its user name or password; percent-encode them (%2F, %3F, %23; also %40 for "@") as the AWS CLI requires',
  'sts.badValue': '{operation} answered a {field} that cannot be a credential: it {problem}; nothing was written. Something other than AWS may have answered: check AWS_ENDPOINT_URL, the endpoint settings in ~/.aws/config, and the proxy',
  'sts.problemEmpty': 'is empty',
  'sts.problemLong': 'is {length} characters long, more than {max}',
  'sts.problemCharacter': 'holds {char} (only printable ASCII without spaces, "#" or ";" is allowed)',
  'sts.problemKeyId': 'is not 16 to 128 letters, digits or "_"',
  'sts.badExpiration': '{operation} answered a session without a valid expiration time; nothing was written',
  'sts.expiredAnswer':
    "{operation} answered a session that expired at {expiration}, before now ({now} by this computer's clock); nothing was written. If this computer's clock is wrong, set it right (turn on automatic time) and try again",
} as const;
