/**
 * Where a long-term key lives and which keychain entries a section names (core/key-location.ts),
 * pinned: the marker and id keys, the id format io/keychain.ts makes, and what counts as no id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYCHAIN_ID, KEYCHAIN_ID_PATTERN, KEYCHAIN_MARKER, entryOwnership, fileNamesEntry, keychainIdOf, keyLocation } from '../../src/core/key-location.js';
import { longTermAccount, newKeychainId, oldLongTermAccount, oldSessionAccount, sessionAccount } from '../../src/io/keychain.js';

const props = (o: Record<string, string>) => new Map(Object.entries(o));

test('the section keys: aws_mfa_keychain marks the key as kept in the keychain, aws_mfa_keychain_id names its entries', () => {
  assert.equal(KEYCHAIN_MARKER, 'aws_mfa_keychain');
  assert.equal(KEYCHAIN_ID, 'aws_mfa_keychain_id');
  assert.equal(keyLocation(props({ aws_mfa_keychain: 'true', aws_mfa_keychain_id: '0123456789abcdef01234567' })), 'keychain');
  assert.equal(keyLocation(props({ aws_mfa_keychain: 'true', aws_mfa_keychain_id: 'x', aws_access_key_id: 'A', aws_secret_access_key: 'S' })), 'file', 'a key pair in the file wins');
});

test('keychainIdOf: 24 hex digits is an id; none or empty is no id (an entry under the old shared name); anything else is invalid', () => {
  assert.equal(keychainIdOf(props({ aws_mfa_keychain_id: '0123456789abcdef01234567' })), '0123456789abcdef01234567');
  assert.equal(keychainIdOf(props({ aws_mfa_keychain_id: ' 0123456789abcdef01234567 ' })), '0123456789abcdef01234567');
  assert.equal(keychainIdOf(props({})), undefined);
  assert.equal(keychainIdOf(props({ aws_mfa_keychain_id: '' })), undefined);
  for (const bad of ['0123456789ABCDEF01234567', '0123456789abcdef0123456', 'work-long-term', '../x', '0123456789abcdef01234567:work']) {
    assert.equal(keychainIdOf(props({ aws_mfa_keychain_id: bad })), 'invalid', bad);
  }
});

test('newKeychainId makes ids keychainIdOf accepts, a new one each time', () => {
  const ids = new Set(Array.from({ length: 100 }, () => newKeychainId()));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, KEYCHAIN_ID_PATTERN);
});

test('entry names: long-term@ID and session@ID:SHORT, never the old shared long-term:SECTION and session:SHORT', () => {
  assert.equal(longTermAccount('0123456789abcdef01234567'), 'long-term@0123456789abcdef01234567');
  assert.equal(sessionAccount('0123456789abcdef01234567', 'work'), 'session@0123456789abcdef01234567:work');
  assert.equal(oldLongTermAccount('work-long-term'), 'long-term:work-long-term');
  assert.equal(oldSessionAccount('work'), 'session:work');
});

test('entryOwnership: the recorded file owns its entry; a copy is refused only while the owner is there and names it', () => {
  const [a, b] = ['/home/u/.aws/credentials', '/home/u/.aws/credentials-copy'];
  assert.equal(entryOwnership(a, a, undefined), 'own');
  assert.equal(entryOwnership(undefined, b, undefined), 'adopt', 'an entry made before owners were recorded: the first file to use it');
  assert.equal(entryOwnership(a, b, { sameFile: false, namesEntry: true }), 'copy', 'the owner is there and names it: a copy, or a forged id');
  assert.equal(entryOwnership(a, b, undefined), 'adopt', 'the owner is gone: the file was moved or renamed');
  assert.equal(entryOwnership(a, b, { sameFile: false, namesEntry: false }), 'adopt', 'the owner no longer names it');
  assert.equal(entryOwnership(a, b, { sameFile: true, namesEntry: true }), 'own', 'the recorded owner is this very file reached another way');
});

test('fileNamesEntry: any section of the file whose aws_mfa_keychain_id is the id', () => {
  const id = '0123456789abcdef01234567';
  assert.equal(fileNamesEntry([props({}), props({ aws_mfa_keychain_id: id })], id), true);
  assert.equal(fileNamesEntry([props({ aws_mfa_keychain_id: ` ${id} ` })], id), true);
  assert.equal(fileNamesEntry([props({ aws_mfa_keychain_id: 'fedcba9876543210fedcba98' })], id), false);
  assert.equal(fileNamesEntry([], id), false);
});
