/**
 * English, the reference catalog. Keys are `area.what`; placeholders are `{name}`. Machine-readable
 * output (export, credential-process, --json, completion scripts) never comes from here.
 */
export const en = {
  'file.kind.fifo': 'a FIFO (named pipe)',
  'file.kind.directory': 'a directory',
  'file.kind.characterDevice': 'a character device',
  'file.kind.blockDevice': 'a block device',
  'file.kind.socket': 'a socket',
  'file.kind.other': 'not a regular file',
  'file.notRegular': '{path} is {what}, not a file; aws-mfa reads only regular files: point {variable} at one',
  'file.tooLarge':
    '{path} is larger than the {limit} MiB aws-mfa reads ({size} bytes); it is not a credentials or config file: point {variable} at the right one',
  'file.foreignSymlink':
    '{path} is a symbolic link owned by another user (uid {uid}); aws-mfa will not read or write through it: check it (ls -l {path}) and replace it with your own file or link',
  'file.linkLoop': '{path}: too many levels of symbolic links; point it at a regular file',
  'file.cannotRead': '{path}: cannot read the file ({code}); check its permissions',
  'file.heldOpen':
    '{path}: another program kept the file open for {seconds} seconds ({code}); close it (an editor, a sync tool, an AWS CLI still running) and try again',
  'file.readableByOthers': '{path} is readable by other users (mode {mode}); run: chmod 600 {path}',
  'file.folderListable': '{dir} can be listed by other users (mode {mode}); run: chmod 700 {dir}',
  'file.writableByOthers': '{path} can be changed by other users (mode {mode}); run: chmod go-w {path}',
  'file.folderWritableByOthers': '{dir} can be changed by other users (mode {mode}), who could replace {path}; run: chmod go-w {dir}',
  'file.why.writable': 'mode {mode}',
  'file.why.owner': 'it belongs to uid {uid}',
  'file.why.notFolder': 'it is not a folder',
  'file.why.loop': 'too many symbolic links',
  'config.processFromChangeable':
    'aws-mfa will not run mfa_process from {config}: {place} can be changed by other users ({why}), and a command from a file others can change is theirs to choose (ssh has the same rule); run: {fix}',
  'session.stillValid':
    'Your credentials are still valid for {seconds} seconds ({left}); they will expire at {expiration}. Use --profile {profile}; --force renews now.',
} as const;
