/**
 * English, the reference catalog. Keys are `area.what`; placeholders are `{name}`. Machine-readable
 * output (export, credential-process, --json, completion scripts) never comes from here.
 */
export const en = {
  'session.stillValid':
    'Your credentials are still valid for {seconds} seconds ({left}); they will expire at {expiration}. Use --profile {profile}; --force renews now.',
  // the OS keychain (io/keychain.ts)
  'keychain.unusable': '{what} needs the OS keychain, which cannot be used: {missing}; {fix}. Nothing was changed',
  'keychain.missing.noBus': 'no Secret Service on the session bus (DBUS_SESSION_BUS_ADDRESS is not set)',
  'keychain.missing.busUnreachable': 'the session bus at {address} does not answer',
  'keychain.missing.noSecretService': 'no Secret Service on the session bus (nothing provides org.freedesktop.secrets)',
  'keychain.missing.noCollection': 'the Secret Service has no default keyring to store into',
  'keychain.missing.locked': 'the keyring is locked and no unlock prompt could be shown',
  'keychain.missing.other': 'the {store} refused: {detail}',
  'keychain.fix.bus':
    'run aws-mfa in your desktop session; over SSH or in a container, start a session bus with an unlocked keyring first: dbus-run-session -- bash, then in it: gnome-keyring-daemon --unlock --components=secrets (type the keyring password, then Ctrl-D)',
  'keychain.fix.secretService': 'install and start a Secret Service: sudo apt-get install gnome-keyring (or use KWallet or KeePassXC), then log in again',
  'keychain.fix.unlock': 'unlock your keyring: log in to the desktop, or run gnome-keyring-daemon --unlock --components=secrets and type its password',
  'keychain.fix.other': 'check that the keychain is unlocked and that aws-mfa may use it',
  'keychain.what.move': 'moving the key of [{section}] to the keychain',
  'keychain.what.moveBack': 'moving the key of [{section}] back to the file',
  'keychain.what.readKey': 'reading the key of [{section}] (it has aws_mfa_keychain = true)',
  'keychain.what.readSession': 'reading the MFA session of [{section}]',
  'keychain.what.writeSession': 'keeping the MFA session of [{section}]',
  'keychain.what.rotate': 'rotating the key of [{section}]',
  // where long-term keys live (service/keys.ts, service/long-term-keys.ts, commands/keys.ts)
  'keys.usage': 'usage: aws-mfa keys move --profile NAME --to keychain|file, or aws-mfa keys list [--age] [--json]',
  'keys.unknownSub': 'unknown keys command "{sub}"; use: aws-mfa keys move --profile NAME --to keychain|file, or aws-mfa keys list [--age] [--json]',
  'keys.moveTo': '--to must be keychain or file, not "{to}"; for example: aws-mfa keys move --profile work --to keychain',
  'keys.noFile': 'no credentials file at {file}; add your long-term key first: aws-mfa --setup',
  'keys.noSection': '[{section}] is missing from {file}; add your long-term key with "aws-mfa --setup --profile {profile}"',
  'keys.missingInFile': '[{section}] in {file} has no {key}; add it (aws-mfa --setup --profile {profile})',
  'keys.missingInKeychain':
    '[{section}] in {file} says aws_mfa_keychain = true, but the {store} has no key for it (service aws-mfa, account long-term:{section}); write aws_access_key_id and aws_secret_access_key into [{section}] again and remove the aws_mfa_keychain line',
  'keys.staleMarker': '[{section}] in {file} has aws_mfa_keychain = true and also a key pair; using the key in the file (move it with: aws-mfa keys move --profile {profile} --to keychain)',
  'keys.changedMeanwhile': '[{section}] in {file} changed while aws-mfa was working; nothing was written, run the command again',
  'keys.alreadyKeychain': 'The key of [{section}] is already in the {store}; nothing to do.',
  'keys.alreadyFile': 'The key of [{section}] is already in {file}; nothing to do.',
  'keys.movedToKeychain': 'Moved the key {id} of [{section}] into the {store} (service aws-mfa, account long-term:{section}); [{section}] in {file} now holds {marker} = true and no key.',
  'keys.sessionStillInFile':
    '[{short}] in {file} still holds an MFA session; credential-process, export and exec now keep sessions in the keychain, so you can remove it with: aws-mfa clear --profile {profile}',
  'keys.moveUndone': 'the key stays in [{section}] in {file}, and its copy in the {store} was deleted again',
  'keys.moveUndoFailed': 'the key stays in [{section}] in {file}; deleting its copy in the {store} failed, remove it with your keychain tool (service aws-mfa, account long-term:{section})',
  'keys.moveKeptKeychain': 'the key may no longer be in [{section}] in {file}, so its copy in the {store} (service aws-mfa, account long-term:{section}) is kept; check with: aws-mfa keys list',
  'keys.movedToFile': 'Moved the key {id} of [{section}] back into {file} and deleted it from the {store}.',
  'keys.leftInKeychain': 'the {store} still holds entries of service {service} (accounts {accounts}); the key is in the file now, so delete them with your keychain tool',
  'keys.list.none': 'No profiles managed by aws-mfa in {file} (none has a [NAME-{suffix}] section). Start with: aws-mfa --setup',
  'keys.list.keychain': 'keychain{problem}',
  'keys.list.file': '{file}',
  'keys.list.age': '{days} days, {status}',
  'keys.list.noEntry': 'no entry in the {store}',
  'keys.list.notUsers': 'not among the keys of IAM user {user}',
  'keys.list.old': 'the key {id} of [{section}] is {days} days old (AWS recommends rotating keys every {max} days); rotate it: aws-mfa rotate --profile {profile}',
  // rotating a long-term key (service/rotate.ts, commands/rotate.ts)
  'rotate.badWait': '--wait must be a number of seconds from 0 to 900, not "{value}"',
  'rotate.where.file': '[{section}] in {file}',
  'rotate.where.keychain': 'the {store} (for [{section}])',
  'rotate.needsMfa': 'AWS denied {op} with the long-term key (policies usually require MFA for it); run "aws-mfa --profile {profile}" first so aws-mfa can use your MFA session, then try again',
  'rotate.notUsers': "the key {id} of [{section}] is not one of IAM user {user}'s access keys ({keys}); pass --user NAME if it belongs to another user",
  'rotate.twoKeys':
    'IAM user {user} already has two access keys, the most IAM allows: {id} (the one in [{section}]) and {other} ({status}, created {created}); if nothing uses {other}, delete it: aws iam delete-access-key --user-name {user} --access-key-id {other}, then run aws-mfa rotate again. Nothing was changed',
  'rotate.incomplete': 'CreateAccessKey for IAM user {user} answered without a complete key; check the keys with: aws iam list-access-keys --user-name {user}',
  'rotate.created': 'Created the new access key {id} for IAM user {user}.',
  'rotate.waiting': 'Waiting (up to {seconds} s) until AWS accepts the new key {id}...',
  'rotate.neverWorked': 'the new key {id} did not work within {seconds} s',
  'rotate.storeFailed': 'storing the new key {id} in {where} failed',
  'rotate.undone': 'the new key {id} was deleted again',
  'rotate.undoFailed': 'deleting the new key {id} failed too ({reason}), delete it: aws iam delete-access-key --user-name {user} --access-key-id {id}',
  'rotate.oldKept': 'your key {id} in {where} is unchanged and still works',
  'rotate.limbo':
    'the {store} could not store the new key for [{section}] ({reason}) nor take the old one back; both keys stay active in AWS: {old} (old) and {new} (new); see which one the {store} holds with: aws-mfa keys list --age',
  'rotate.stored': 'Stored the new key {id} in {where}.',
  'rotate.deleteOldFailed':
    'the new key {new} is in {where} and works, but deleting the old key {old} failed ({reason}); it is still active: delete it with aws iam delete-access-key --user-name {user} --access-key-id {old}',
  'rotate.deactivateOldFailed':
    'the new key {new} is in {where} and works, but deactivating the old key {old} failed ({reason}); it is still active: aws iam update-access-key --user-name {user} --access-key-id {old} --status Inactive',
  'rotate.done': 'Done. The new key {new} is in {where}; the old key {old} of IAM user {user} is deleted.',
  'rotate.doneKept':
    'Done. The new key {new} is in {where}; the old key {old} of IAM user {user} is deactivated, not deleted: once nothing needs it, delete it with aws iam delete-access-key --user-name {user} --access-key-id {old}',
} as const;
