/**
 * A large file noted clean is read again through the noted places of its sections alone
 * (store.ts, scan-notes.ts). Whatever the file, that read must say what reading the whole file
 * says: the same properties, the same warnings with the same line numbers, and a note that has
 * gone wrong only makes it read the whole file again.
 */
import { test, before, after, mock } from 'node:test';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProfiles } from '../../src/io/store.js';
import { NOTE_AGE_MS, identityOf } from '../../src/io/scan-notes.js';

const dir = mkdtempSync(join(tmpdir(), 'aws-mfa-places-'));
chmodSync(dir, 0o700);
// the notes' folder, as the entry hands it in
const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
after(() => rmSync(dir, { recursive: true, force: true }));
const notes = () => readFileSync(join(dir, 'cache', 'aws-mfa', 'clean-files'), 'utf8');

const filler = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `[acct${from + i}]\naws_access_key_id = AKIAFILLER${i}\n`).join('');
const files = {
  // a key twice in a wanted section: clean (the CLI warns), and the warning names file lines
  dupkey: `${filler(3000)}[work]\naws_access_key_id = A\naws_access_key_id = B\n${filler(100, 5000)}`,
  // one file read as both kinds (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, or a link)
  both: `${filler(3000)}[work]\naws_access_key_id = CRED\n[profile work]\nregion = eu-west-1\n`,
  plain: `${filler(3000)}[work]\r\naws_access_key_id = W\r\n${filler(10, 6000)}[work-long-term]\naws_access_key_id = L`,
  // [dev] holds a region only; [admin-long-term], further on, a key and a device
  // [admin-long-term] holds a comment that quotes [dev-long-term]'s header; the real [dev-long-term] follows
  quoted: `${filler(1500)}[admin-long-term]\naws_access_key_id = AKIAADMINKEY00000000\n# was called [dev-long-term] once\naws_mfa_device = arn:aws:iam::123456789012:mfa/admin\n[dev-long-term]\naws_access_key_id = AKIADEVKEY0000000000\n[dev]\nregion = eu-west-1\n${filler(1500, 3000)}`,
  splice: `${filler(1500)}[dev]\nregion = eu-west-1\n${filler(1500, 3000)}[admin-long-term]\naws_access_key_id = AKIAADMINKEY00000000\naws_mfa_device = arn:aws:iam::123456789012:mfa/admin\n${filler(10, 9000)}`,
};
before(async () => {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  // a file is noted only once its last change is a few seconds old
  await new Promise((r) => setTimeout(r, NOTE_AGE_MS + 300));
});

const view = (r: ReturnType<typeof readProfiles>) => ({ profiles: [...r.profiles].map(([n, m]) => [n, [...m]]), warnings: r.warnings });

test('read again through the noted places, a file says what it said read whole', () => {
  for (const name of ['dupkey', 'plain']) {
    const path = join(dir, name);
    const names = ['work-long-term', 'work'];
    const whole = view(readProfiles(path, 'credentials', names, env));
    assert.ok(whole.profiles.length > 0, name);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(view(readProfiles(path, 'credentials', names, env)), whole, `${name}, read ${i + 2}`);
    }
  }
  const dupkey = readProfiles(join(dir, 'dupkey'), 'credentials', ['work'], env);
  assert.match(dupkey.warnings.join('\n'), /dupkey:6003: .*first at line 6002/);
  assert.match(notes(), /credentials%3Awork=\d+-\d+/, 'places were noted (for the file without a repeated key)');
});

test('a file read as credentials and as config keeps the places of each kind apart', () => {
  const path = join(dir, 'both');
  for (let i = 0; i < 2; i++) {
    const asCredentials = view(readProfiles(path, 'credentials', ['work'], env)).profiles;
    assert.deepEqual(asCredentials, [['work', [['aws_access_key_id', 'CRED']]]]);
    assert.deepEqual(view(readProfiles(path, 'config', ['work'], env)).profiles, [['work', [['region', 'eu-west-1']]]]);
  }
});

test('places that overlap or leave the file are not read: the whole file is', () => {
  const path = join(dir, 'plain');
  const whole = view(readProfiles(path, 'credentials', ['work'], env));
  const line = notes().split('\n').find((l) => l.startsWith(`${identityOf(path)!.key}\t`))!;
  const size = Buffer.byteLength(files.plain);
  const [start, end] = /credentials%3Awork=(\d+)-(\d+)/.exec(line)!.slice(1).map(Number) as [number, number];
  // the section, then most of it again (from its header's second byte): read as noted, a line `work]`
  for (const bad of [`${start}-${end},${start + 1}-${end}`, `5-${size + 1}`]) {
    writeFileSync(join(dir, 'cache', 'aws-mfa', 'clean-files'), `${line.replace(/credentials%3Awork=[\d,-]+/, `credentials%3Awork=${bad}`)}\n`, { mode: 0o600 });
    assert.deepEqual(view(readProfiles(path, 'credentials', ['work'], env)), whole, bad);
  }
});

/** The note line of `path`, its places replaced by `fields` (`name=start-end,...`, tab-separated). */
function plantNote(path: string, fields: string, mode = 0o600): void {
  const notesFile = join(dir, 'cache', 'aws-mfa', 'clean-files');
  const key = identityOf(path)!.key;
  assert.ok(notes().split('\n').some((l) => l.startsWith(`${key}\t`) || l === key), 'the file was noted clean first');
  rmSync(notesFile, { force: true });
  writeFileSync(notesFile, `${key}\t${fields}\n`, { mode });
  chmodSync(notesFile, mode);
}

test('a planted note that splices another section under a name is not used: [dev] never gets [admin-long-term]\'s key', () => {
  const path = join(dir, 'splice');
  const text = files.splice;
  // noted clean when read whole, then the note is replaced by a crafted one
  const whole = view(readProfiles(path, 'credentials', ['dev'], env));
  assert.deepEqual(whole.profiles, [['dev', [['region', 'eu-west-1']]]]);
  const dev = text.indexOf('[dev]');
  const body = text.indexOf('aws_access_key_id = AKIAADMIN');
  const end = text.indexOf('\n[', body) + 1;
  // the header line of [dev], then the body of [admin-long-term]; and [dev] noted at [admin-long-term] whole
  for (const planted of [`${dev}-${dev + 6},${body}-${end}`, `${text.indexOf('[admin-long-term]')}-${end}`]) {
    plantNote(path, `credentials%3Adev=${planted}`);
    assert.deepEqual(view(readProfiles(path, 'credentials', ['dev'], env)), whole, planted);
  }
});

test('a noted range that starts inside a line (a comment quoting a header) is not a section: [dev-long-term] never gets [admin-long-term]\'s device', () => {
  const path = join(dir, 'quoted');
  const text = files.quoted;
  const names = ['dev-long-term', 'dev'];
  const whole = view(readProfiles(path, 'credentials', names, env));
  assert.deepEqual(whole.profiles, [['dev-long-term', [['aws_access_key_id', 'AKIADEVKEY0000000000']]], ['dev', [['region', 'eu-west-1']]]]);
  const quote = text.indexOf('[dev-long-term] once');
  const real = text.indexOf('\n[dev-long-term]') + 1;
  const dev = text.indexOf('\n[dev]') + 1;
  const end = text.indexOf('\n[', dev) + 1;
  // from the quote in the comment to the real header: "[dev-long-term] once", then admin's device
  plantNote(path, `credentials%3Adev-long-term=${quote}-${real}\tcredentials%3Adev=${dev}-${end}`);
  assert.deepEqual(view(readProfiles(path, 'credentials', names, env)), whole);
});

test('a note that says a section is not there is not believed: the file is read whole and the section found', () => {
  const path = join(dir, 'quoted');
  const names = ['dev-long-term', 'dev'];
  const whole = view(readProfiles(path, 'credentials', names, env));
  const text = files.quoted;
  const real = text.indexOf('\n[dev-long-term]') + 1;
  const dev = text.indexOf('\n[dev]') + 1;
  plantNote(path, `credentials%3Adev-long-term=${real}-${dev}\tcredentials%3Adev=`);
  assert.deepEqual(view(readProfiles(path, 'credentials', names, env)), whole);
});

test('the identity noted is that of the file read, not of whatever the path names after the read', () => {
  // another file is renamed into the path the moment after the read (the first stat of it there);
  // its places must not be filed under the identity of the file that was read
  const path = join(dir, 'switched');
  const other = join(dir, 'switched-other');
  writeFileSync(path, readFileSync(join(dir, 'plain')), { mode: 0o600 });
  writeFileSync(other, readFileSync(join(dir, 'splice')), { mode: 0o600 });
  const statOf = fs.statSync;
  let switched = false;
  const spy = mock.method(fs, 'statSync', (p: fs.PathLike, o?: fs.StatSyncOptions) => {
    if (!switched && String(p) === path) {
      switched = true;
      renameSync(other, path);
    }
    return statOf(p, o);
  });
  syncBuiltinESMExports();
  try {
    // (both files were written just now: back-date the notes' clock instead of waiting)
    const realNow = Date.now;
    Date.now = () => realNow() + NOTE_AGE_MS + 1000;
    try {
      readProfiles(path, 'credentials', ['work'], env);
    } finally {
      Date.now = realNow;
    }
  } finally {
    spy.mock.restore();
    syncBuiltinESMExports();
  }
  assert.ok(switched, 'the path was switched after the read');
  const now = identityOf(path)!.key;
  assert.ok(!notes().split('\n').some((l) => l.split('\t')[0] === now), 'the file now at the path is not noted');
  const dev = view(readProfiles(path, 'credentials', ['dev'], env)).profiles;
  assert.deepEqual(dev, [['dev', [['region', 'eu-west-1']]]]);
});
