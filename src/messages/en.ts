/**
 * English, the reference catalog. Keys are `area.what`; placeholders are `{name}`. Machine-readable
 * output (export, credential-process, --json, completion scripts) never comes from here. Command
 * names, flags, variables, file and section names are never translated.
 */
import { enCore } from './en-core.js';
import { enSea } from './en-sea.js';

/**
 * Unlocks gnome-keyring from a shell: the password read without echo and handed over without a line
 * feed (the daemon reads its stdin to the end, so a typed Enter would be part of it), then forgotten.
 */
export const KEYRING_UNLOCK =
  'read -rs P && printf %s "$P" | gnome-keyring-daemon --unlock --components=secrets; unset P';

export const en = {
  ...enCore,
  ...enSea,
  'file.kind.fifo': 'a FIFO (named pipe)',
  'file.kind.directory': 'a directory',
  'file.kind.characterDevice': 'a character device',
  'file.kind.blockDevice': 'a block device',
  'file.kind.socket': 'a socket',
  'file.kind.other': 'not a regular file',
  'file.notRegular': '{path} is {what}, not a file; aws-mfa reads only regular files: point {variable} at one',
  'file.tooLarge':
    '{path} is larger than the {limit} MiB aws-mfa reads ({size} bytes); it is not a credentials or config file: ' +
    'point {variable} at the right one',
  'file.foreignSymlink':
    '{path} is a symbolic link owned by another user (uid {uid}); aws-mfa will not read or write through it: check ' +
    'it (ls -l {path}) and replace it with your own file or link',
  'file.linkLoop': '{path}: too many levels of symbolic links; point it at a regular file',
  'file.cannotRead': '{path}: cannot read the file ({code}); check its permissions',
  'file.heldOpen':
    '{path}: another program kept the file open for {seconds} seconds ({code}); close it (an editor, a sync tool, ' +
    'an AWS CLI still running) and try again',
  'file.why.writable': 'mode {mode}',
  'file.why.owner': 'it belongs to uid {uid}',
  'file.why.notFolder': 'it is not a folder',
  'file.why.loop': 'too many symbolic links',
  'config.processFromChangeable':
    'aws-mfa will not run mfa_process from {config}: {place} can be changed by other users ({why}), and a command ' +
    'from a file others can change is theirs to choose (ssh has the same rule); run: {fix}',

  // commands (one line each, for the command list and each command's help)
  'cmd.root':
    'Get or reuse an MFA session for a profile and write it to the credentials file (broamski aws-mfa compatible).',
  'cmd.export': 'Print the session as lines that set environment variables (sh, fish, powershell, cmd, json, dotenv).',
  'cmd.exec': 'Run a command with the session in its environment (--ecs-server: a credentials endpoint).',
  'cmd.serve':
    'Serve the session to containers and long-running tools on a loopback credentials endpoint (until Ctrl-C).',
  'cmd.credentialProcess': 'Print the credential_process JSON for the AWS CLI and SDKs.',
  'cmd.setupCredentialProcess': 'Write a ~/.aws/config profile whose credential_process runs aws-mfa.',
  'cmd.status': 'Show the profiles aws-mfa manages and their sessions (no AWS call).',
  'cmd.whoami': 'Show who the session is (GetCallerIdentity) and how it was obtained.',
  'cmd.console': 'Open the AWS console with a role session.',
  'cmd.clear': 'Remove the session section, so the next run asks for a code.',
  'cmd.deviceCreate':
    'Create a virtual MFA device, show its QR code, enable it with two codes and record it in the profile.',
  'cmd.deviceEnable': 'Enable an existing, unassigned MFA device with two consecutive codes.',
  'cmd.deviceList': "List the IAM user's MFA devices and the account's unassigned virtual devices.",
  'cmd.deviceRemove': 'Deactivate and delete an MFA device.',
  'cmd.keysMove':
    "Move a profile's long-term key into the OS keychain (--to keychain) or back into the credentials file (--to " +
    'file).',
  'cmd.keysList': "Show where each profile's long-term key lives (never the secret); --age adds its age from IAM.",
  'cmd.rotate':
    'Replace the long-term access key with a new one, stored where the old one was, then delete (or deactivate) the ' +
    'old one.',
  'cmd.init': 'The whole onboarding: access key checked, [NAME-long-term], region, MFA device, first session.',
  'cmd.completion': 'Print a shell completion script (bash, zsh, fish, powershell).',
  'cmd.help': 'Show help for aws-mfa or one of its commands.',

  // options
  'opt.profile': 'the profile to get a session for',
  'opt.profileStatus': 'show only this profile (default: all that aws-mfa manages; AWS_PROFILE is not read)',
  'opt.longTermSuffix': 'the long-term section is NAME-SUFFIX; none means NAME itself',
  'opt.shortTermSuffix': 'the session section is NAME-SUFFIX; none means NAME',
  'opt.source': 'go-aws-mfa form: the section with the long-term keys',
  'opt.destination': 'go-aws-mfa form: the section the session goes to',
  // an option's help: what it is; then (help adds it) the variables, what comes after them ('After'), the default
  'opt.device': 'the MFA device ARN or hardware token serial',
  'opt.deviceAfter': "aws_mfa_device or mfa_serial of the profile, then the user's only device",
  'opt.duration': 'session length in seconds: 900 to 129600',
  'opt.durationDefault': '43200, or 3600 with a role, which takes at most 43200',
  'opt.assumeRole': 'assume this role with MFA',
  'opt.assumeRoleAfter': 'assume_role in the long-term section',
  'opt.roleSessionName': 'the role session name (default: your OS user name)',
  'opt.externalId': 'the external id the role requires',
  'opt.token': 'the 6-digit MFA code (else mfa_process, else asked on the terminal, else one line of stdin)',
  'opt.prompt':
    'how to ask for the MFA code: terminal, zenity, kdialog, osascript, windows or ykman; without it or the ' +
    "variable, mfa_prompt of the profile, then the terminal, or the desktop's dialog when there is no terminal",
  'opt.minTtl': 'renew a session that ends sooner than this many seconds',
  'opt.force': 'renew even if the session is still valid',
  'opt.ecsServer': 'give the command no keys but a loopback credentials endpoint that renews the session while it runs',
  'opt.port': 'the port of the credentials endpoint on 127.0.0.1',
  'opt.portDefault': 'a free port the system chooses',
  'opt.region': 'the STS region',
  'opt.regionAfter': 'the region of the profile, then the partition default',
  'opt.connectTimeout': 'seconds to wait for a connection',
  'opt.connectTimeoutAfter': 'cli_connect_timeout in ~/.aws/config',
  'opt.readTimeout': 'seconds to wait for an answer',
  'opt.readTimeoutAfter': 'cli_read_timeout in ~/.aws/config',
  'opt.logLevel': 'DEBUG, INFO, WARNING, ERROR or CRITICAL',
  'opt.lang': 'the language of messages: en or ja',
  'opt.langAfter': "Windows' display language",
  'opt.help': 'show this help',
  'opt.version': 'show the version',
  'opt.setup': 'write [NAME-long-term] from answers on the terminal',
  'opt.formatDefault': 'sh; fish or powershell when that shell runs aws-mfa; powershell or cmd on Windows',
  'opt.format': 'sh, fish, powershell, cmd, json or dotenv',
  'opt.json': 'print JSON instead of text',
  'opt.print': 'print the sign-in URL instead of opening a browser',
  'opt.consoleDestination': 'the console page to open after sign-in',
  'opt.cpName': 'the name of the profile to write',
  'opt.user': 'the IAM user (default: the owner of the long-term key)',
  'opt.keysTo': 'where the key goes: keychain (the OS keychain) or file (the credentials file)',
  'opt.keysNewEntry':
    'with --to keychain: a new keychain entry for the key, even when the section names one (aws_mfa_keychain_id)',
  'opt.keysListProfile': "list only this profile's key",
  'opt.keysAge': "also show each key's age and status from IAM ListAccessKeys (warns past 90 days)",
  'opt.keepOld': 'deactivate the old key instead of deleting it',
  'opt.rotateWait': 'how long to wait for AWS to accept the new key',
  'opt.deviceName': 'the name of the virtual MFA device',
  'opt.devicePath': 'the IAM path of the device, starting and ending with /',
  'opt.qrPng': 'also write the QR code to this PNG file (mode 0600)',
  'opt.showSecret': 'print the Base32 seed for manual entry instead of the QR code',
  'opt.overwrite': 'replace the --qr-png file if it exists (without it, an existing file is refused)',
  'opt.code1': 'the first of two consecutive codes',
  'opt.code2': 'the second of two consecutive codes',
  'opt.serial': 'the ARN of the device to enable',
  'opt.serialRemove': 'the ARN of the device to remove',
  'opt.yes': 'do not ask for confirmation',
  'opt.replaceKey': 'replace the key in [NAME-long-term] when it holds another one',
  'opt.accessKeyId': 'the access key id (AKIA...)',
  'opt.secretStdin': 'read the secret access key from the first line of standard input',
  'opt.completionProfiles': 'print the profile names (for completion scripts)',
  'default.iamUserName': 'the IAM user name',
  'default.profileDevice': 'aws_mfa_device of the profile',

  // help
  'help.title': 'aws-mfa {version}: MFA-protected AWS sessions from the terminal',
  'help.usage': 'Usage',
  'help.options': 'Options',
  'help.examples': 'Examples',
  'help.commands': 'Commands',
  'help.default': 'default: {value}',
  'help.env': 'when not given: {names}',
  'help.envOne': 'when not given: {name}',
  'help.envThen': 'when not given: {names}, then {after}',
  'help.fromOne': 'when not given: {name}',
  'help.envSeparator': ', then ',
  'help.optionsArg': '[options]',
  'help.notes': ' ({notes})',
  'help.notesSeparator': '; ',
  'help.more': 'Each command has its own help: aws-mfa help COMMAND, or aws-mfa COMMAND --help.',
  'help.subMore': 'Each has its own help: aws-mfa {command} SUBCOMMAND --help.',
  'help.exitCodes':
    'Exit codes: 0 ok, 1 unexpected error, 2 bad usage or input, 3 files or setup, 4 AWS refused, 5 network, 75 ' +
    'another aws-mfa busy, 126/127 exec, 130 interrupted.',

  // usage errors
  'usage.unknownCommand': 'unknown command "{command}"; see aws-mfa --help',
  'usage.unknownSubcommand':
    'unknown command "{command} {sub}"; use aws-mfa {command} {choices} (see aws-mfa {command} --help)',
  'usage.unknownOption': "Unknown option '{flag}'; see {help}",
  'usage.commandFirst': '"{arg}" is a command: put it first, before the options: {command}',
  'usage.codeWithoutToken': 'an MFA code goes after --token: {command}',
  'usage.didYouMean': 'unknown command "{arg}"; did you mean: {command}',
  'usage.unexpectedArgument': "Unexpected argument '{arg}'; see {help}",
  'usage.missingValue': 'option {flag} needs a value; see {help}',
  'usage.negativeNumber': '{flag} takes a whole number, 0 or more, not "{value}"',
  'usage.dashValue': 'the value of {flag} starts with "-"; write {flag}=VALUE if you mean it',
  'usage.other': '{message}; see {help}',
  'usage.sameOption': '{flags} are the same option; give it once',
  'usage.and': ' and ',
  'usage.lang': '--lang must be en or ja, not "{value}"',
  'usage.logLevel': '--log-level must be one of {levels}, not "{value}"',
  'text.sentences': '{first}. {second}',
  'error.unexpected': 'unexpected failure: {message}',
  'error.unexpectedHint': 'unexpected failure: {message} (run with --log-level DEBUG for details)',
  'prompt.yesNo': '[y/N]',

  // names and checks
  'names.sourceDestinationTogether': '-s SOURCE and -d DESTINATION go together; give both profile names',
  'names.sourceIsDestination': '-s and -d name the same profile [{name}]; the session must go to another profile',
  'names.badName':
    '{from} "{name}" is not a profile name the AWS CLI and SDKs can use (letters, digits and _-/.%@:+ only); ' +
    'use a name like {like}',
  'names.sameSection':
    'the long-term and short-term sections would both be [{section}]; --long-term-suffix and --short-term-suffix ' +
    'must differ',
  'check.seconds': '{what} must be a whole number of seconds, not "{value}"',
  'check.timeout': '{flag} must be a positive number of seconds, not "{value}"',
  'check.deviceU2f':
    '{device} (from {source}) is a FIDO security key (U2F), which STS takes no code from; register a virtual or ' +
    'hardware TOTP device for the CLI: {command}',
  'check.deviceArn':
    '{device} (from {source}) is neither an MFA device ARN (arn:aws:iam::123456789012:mfa/NAME) nor a hardware ' +
    'token serial (like GAHT12345678); list your devices: {command}',
  'check.roleArn':
    '{role} (from {source}) is not an IAM role ARN; it must look like arn:aws:iam::123456789012:role/NAME',
  'check.durationRange': 'duration {seconds} (from {source}) is out of range; {operation} takes {min} to {max} seconds',
  'check.codeOfFlag': '{flag}: {message}',
  // a code refused: the problem, then what to do (a prompt that asks again says 'code.tryAgain' instead)
  'check.codeEmpty': 'the MFA code must be exactly 6 digits (got nothing)',
  'check.codeLetters': 'the MFA code must be exactly 6 digits (got {length} characters, and letters are not digits)',
  'check.codeLength': 'the MFA code must be exactly 6 digits (got {length} characters)',
  'check.codeLetterOne': 'the MFA code must be exactly 6 digits (got 1 character, and letters are not digits)',
  'check.codeLengthOne': 'the MFA code must be exactly 6 digits (got 1 character)',
  'check.codeAdvice': 'Type the 6 digits your authenticator shows.',
  'check.codesEqual': 'the two codes are the same',
  'check.codesEqualAdvice':
    'Wait for the app to show the next code (about 30 seconds) and type that one as the second.',
  'check.codesEqualAgain':
    'Wait for the app to show the next code (about 30 seconds) and type that one as the second ({left} left).',
  'check.externalId': '--external-id must be 2 to 1224 characters of letters, digits and +=,.@:/-',
  'check.sessionName': '--role-session-name must be 2 to 64 characters of letters, digits and +=,.@-',
  'check.accessKeyId':
    'the access key id must be 16 to 128 capital letters and digits (like AKIA...); copy it from the IAM console',
  'check.secret': 'the secret access key must not be empty or contain spaces; copy it from the IAM console',
  'check.region': '{region} (from {source}) is not a region name; it looks like ap-northeast-1 or us-east-1',
  'check.deviceName': '--name "{name}" is not a valid MFA device name: 1 to 226 letters, digits and +=,.@_-',
  'check.devicePath': '--path "{path}" must start and end with "/" (for example /engineering/)',

  // where values came from
  'source.lookup': "IAM user {user}'s only MFA device",
  'source.answer': 'your answer',

  // the profile and its files
  'files.noCredentials':
    'no credentials file at {file}; run "{command}" to create it (or set AWS_SHARED_CREDENTIALS_FILE)',
  // after the warning of the read (file.bom): what it means for this session, without saying it again
  'files.bomAfterWrite':
    'Wrote the session to [{section}], but the AWS CLI cannot use it until {file} is saved without BOM (see the ' +
    'warning above)',
  'files.noFolder':
    'cannot write {file}: the folder {dir} does not exist; create it (mkdir -p {dir}) or choose another path',
  'files.folderNotWritable': 'cannot write {file}: the folder {dir} is not writable; choose another path',
  'files.isFolder': 'cannot write {file}: it is a folder; give a file name',
  'files.cannotWrite': 'cannot write {file} ({code}); choose another path',
  'files.isAwsFile': '{file} is {path}, which aws-mfa reads: it never writes a QR code over it; give another name',
  'files.exists': '{file} already exists and aws-mfa does not replace files; give a new name, or replace it: {command}',
  'files.danglingLink':
    '{file} is a symbolic link to {target}, which does not exist, and aws-mfa does not replace it; give a new name, ' +
    'remove the link, or replace it: {command}',
  'file.notUtf8':
    '{path}:{line}: the file is not valid UTF-8 (an editor saved it as ANSI or Shift-JIS?); save it as UTF-8 ' +
    '(Notepad: File > Save As, Encoding: UTF-8)',
  'file.syntax': '{path}:{line}: {message}; fix that line (the AWS SDKs cannot read this file either)',
  'file.locked': '{path}: another aws-mfa is still writing it; try again in a moment',
  'file.noPermission': '{path}: cannot write the file or its folder ({code}); check permissions',
  'profile.longTermHoldsSession':
    "[{section}] in {file} holds a session (it has aws_session_token), not long-term keys; put the IAM user's " +
    'long-term access key there ({command})',
  'profile.sourceHoldsSession':
    '[{section}] holds a session, not long-term keys; did you swap -s and -d? (-s names the section with the ' +
    'long-term keys, -d the one the session goes to; perhaps: {command})',
  'profile.sourceMovedBeside':
    '[{section}] holds a session now, and its long-term keys are in [{beside}] (aws-mfa init moved them there); ' +
    'give that section as -s: {command}',
  'profile.longTermKeyMissing': '[{section}] in {file} has no {key}; add it ({command})',
  'hint.missingLongTerm': '[{section}] is missing from {file}',
  'hint.join': '{problem}; {hint}',
  'hint.credentialProcessProfile':
    '[{given}] is the profile the AWS CLI and SDKs use (its credential_process runs aws-mfa for [{meant}]); ' +
    'with aws-mfa itself use [{meant}]: {command}',
  'hint.longTermAsProfile': '{given} is the long-term section itself; give the profile name: {command}',
  'hint.profilePrefixInCredentials':
    'the credentials file has [profile {section}], but there sections have no "profile " prefix; rename it to ' +
    '[{section}] in {file}',
  'hint.keysInConfig':
    'its keys are in {file}, which the AWS CLI does not read keys from for aws-mfa; move them to [{section}] in ' +
    '{credentials}',
  'hint.nearMiss': 'did you mean [{section}]? Then run: {command}',
  'hint.sourceMissing': 'check the -s name: it must be the section that holds your long-term access key',
  'hint.keysInProfile':
    '[{profile}] holds long-term keys ("aws configure --profile {profile}" puts them in that section); aws-mfa ' +
    'writes its session to [{profile}], so it reads the long-term key from [{section}]: run {init} to move the ' +
    'keys there, or {sourceDestination} to keep them in [{profile}]',
  'hint.sourceDestinationSession':
    '[{profile}] holds a session from "aws-mfa -s {source} -d {profile}" (the long-term key is in [{source}]); ' +
    'renew it with: {command}',
  'hint.noProfileNamed':
    'no profile was named, so aws-mfa looked for "default"; your long-term keys are in {sections}. ' +
    'Name the profile: {command}',
  'hint.noProfileNamedMany':
    'no profile was named, so aws-mfa looked for "default"; long-term keys are in {sections}. ' +
    'Name the one you mean with --profile, as in: {command}',
  'hint.nearMissVariable': '{variable} is {given}: did you mean [{section}]? Then set it with: {command}',
  'hint.destinationNearMiss': '[{section}] is not in {file}; did you mean [{meant}]? Then run: {command}',
  'hint.runInit': 'set up the profile with: {command}',

  // the session
  'session.success': 'Success! Your credentials will expire in {seconds} seconds ({left}) at {expiration}. {use}.',
  'session.successUnreadable':
    'Got a session that expires in {seconds} seconds ({left}) at {expiration}, but the AWS CLI cannot read the ' +
    'credentials file yet (see the warning above).',
  'session.noneYet': 'No session in [{section}] yet; getting one',
  'session.fetching': 'Fetching a session for [{section}] for {seconds} seconds (from {source})',
  'session.assuming': 'Assuming role {role} for [{section}] for {seconds} seconds (from {source})',
  'source.roleKey': '{key} in {section}',
  'source.chainedCap': "AWS's 1-hour cap on roles reached by role chaining",
  'session.useRole':
    'Use them with "aws-mfa exec --profile {profile} -- COMMAND", or run "aws-mfa setup-credential-process ' +
    '--profile {profile}" once and then use --profile {profile}-auto',
  'role.notOurs':
    '{section} in {file} sets {key}, which aws-mfa does not serve (the AWS CLI and SDKs handle it themselves); use ' +
    'the profile directly, e.g.: {command}',
  'role.badArn': "role_arn = {role} in {section} of {file} is not an IAM role's ARN; set the role's ARN: {command}",
  'role.noSource':
    '{section} in {file} has role_arn but no source_profile (the profile whose keys assume the role); add one: ' +
    '{command}',
  'role.selfWithoutKeys':
    '{section} names itself as source_profile, but [{profile}] in {file} holds no access key; add one: aws ' +
    'configure --profile {profile}',
  'role.cycle':
    'the source_profile settings in {file} go round in a circle ({loop}); point one at a profile with keys: ' +
    '{command}',
  'role.missingSource':
    'source_profile = {source} in {section}, but {file} has neither [{longTerm}] (an aws-mfa profile) nor ' +
    '[{source}] with keys; set it up: {command}',
  'role.assumeRoleFlag':
    '--profile {profile} is a role profile of the config file (role_arn); --assume-role does not go with it: run ' +
    'the command again without --assume-role',
  'role.noPrivateFolder':
    'no private folder to keep role sessions in ({dir} cannot be made, or other users can change it); make it ' +
    'yours: mkdir -p {dir} && chmod 700 {dir}',
  'role.storeRefused': 'the session kept for {profile} is not a session; remove it: aws-mfa clear --profile {profile}',
  'role.chained':
    '{profile} is reached by role chaining (its source {source} is a role session): AWS caps its session at 1 hour',
  'role.chainedCapped':
    '{profile} is reached by role chaining (its source {source} is a role session): AWS caps its session at 1 hour, ' +
    'so 3600 seconds are asked instead of {asked}',
  'role.assuming':
    'Assuming role {role} for {profile} with the session of {source}, for {seconds} seconds (from {from}); no MFA ' +
    'code is sent with it',
  'role.accessDeniedMfa':
    'AWS denied AssumeRole of {role} (profile {profile}) signed by the MFA session of {source} (MFA present: yes): ' +
    "{message}; the role's trust policy must trust that user; see it with: {command}",
  'role.accessDeniedNoMfa':
    'AWS denied AssumeRole of {role} (profile {profile}) signed by the keys of {source} (MFA present: no, no ' +
    "mfa_serial is set): {message}; if the role's trust policy requires MFA, name your device: aws configure set " +
    'mfa_serial arn:aws:iam::ACCOUNT:mfa/NAME --profile {profile}',
  'role.durationRefused':
    'the role {role} (profile {profile}) refuses sessions of {seconds} seconds (from {from}): {message}; ask for ' +
    'less: {command}',
  'role.ready':
    'The session of role {role} for {profile} is valid for {seconds} seconds ({left}), until {expiration}; it is ' +
    'kept in {where}, not in the credentials file (a [{profile}] there would hide the role profile from the AWS ' +
    'CLI). {use}.',
  'role.keptKeychain': 'the {store}',
  'role.cleared': 'Removed the session of role profile {profile} ({where}); the next use assumes the role again',
  'role.nothingToClear': 'No session is kept for role profile {profile}; nothing to clear',
  'status.roleFrom': '{role} (from {source})',
  'whoami.roleSigned': 'AssumeRole signed by the MFA session of {source}',
  'session.holdsLongTermKeys':
    '[{section}] in {file} holds long-term keys (no session token), which aws-mfa never overwrites; to keep them, ' +
    'put the session elsewhere: {command}',
  'reason.missing': 'There is no session in [{section}] yet',
  'reason.forced': 'Renewing the session in [{section}] because --force was given',
  'reason.incomplete': 'The session in [{section}] is incomplete (no {key}); getting a new one',
  'reason.unreadableExpiration': 'The expiration "{value}" in [{section}] cannot be read; getting a new session',
  'reason.tokensDiffer': 'aws_security_token and aws_session_token in [{section}] differ; getting a new session',
  'reason.otherRole': 'The session in [{section}] is for role {current}, not {wanted}; getting a new one',
  'reason.roleToPlain': 'The session in [{section}] is for role {current}; getting a plain session',
  'reason.plainToRole': 'The session in [{section}] is not for role {wanted}; assuming it',
  'reason.expired': 'The session in [{section}] expired at {time}; getting a new one',
  'reason.ending': 'The session in [{section}] ends in {left}, sooner than --min-ttl {minTtl}; getting a new one',
  // status calls nothing: each reason says what to run
  'due.missing': 'no session yet; run {command} to get one',
  'due.incomplete': 'incomplete (no {key}); run {command} to get a new one',
  'due.unreadableExpiration': 'the expiration "{value}" cannot be read; run {command} to get a new session',
  'due.tokensDiffer': 'aws_security_token and aws_session_token differ; run {command} to get a new session',
  'due.otherRole': 'for role {current}, not {wanted}; run {command} to get one for {wanted}',
  'due.roleToPlain': 'for role {current}, and no role is set; run {command} to get a session without a role',
  'due.plainToRole': 'not for role {wanted}; run {command} to assume it',
  'due.expired': 'expired ({time}); run {command} to renew it',
  'due.renew': 'run {command} to renew it',
  'region.copied': 'Wrote region = {region} to [profile {section}] in {file} (copied from [{from}]) for the AWS CLI',
  'region.written':
    'Wrote region = {region} (from {source}) to [profile {section}] in {file}, so the AWS CLI has a region for it',
  'region.none':
    'The AWS CLI has no region for --profile {section}; set one with: aws configure set region {region} --profile ' +
    '{section}',

  // codes
  'code.prompt': 'Enter AWS MFA code for device [{device}] (renewing for {seconds} seconds): ',
  'code.noneEntered': 'cancelled: no MFA code was entered, and none was sent to AWS',
  'code.tryAgain': 'Try again ({left} left): type the 6 digits your authenticator shows.',
  'code.triesLeft': '{left} tries left.',
  'code.lastTry': 'That was the last of {tries} tries; nothing was sent to AWS. Run the command again.',
  'code.noStdin':
    'no MFA code: standard input is not a terminal and gave no line; pass --token CODE or pipe the code in',
  'code.noTerminal':
    'a new MFA session is needed for [{profile}] but there is no terminal to ask for the code; run "{command}" in a ' +
    'terminal first, pass --token CODE, or set mfa_process in ~/.aws/config',
  'code.mfaProcessRunning': 'running mfa_process ({source})',
  'code.mfaProcessFailed': 'mfa_process ({source}) failed ({why}); fix the command in ~/.aws/config',
  'code.dialogOk': 'OK',
  'code.dialogCancel': 'Cancel',
  'code.mfaProcessOutput': 'mfa_process ({source}) did not print a 6-digit code; fix the command in ~/.aws/config',
  'prompt.unknownDriver': 'unknown prompt driver "{value}" ({source}); use one of: {drivers}',
  'prompt.title': 'aws-mfa: MFA code for [{profile}]',
  'prompt.question': 'Enter the MFA code of device {device} (renewing for {seconds} seconds).',
  'prompt.cancelled': 'the MFA code dialog was cancelled; nothing was sent to AWS',
  'prompt.notFound': '{program} is not installed or not on PATH, so the {driver} prompt cannot ask',
  'prompt.noDisplay': 'the {driver} dialog cannot open the display "{display}"',
  'prompt.noDisplaySet':
    'the {driver} dialog needs a desktop, and neither DISPLAY nor WAYLAND_DISPLAY is set (an SSH session or a ' +
    'console without one)',
  'prompt.crashed': 'the {driver} dialog failed ({why})',
  'prompt.another': 'Choose another prompt with --prompt or AWS_MFA_PROMPT ({drivers}), or pass --token CODE.',
  'prompt.errorTitle': 'aws-mfa: error for [{profile}]',
  'prompt.ykmanTouch': 'Touch your YubiKey to give the MFA code for {device}.',
  'prompt.ykmanFailed':
    'ykman gave no code for the OATH account "{account}" ({why}); plug in the YubiKey, or set ' +
    'YKMAN_OATH_CREDENTIAL_NAME to the name "ykman oath accounts list" shows',
  'prompt.ykmanOutput': 'ykman printed no 6-digit code for the OATH account "{account}"',

  // devices
  'device.notAUser':
    "no MFA device is configured for [{section}] and its key is not an IAM user's ({arn}); pass --device ARN",
  'device.noneAtAll':
    'no MFA device is configured for [{section}] and IAM user {user} has none; create one with "{command}" or pass ' +
    '--device ARN',
  'device.several':
    'IAM user {user} has {count} MFA devices ({devices}); choose one with --device or aws_mfa_device in [{section}]',
  'device.foundOnly':
    'Using MFA device {arn}, the only one of IAM user {user} (it will be recorded with the session in [{section}]; ' +
    'add aws_mfa_device to your long-term section to choose it yourself)',
  'device.keyNotAUser':
    "the key in [{section}] is not an IAM user's ({arn}); MFA devices of the root user or of roles cannot be " +
    'managed through the API, pass --user NAME for another user',
  'device.askFirst': 'First code in your authenticator app (6 digits): ',
  'device.askSecond': 'Wait for the next code, then type it as the second (6 digits): ',
  'device.aborted': 'aborted',
  'device.codesLastTry': 'That was the last try; run the command again.',
  'device.codesTogether': '--code1 and --code2 go together: two consecutive codes from the app',
  'device.codesNeeded':
    'enabling a device needs two consecutive codes: run in a terminal, pass --code1 and --code2, or give them as ' +
    'two lines of standard input',
  'device.notListed':
    'AWS accepted the codes but {serial} is not among {user}\'s MFA devices; check "aws-mfa device list"',
  'device.orphan':
    'a virtual MFA device named {name} already exists and is not assigned to anyone (left by an earlier attempt?); ' +
    'delete it with "aws-mfa device remove --serial {serial}" or choose another --name',
  'device.qrWritten':
    "Wrote the QR code to {file} (mode 0600); delete it once your app has it: it holds the device's secret",
  'device.secretForManualEntry': 'Secret key for manual entry in your authenticator app (TOTP, 6 digits, 30 seconds):',
  'device.scanQr': 'Scan this QR code with your authenticator app (device {serial}):',
  'device.cleanedUp': '{message}; the unassigned device {serial} was deleted again, so you can start over',
  'device.cleanupFailed':
    '{message}; deleting the unassigned device {serial} failed too, remove it with "aws-mfa device remove --serial ' +
    '{serial}"',
  'device.created': 'Enabled {serial} for IAM user {user} and wrote aws_mfa_device to [{section}]. Now run: {command}',
  'device.enabled': 'Enabled {serial} for IAM user {user} and wrote aws_mfa_device to [{section}]',
  'device.enableNeedsSerial': 'device enable needs --serial ARN (aws-mfa device list shows unassigned devices)',
  'device.listTitle': 'MFA devices of IAM user {user}:',
  'device.listNone': '(none; create one with: {command})',
  'device.listUsedBy': '<- used by [{section}]',
  'device.headSerial': 'DEVICE',
  'device.headEnabled': 'ENABLED',
  'device.listUnassigned':
    'Unassigned virtual MFA devices in the account (remove leftovers with: aws-mfa device remove --serial ARN):',
  'device.usedNotAssigned': "[{section}] uses {device}, which is not among {user}'s devices",
  'device.removeWhich': 'no device to remove: pass --serial ARN ([{section}] has no aws_mfa_device)',
  'device.removeConfirm': 'removing a device needs a confirmation: run in a terminal, or pass --yes',
  'device.removeQuestion':
    'Deactivate and delete MFA device {serial}? Sign-ins that require MFA will not work with it any more.',
  'device.removeAborted': 'nothing removed; {serial} is unchanged',
  'device.removeNeedsSession':
    'AWS denied {operation} with the long-term key (policies usually require MFA for it); run "{command}" first so ' +
    'aws-mfa can use your MFA session, then try again',
  'device.removed': 'Removed {serial} from IAM user {user}',
  'device.removedAndUnset': 'Removed {serial} from IAM user {user} and aws_mfa_device from [{section}]',

  // init and --setup
  'init.needsAnswer': '{what} is needed: run in a terminal, or pass it by flag (see aws-mfa init --help)',
  'init.aborted': 'init aborted',
  'init.roleProfile':
    '[profile {profile}] in {file} is a role (role_arn): it has no keys of its own, its source [{source}] has them; ' +
    'set that one up instead: {command}',
  'init.askKeyId': 'AWS access key id (AKIA...): ',
  'init.askSecret': 'AWS secret access key (not shown): ',
  'init.askRegion': 'Default region for this profile (for example ap-northeast-1; empty: none): ',
  'init.askRegionKept': 'Default region for this profile (Enter keeps {region}): ',
  'init.regionKept': 'Kept region = {region} of [profile {section}] in {file}',
  'init.noStdinSecret': '--secret-access-key-stdin: standard input gave no line',
  'init.otherKeyExists':
    '[{section}] in {file} already holds another access key; to replace it with this one, run: {command}',
  'init.replaceQuestion': '[{section}] in {file} already holds another key; replace it?',
  'init.unchanged': 'init stopped; [{section}] is unchanged',
  'init.keyBelongs': 'The key belongs to IAM user {user} in account {account}.',
  'init.movedKeys':
    'Moved the keys of [{profile}] to [{section}] in {file} (only the header changed); [{profile}] gets the ' +
    'session.',
  'init.moveRaced': '[{section}] in {file} changed meanwhile; nothing was moved; run: {command}',
  'init.keyKept': '[{section}] already holds this key; kept it.',
  'init.wroteLongTerm': 'Wrote [{section}] to {file}.',
  'init.severalDevices': 'IAM user {user} has {count} MFA devices; choose one with --device ({devices})',
  'init.whichDevice': 'Which device should [{profile}] use? [1-{count}] ',
  'init.noDeviceChosen': 'init stopped: no device chosen; run it again or pass --device',
  'init.creatingDevice': 'IAM user {user} has no MFA device yet; creating a virtual one.',
  'init.deviceFound': 'Using {device}, the MFA device IAM user {user} already has.',
  'init.deviceEnabled': 'Enabled {device}.',
  'init.nextDevice': 'Your key is saved; to set up the device again, run: {command}',
  'init.nextSession': 'The device is set up; to get the session, run: {command}',
  'init.waitForCode': 'Now the first session: wait for a new code in your app.',
  'init.done': 'Done. [{section}] holds an MFA session for {left} (until {until}).',
  'setup.offer': 'Could not locate credentials file at {file}; create it and set up [{section}] now?',
  'setup.needsTerminal':
    '--setup asks its questions on a terminal; run it in one, or use: aws-mfa init --profile {profile} ' +
    '--access-key-id ID --secret-access-key-stdin',
  'setup.askProfile': 'Profile name to set up [{profile}]: ',
  'setup.aborted': 'setup aborted',
  'setup.replace': '[{section}] already exists in {file}; replace its keys?',
  'setup.unchanged': 'setup aborted; [{section}] is unchanged',
  'setup.askKeyId': 'aws_access_key_id: ',
  'setup.askSecret': 'aws_secret_access_key: ',
  'setup.askDevice': 'aws_mfa_device (MFA device ARN, optional): ',
  'setup.askRegion': 'region (for example ap-northeast-1, optional): ',
  'setup.done': 'Wrote [{section}] to {file}. Now run: {command}',

  // consuming the session
  'export.badFormat': '--format must be one of {formats}, not "{value}"',
  'exec.noCommand': 'exec needs a command: {command} COMMAND [ARGS...]',
  'exec.notFound': '{command}: command not found; check the name and PATH',
  'exec.notExecutable': '{command}: permission denied; it is not executable',
  // the credentials endpoint (exec --ecs-server, serve)
  'endpoint.badPort': '--port must be a port number from 1 to 65535, not "{value}"',
  'endpoint.portWithoutServer': '--port is the port of the credentials endpoint: add --ecs-server, or leave --port out',
  'endpoint.portInUse':
    'port {port} on 127.0.0.1 is in use (another aws-mfa serve?); choose another --port or leave it out',
  'endpoint.portNotAllowed':
    'port {port} on 127.0.0.1 is not allowed for this user; choose a --port above 1023 or leave it out',
  'endpoint.refused.noToken': 'no token: send the one aws-mfa gave (AWS_CONTAINER_AUTHORIZATION_TOKEN or _FILE)',
  'endpoint.refused.wrongToken': 'wrong token: each server has its own; send the one this server gave',
  'endpoint.refused.method': 'only GET is answered',
  'endpoint.refused.path': 'no such path: ask AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'endpoint.refusedLog': 'refused a credentials request (nothing renewed): {why}',
  'endpoint.failedLog': 'a credentials request got no session: {message}',
  'endpoint.defaultHasKeys':
    '[default] in {file} holds keys, which the SDKs read before the endpoint; remove them (a session aws-mfa wrote: ' +
    'aws-mfa clear --profile default)',
  'endpoint.defaultIsTheSession':
    'the session goes to [default] in {file}, which the SDKs read before the endpoint (never its renewals); name it ' +
    'otherwise: --short-term-suffix mfa',
  'endpoint.newSession': 'renewed the session in [{section}] for the credentials endpoint',
  'serve.noPrivateFolder':
    'no private folder for the token file: set XDG_CACHE_HOME (Windows: LOCALAPPDATA) to a folder only you can ' +
    'write',
  'serve.tokenFileFailed': 'cannot write the token file {file} ({code}); check that folder',
  'serve.listening':
    'Serving the session of [{section}] at {url}\nThe token is in {file} (yours alone; removed when the server ' +
    'stops).',
  'serve.forTool': 'A tool on this machine (the AWS CLI, Terraform, CDK, an SDK):',
  'serve.forDocker': 'A container (Linux; the SDKs take plain http only on loopback, hence --network host):',
  'serve.stop': 'Stop with Ctrl-C.',
  'serve.stopped': 'The credentials endpoint stopped; the token file is removed.',
  'whoami.text':
    'Profile:  {profile}\nAccount:  {account}\nARN:      {arn}\nUser ID:  {userId}\nMFA:      {mfa}\nExpires:  ' +
    '{expiration}',
  'whoami.mfaYes': 'yes ({how}{device})',
  'whoami.viaSessionToken': 'GetSessionToken with MFA',
  'whoami.viaAssumeRole': 'AssumeRole with MFA',
  'whoami.device': ', device {device}',
  'whoami.mfaUnknown': 'unknown (this session was not written by aws-mfa)',
  'console.needsRole':
    'AWS signs in to the console only with role sessions (AssumeRole) or GetFederationToken credentials, and ' +
    '[{section}] is a GetSessionToken session; use --assume-role ARN with a role you may assume',
  'console.refused':
    'the federation endpoint refused the session (HTTP {status}); AWS allows console sign-in only for role sessions ' +
    'that were not reached by role chaining',
  'console.notAToken': 'the federation endpoint answered something that is not a sign-in token',
  'console.noToken': 'the federation endpoint answered without a sign-in token',
  'console.opened': 'Opened the AWS console for [{section}] in your browser (the link is valid for 15 minutes).',
  'console.noBrowser': 'cannot open a browser ({command}); run "aws-mfa console --print" and open the link yourself',
  'console.browserFailed': 'the browser command {command} failed (exit {code}); run "aws-mfa console --print"',
  'cp.badName': '--name "{name}" is not a valid profile name (letters, digits and _-/.%@:+)',
  'cp.sessionProfile':
    "--name {name} is the profile aws-mfa writes sessions to; the AWS CLI would read that section's keys instead " +
    'of running the command, so choose another name',
  'cp.configUnsafe':
    'aws-mfa will not add a credential_process to {file}: other users can change it (or a folder above it), and so ' +
    'the command; make it yours alone (chmod go-w), then run this again',
  'cp.wrote': 'Wrote [profile {name}] to {file}:',
  'cp.howToUse':
    'The AWS CLI and SDKs now get MFA sessions with --profile {name} (or AWS_PROFILE={name}); a code is asked on ' +
    'your terminal when one is due.',
  'cp.noRegion':
    'no region is set for [{section}] nor in the environment, so [profile {name}] has none and the AWS CLI and SDKs ' +
    'will stop with "You must specify a region"; set the region you work in, e.g.: {command}',
  'cp.howToUseWindows':
    'The AWS CLI and SDKs now get MFA sessions with --profile {name} (or set AWS_PROFILE={name}); when a code is ' +
    'due it is asked in a small Windows dialog, or run "{command}" in a console once a day first.',
  'cp.windowsConsole':
    'On Windows a code that is due is asked in a small Windows dialog, or run "{command}" in a console once a day ' +
    'first.',
  'clear.nothing': '[{section}] is not in {file}; nothing to clear',
  'clear.notASession':
    '[{section}] in {file} holds keys without a session token (long-term keys?); aws-mfa removes only sessions and ' +
    'never long-term keys: edit the file yourself if you mean it',
  'clear.done': 'Removed [{section}] from {file}; the next "{command}" asks for a code',
  'completion.usage': 'usage: aws-mfa completion bash|zsh|fish|powershell',
  'completion.badShell': 'completion takes bash, zsh, fish or powershell, not "{shell}"',

  // AWS answers in words
  'aws.theEndpoint': 'the AWS endpoint',
  'aws.theDevice': 'the device',
  'aws.theMfaDevice': 'the MFA device',
  'aws.skewUnknown': 'your computer clock differs from AWS by more than 5 minutes',
  'aws.minSec': '{mins} min {secs} s',
  'aws.sec': '{secs} s',
  'aws.skewAhead': 'your computer clock is {amount} ahead of AWS (server time {server})',
  'aws.skewBehind': 'your computer clock is {amount} behind AWS (server time {server})',
  'aws.skew': "AWS rejected the request's time: {detail}; set the clock right (turn on automatic time) and try again",
  'aws.tls':
    'TLS to AWS failed for {operation} ({code}); if your network inspects TLS with its own CA, set AWS_CA_BUNDLE ' +
    "(or ca_bundle in the ~/.aws/config profile) to that CA's PEM file",
  'aws.dns':
    'cannot resolve {host} ({code}); check the network and DNS, or set HTTPS_PROXY if you must go through a proxy',
  'aws.connectTimeout':
    'could not connect to AWS for {operation} within the connect timeout; check the network and proxy, or raise ' +
    '--connect-timeout (cli_connect_timeout)',
  'aws.readTimeout':
    'AWS did not answer {operation} within the read timeout; check the network and proxy, or raise --read-timeout ' +
    '(cli_read_timeout)',
  'aws.proxy':
    'the proxy rejected the proxy credentials (HTTP {status}); check the user name and password in HTTPS_PROXY / ' +
    'HTTP_PROXY (http://USER:PASSWORD@HOST:PORT, special characters percent-encoded: @ as %40, # as %23)',
  'aws.network': 'cannot reach AWS for {operation} ({code}); check your network, proxy and --region',
  'aws.networkAt':
    'cannot reach AWS for {operation} at {endpoint} ({code}); check the endpoint settings (AWS_ENDPOINT_URL, ' +
    'endpoint_url), your network, proxy and --region',
  'aws.networkProxy':
    'cannot reach AWS for {operation} through the proxy {proxy} ({code}); check that the proxy runs at that address ' +
    'and that HTTPS_PROXY / HTTP_PROXY name it (NO_PROXY for an endpoint reached directly)',
  'aws.throttled': 'AWS throttled {operation} ({code}) even after retries; wait a minute and try again',
  'aws.wrongCode':
    'AWS rejected the MFA code for {device} (wrong, or already used); wait for the next code and try again',
  'aws.wrongDevice':
    'AWS cannot validate codes from {device} for this user; check that it is the MFA device ARN assigned to the ' +
    'user of [{section}] (aws_mfa_device)',
  'aws.sessionAsLongTerm':
    "[{section}] holds temporary session credentials; put the IAM user's long-term access key there (aws-mfa " +
    '--setup)',
  'aws.maxSessionDuration':
    'the role {role} allows shorter sessions than --duration {duration}; pass a smaller --duration (at most the ' +
    "role's maximum session duration, 3600 by default)",
  'aws.roleChaining': 'roles reached by role chaining are limited to 1 hour; pass --duration 3600 or less',
  'aws.invalidCodes':
    'AWS did not accept the two codes for {device}: type two consecutive codes as the app shows them, the second ' +
    'after the first changes',
  'aws.alreadyExists':
    '{operation}: {message}; choose another --name, or remove the old device (aws-mfa device list shows unassigned ' +
    'ones)',
  'aws.unmodifiable': 'AWS is still changing this user ({message}); try again in a minute',
  'aws.limitExceeded':
    '{operation}: {message}; a user can have at most 8 MFA devices, remove one first (aws-mfa device remove)',
  'aws.noSuchEntity': '{operation}: {message}; check the MFA device {device} (your devices: {command})',
  'aws.noSuchUser':
    '{operation}: {message}; check the IAM user name given with --user (the devices of the user whose key is in ' +
    '[{section}]: {command})',
  'aws.deleteConflict':
    '{operation}: the device is still assigned to a user; deactivate it first (aws-mfa device remove does both)',
  'aws.invalidKey':
    'AWS does not recognise the access key in [{section}] (deleted, deactivated, or for another partition); put a ' +
    'valid key there (aws-mfa --setup)',
  'aws.wrongSecret':
    'the secret access key in [{section}] does not match its access key id; fix aws_secret_access_key there',
  'aws.expiredToken':
    "the credentials in [{section}] are temporary and have expired; put the IAM user's long-term access key there",
  'aws.regionDisabled':
    'STS is not activated in region {region} for this account; pass --region with an enabled region',
  'aws.accessDenied':
    "AWS denied {operation}: {message}; check the policies (and the role's trust policy) allow it with MFA",
  'aws.accessDeniedRole':
    "AWS denied {operation} of {role}: {message}; check the policies (and the role's trust policy) allow it with " +
    'MFA',
  'aws.validation': 'AWS refused {operation}: {message}',
  'aws.other': '{operation} failed: {code}: {message}',
  'aws.badValue':
    '{operation} answered a {field} that is not {expected}; nothing was shown or written. Something other than AWS ' +
    'may have answered: check AWS_ENDPOINT_URL, the endpoint settings in ~/.aws/config, and the proxy',
  'aws.expect.serial': 'an MFA device serial',
  'aws.expect.virtualDevice': 'an MFA device ARN',
  'aws.expect.seed': 'a Base32 seed',
  'aws.expect.callerArn': 'an IAM or STS ARN',
  'aws.expect.account': 'a 12-digit account id',
  'aws.expect.userId': 'a user id',
  'aws.expect.userName': 'an IAM user name',
  'aws.expect.accessKeyId': 'an access key id',

  // status
  'status.headProfile': 'PROFILE',
  'status.headSession': 'SESSION',
  'status.headDevice': 'DEVICE',
  'status.headKeys': 'KEYS',
  'status.headRole': 'ROLE',
  'status.headKept': 'SESSION IN',
  'status.labelSession': 'Session',
  'status.labelDevice': 'Device',
  'status.labelKeys': 'Keys',
  'status.labelRole': 'Role',
  'status.labelKept': 'Session kept in',
  'status.left': '{left} left (until {until})',
  'status.validFor': 'valid for {left}',
  'status.longTermKeys': 'holds long-term keys (no session token)',
  'status.noDevice': '(device not set)',
  'status.keysFile': 'file',
  'status.keysKeychain': 'keychain',
  'status.none':
    'No profiles managed by aws-mfa in {file} (none has a [NAME-{suffix}] partner). Start with: aws-mfa init (for ' +
    'the profile "default"; add --profile and a name for another)',
  'export.controlCharacter':
    'the value of {name} holds a control character ({char}), which no shell format carries safely; print it with ' +
    '--format json, or fix the value where it comes from',
  'export.cmdUnsafe':
    'the value of {name} holds {char}, which cmd.exe cannot set safely; use --format powershell or json',
  'export.dotenvUnsafe':
    'the value of {name} holds {char}, which dotenv readers and sh read differently; use --format sh or json',
  'export.notPortable':
    'the value of {name} holds {char}, which shells quote differently, and no --format was given; name the shell ' +
    'that reads the lines: --format sh, fish, powershell, cmd, dotenv or json',
  'aws.deadline': 'no complete answer within {seconds} s',
  'aws.tooLarge': 'the answer grew past {limit}',
  'aws.answerTooLarge':
    'the answer to {operation} grew far larger than any AWS answer (a few KB): something other than AWS answered; ' +
    'check AWS_ENDPOINT_URL, the endpoint settings in ~/.aws/config, and the proxy',
  'net.badEndpoint':
    'the endpoint "{url}" (from {source}) is not an http:// or https:// URL; set it right or remove it',
  'net.proxyUnencoded':
    'the proxy URL in {name} has a "/", "?" or "#" in its user name or password; percent-encode them as the AWS CLI ' +
    'requires (@ as %40, # as %23, / as %2F, ? as %3F, : as %3A, % as %25) and set it again, with PASSWORD replaced ' +
    'by your password so encoded: {line}',
  'sts.badValue':
    '{operation} answered a {field} that cannot be a credential: it {problem}; nothing was written. Something other ' +
    'than AWS may have answered: check AWS_ENDPOINT_URL, the endpoint settings in ~/.aws/config, and the proxy',
  'sts.problemEmpty': 'is empty',
  'sts.problemLong': 'is {length} characters long, more than {max}',
  'sts.problemCharacter': 'holds {char} (only printable ASCII without spaces, "#" or ";" is allowed)',
  'sts.problemKeyId': 'is not 16 to 128 letters, digits or "_"',
  'sts.badExpiration': '{operation} answered a session without a valid expiration time; nothing was written',
  'sts.expiredAnswer':
    "{operation} answered a session that expired at {expiration}, before now ({now} by this computer's clock); " +
    "nothing was written. If this computer's clock is wrong, set it right (turn on automatic time) and try again",
  // the OS keychain (io/keychain.ts)
  'addon.unsupported': 'no OS keychain add-on exists for {platform}; keep the keys in the credentials file',
  'addon.keyring': 'the keyring add-on',
  'addon.dialog': 'the dialog add-on',
  'addon.notInstalled': '{package} ({what}) is not in {dir}; reinstall: npm install -g aws-mfa-cli',
  'addon.noBase': 'no private folder for {what}: set HOME or XDG_CACHE_HOME to your own folder (absolute)',
  'addon.noBaseWindows': 'no private folder for {what}: LOCALAPPDATA must be a folder on a local drive',
  'addon.noFolder':
    '{dir} cannot hold {what}: it must be yours alone, below folders others cannot change; run: chmod 700 "{dir}"',
  'addon.sharedFolder':
    "{dir} cannot hold {what}: it or a folder above it is another user's or others can change it; use a cache " +
    'folder of your own: export XDG_CACHE_HOME="$HOME/.cache"',
  'addon.tampered':
    '{path} is not {what} aws-mfa unpacked (it changed); remove it and the next run unpacks it again: {remove}',
  'addon.dllMissing':
    'the keyring add-on {path} could not be loaded: a DLL it needs is missing (bcryptprimitives.dll, or ' +
    'VCRUNTIME140.dll from the Visual C++ Redistributable); keep the keys in the file',
  'addon.loadFailed': '{what} {path} could not be loaded: {detail}',
  'keychain.unusable': '{what} needs the OS keychain, which cannot be used: {missing}. Nothing was changed; {fix}',
  'keychain.missing.noBus': 'no Secret Service on the session bus (DBUS_SESSION_BUS_ADDRESS is not set)',
  'keychain.missing.busUnreachable': 'the session bus at {address} does not answer',
  'keychain.missing.noSecretService': 'no Secret Service on the session bus (nothing provides org.freedesktop.secrets)',
  'keychain.missing.noCollection': 'the Secret Service has no default keyring to store into',
  'keychain.missing.locked': 'the keyring is locked and no unlock prompt could be shown',
  'keychain.missing.other': 'the {store} refused: {detail}',
  'keychain.fix.bus':
    'run aws-mfa in your desktop session; over SSH or in a container, start a session bus with an unlocked keyring ' +
    'first: dbus-run-session -- bash, then in it run this and type the keyring password (not shown) and Enter: ' +
    KEYRING_UNLOCK,
  'keychain.fix.secretService':
    'install and start a Secret Service: sudo apt-get install gnome-keyring (or use KWallet or KeePassXC), then log ' +
    'in again',
  'keychain.fix.unlock':
    "unlock your keyring: log in to the desktop, or run this, which takes the locked daemon's place, and type the " +
    'keyring password (not shown) and Enter: ' +
    KEYRING_UNLOCK.replace('--unlock', '--replace --unlock'),
  'keychain.fix.other': 'check that the keychain is unlocked and that aws-mfa may use it',
  'keychain.what.move': 'moving the key of [{section}] to the keychain',
  'keychain.what.moveBack': 'moving the key of [{section}] back to the file',
  'keychain.what.readKey': 'reading the key of [{section}] (it has aws_mfa_keychain = true)',
  'keychain.what.readSession': 'reading the MFA session of [{section}]',
  'keychain.what.writeSession': 'keeping the MFA session of [{section}]',
  'keychain.what.rotate': 'rotating the key of [{section}]',
  'keychain.what.clear': 'removing the MFA session of [{section}]',
  'clear.keychainDone': 'Removed the MFA session of [{section}] from the {store}.',
  // where long-term keys live (service/keys.ts, service/long-term-keys.ts, commands/keys.ts)
  'keys.usage': 'usage: aws-mfa keys move --profile NAME --to keychain|file, or aws-mfa keys list [--age] [--json]',
  'keys.unknownSub':
    'unknown keys command "{sub}"; use: aws-mfa keys move --profile NAME --to keychain|file, or aws-mfa keys list ' +
    '[--age] [--json]',
  'keys.moveTo':
    '--to must be keychain or file, not "{to}"; for example: aws-mfa keys move --profile work --to keychain',
  'keys.noFile': 'no credentials file at {file}; add your long-term key first: aws-mfa --setup',
  'keys.noSection':
    '[{section}] is missing from {file}; add your long-term key with "aws-mfa --setup --profile {profile}"',
  'keys.missingInFile': '[{section}] in {file} has no {key}; add it (aws-mfa --setup --profile {profile})',
  'keys.missingInKeychain':
    '[{section}] says aws_mfa_keychain = true, but the {store} has no key for it (service aws-mfa, account ' +
    '{account}); write aws_access_key_id and aws_secret_access_key into [{section}] again and remove the ' +
    'aws_mfa_keychain and aws_mfa_keychain_id lines',
  'keys.staleMarker':
    '[{section}] in {file} has aws_mfa_keychain = true and also a key pair; using the key in the file (move it ' +
    'with: aws-mfa keys move --profile {profile} --to keychain)',
  'keys.changedMeanwhile':
    '[{section}] in {file} changed while aws-mfa was working; nothing was written, run the command again',
  'keys.badKeychainId':
    '[{section}] in {file} has an {key} that aws-mfa did not make (it makes 24 hex digits); put back the line ' +
    'aws-mfa wrote, or store the key again with: aws-mfa --setup --profile {profile}',
  'keys.entryHoldsOther':
    'the keychain entry {account}, which {key} in [{section}] of {file} names, holds another key, {other}, not this ' +
    "file's {id} (the file is a copy of one that keeps its key there); nothing was changed. Give this key an entry " +
    'of its own with: aws-mfa keys move --profile {profile} --to keychain --new-entry',
  'keys.entryOfAnotherFile':
    '[{section}] in {file} names the keychain entry {account}, which belongs to {owner}, a file that still names it: ' +
    "this file is a copy of it (or its id was copied in), and a copy cannot use its original's entry; nothing was " +
    'changed. If this file replaces that one, delete {owner} and run the command again (the entry then follows ' +
    'this file); otherwise {fix}',
  'keys.fix.ownKey': 'give this file a key of its own with: aws-mfa --setup --profile {profile}',
  'keys.fix.newEntry':
    'give its key an entry of its own with: aws-mfa keys move --profile {profile} --to keychain --new-entry',
  'keys.entryAdopted':
    'The keychain entry {account} now belongs to [{section}] in {file}: {owner}, the file it belonged to, is gone or ' +
    'no longer names it (moved or renamed).',
  'keys.oldClaimed':
    '[{section}] in {file} says its key is in the keychain, but the key aws-mfa kept there under the old name that ' +
    'every file shared, {id}, was taken by another credentials file with the same section, {other}; nothing was ' +
    "changed. If {id} is this file's key, take it from that file; otherwise this file's key was overwritten " +
    'before entries had ids: store a key again with: aws-mfa --setup --profile {profile}',
  'keys.oldNotThisFile':
    "the key aws-mfa kept under the old name that every file shared ({account}), {id}, is IAM user {user}'s, who " +
    "does not have the MFA device {device} that [{section}] in {file} uses: it is another credentials file's key, " +
    "so it stays where it is and nothing was changed. This file's key was overwritten before entries had ids: " +
    'store a key again with: aws-mfa --setup --profile {profile}',
  'keys.migrated':
    'Gave the key {id} of [{section}] in {file} a keychain entry of its own ({account}); it was kept under {old}, ' +
    "which every credentials file with this section shared. Check it is this file's key with: aws-mfa keys list",
  'keys.oldNotMarked':
    'the {store} entry {account} still holds the key after it got an entry of its own; delete it with your keychain ' +
    'tool, so that no other file takes it',
  'keys.list.badId': 'aws_mfa_keychain_id is not one aws-mfa made',
  'keys.list.oldName': 'under the old shared name {account}; it gets an entry of its own when next used',
  'keys.list.otherFile': 'its entry is the one of {owner}, of which this file is a copy',
  'keys.list.oldClaimed': 'its key {id} was taken by {other}',
  'keys.alreadyKeychain': 'The key of [{section}] is already in the {store}; nothing to do.',
  'keys.alreadyFile': 'The key of [{section}] is already in {file}; nothing to do.',
  'keys.movedToKeychain':
    'Moved the key {id} of [{section}] into the {store} (service aws-mfa, account {account}); [{section}] in {file} ' +
    "now holds {marker} = true, the entry's id and no key.",
  'keys.sessionStillInFile':
    '[{short}] in {file} still holds an MFA session; credential-process, export and exec now keep sessions in the ' +
    'keychain, so you can remove it with: aws-mfa clear --profile {profile}',
  'keys.moveUndone': 'the key stays in [{section}] in {file}, and its copy in the {store} was deleted again',
  'keys.moveUndoFailed':
    'the key stays in [{section}] in {file}; deleting its copy in the {store} failed, remove it with your keychain ' +
    'tool (service aws-mfa, account {account})',
  'keys.moveKeptKeychain':
    'the key may no longer be in [{section}] in {file}, so its copy in the {store} (service aws-mfa, account ' +
    '{account}) is kept; check with: aws-mfa keys list',
  'keys.movedToFile': 'Moved the key {id} of [{section}] back into {file} and deleted it from the {store}.',
  'keys.leftInKeychain':
    'the {store} still holds entries of service {service} (accounts {accounts}); the key is in the file now, so ' +
    'delete them with your keychain tool',
  'keys.list.noKey': 'no long-term key for [{section}] in {file} or the keychain; set up the profile with: {command}',
  'keys.list.none':
    'No profiles managed by aws-mfa in {file} (none has a [NAME-{suffix}] section). Start with: aws-mfa --setup',
  'keys.list.headProfile': 'PROFILE',
  'keys.list.headKey': 'KEY',
  'keys.list.headWhere': 'STORED IN',
  'keys.list.headAge': 'AGE',
  'keys.list.keychain': 'keychain{problem}',
  'keys.list.file': '{file}',
  'keys.list.age': '{days} days, {status}',
  'keys.list.noEntry': 'no entry in the {store}',
  'keys.list.notUsers': 'not among the keys of IAM user {user}',
  'keys.list.old':
    'the key {id} of [{section}] is {days} days old (AWS recommends rotating keys every {max} days); rotate it: ' +
    'aws-mfa rotate --profile {profile}',
  // rotating a long-term key (service/rotate.ts, commands/rotate.ts)
  'rotate.badWait': '--wait must be a number of seconds from 0 to 900, not "{value}"',
  'rotate.where.file': '[{section}] in {file}',
  'rotate.where.keychain': 'the {store} (for [{section}])',
  'rotate.needsMfa':
    'AWS denied {op} with the long-term key (policies usually require MFA for it); run {command} first so ' +
    'aws-mfa can use your MFA session, then try again',
  'rotate.notUsers':
    "the key {id} of [{section}] is not one of IAM user {user}'s access keys ({keys}); pass --user NAME if it " +
    'belongs to another user',
  'rotate.twoKeys':
    'IAM user {user} already has two access keys, the most IAM allows: {id} (the one in [{section}]) and {other} ' +
    '({status}, created {created}); if nothing uses {other}, delete it: {exec} aws iam delete-access-key --user-name ' +
    '{user} --access-key-id {other}, then run {again} again. Nothing was changed',
  'rotate.incomplete':
    'CreateAccessKey for IAM user {user} answered without a complete key; check the keys with: {exec} aws iam ' +
    'list-access-keys --user-name {user}',
  'rotate.created': 'Created the new access key {id} for IAM user {user}.',
  'rotate.waiting': 'Waiting (up to {seconds} s) until AWS accepts the new key {id}...',
  'rotate.neverWorked': 'the new key {id} did not work within {seconds} s',
  'rotate.storeFailed': 'storing the new key {id} in {where} failed',
  'rotate.undone': 'the new key {id} was deleted again',
  'rotate.undoFailed':
    'deleting the new key {id} failed too ({reason}), delete it: {exec} aws iam delete-access-key --user-name {user} ' +
    '--access-key-id {id}',
  'rotate.oldKept': 'your key {id} in {where} is unchanged and still works',
  'rotate.limbo':
    'the {store} could not store the new key for [{section}] ({reason}) nor take the old one back; both keys stay ' +
    'active in AWS: {old} (old) and {new} (new); see which one the {store} holds with: aws-mfa keys list --age',
  'rotate.stored': 'Stored the new key {id} in {where}.',
  'rotate.deleteOldFailed':
    'the new key {new} is in {where} and works, but deleting the old key {old} failed ({reason}); it is still ' +
    'active: delete it with {exec} aws iam delete-access-key --user-name {user} --access-key-id {old}',
  'rotate.deactivateOldFailed':
    'the new key {new} is in {where} and works, but deactivating the old key {old} failed ({reason}); it is still ' +
    'active: {exec} aws iam update-access-key --user-name {user} --access-key-id {old} --status Inactive',
  'rotate.done': 'Done. The new key {new} is in {where}; the old key {old} of IAM user {user} is deleted.',
  'rotate.doneKept':
    'Done. The new key {new} is in {where}; the old key {old} of IAM user {user} is deactivated, not deleted: once ' +
    'nothing needs it, delete it with {exec} aws iam delete-access-key --user-name {user} --access-key-id {old}',
  'net.caBundle': 'cannot read the CA bundle {path} (from {source}): {code}; point it at a PEM file',
  'lock.notOursLink': '{path} is not a lock aws-mfa made (a symbolic link); remove it and try again',
  'lock.notOursFolder': '{path} is not a lock aws-mfa made (a folder of another user); remove it and try again',
  'lock.notOursFile': '{path} is not a lock aws-mfa made (a file); remove it and try again',
  'lock.waiting': 'another aws-mfa is getting the session for [{name}]; waiting for it to finish (up to {seconds} s)',
  'lock.waitCancelled':
    'cancelled while waiting for the other aws-mfa getting the session for [{name}]; nothing was sent to AWS',
  'lock.cancelledElsewhere':
    'the MFA code prompt of the aws-mfa this one waited for ([{name}]) was cancelled; nothing was sent to AWS',
  'lock.waitedTooLong':
    'another aws-mfa has been getting the session for [{name}] for {seconds} s and has not finished; answer or ' +
    'close its code prompt (in another window or a dialog), then run this again; if no aws-mfa is running, remove ' +
    'its lock: {command}',
} as const;
