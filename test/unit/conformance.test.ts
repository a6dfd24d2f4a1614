/**
 * The SDK teams' own parser and file-location suites (test/conformance, copied byte for byte with
 * their licence and README), every case, by the rules the README there describes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IniDocument } from '../../src/ini/document.js';
import { readView, mergeViews, type ProfileView } from '../../src/ini/profiles.js';
import { resolvePaths } from '../../src/core/paths.js';
import { CONFORMANCE } from '../helpers/shared.js';

interface Input {
  configFile?: string;
  credentialsFile?: string;
}
type Loaded = { error: string } | { config?: ProfileView; credentials?: ProfileView };

function load(input: Input): Loaded {
  try {
    const config = input.configFile === undefined ? undefined : readView(IniDocument.parse(input.configFile), 'config');
    const credentials =
      input.credentialsFile === undefined ? undefined : readView(IniDocument.parse(input.credentialsFile), 'credentials');
    return { config, credentials };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const json = (f: string) => JSON.parse(readFileSync(join(CONFORMANCE, f), 'utf8'));

// Our messages are the suite's (file 1) wording; the Rust suite words some of them differently.
const RUST_WORDING: Record<string, string> = {
  "Profile definition must end with ']'": "Section definition must end with ']'",
  'Expected a profile definition': 'Expected a section definition',
  "Expected an '=' sign defining a sub-property": "Expected an '=' sign defining a property in sub-property",
  'Sub-property did not have a name': 'Property did not have a name in sub-property',
};

const suite1 = json('config-file-parser-tests.json');
suite1.tests.forEach((t: any, i: number) => {
  test(`config-file-parser-tests #${i}: ${t.name}`, () => {
    const r = load(t.input);
    if ('errorContaining' in t.output) {
      assert.ok('error' in r, `expected a failure containing "${t.output.errorContaining}"`);
      assert.match(r.error, new RegExp(t.output.errorContaining.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
      return;
    }
    assert.ok(!('error' in r), `unexpected failure: ${'error' in r ? r.error : ''}`);
    if (t.output.profiles) assert.deepEqual(mergeViews(r.config, r.credentials), t.output.profiles);
    if (t.output.ssoSessions) assert.deepEqual(r.config?.ssoSessions ?? {}, t.output.ssoSessions);
  });
});

const suite2 = json('profile-parser-tests.json');
suite2.tests.forEach((t: any, i: number) => {
  test(`profile-parser-tests #${i}: ${t.name}`, () => {
    const r = load(t.input);
    if ('errorContaining' in t.output) {
      assert.ok('error' in r, `expected a failure containing "${t.output.errorContaining}"`);
      const want = RUST_WORDING[t.output.errorContaining] ?? t.output.errorContaining;
      assert.ok(r.error.toLowerCase().includes(want.toLowerCase()), `${r.error} does not contain ${want}`);
      return;
    }
    assert.ok(!('error' in r), `unexpected failure: ${'error' in r ? r.error : ''}`);
    // this suite keeps sub-properties as raw strings and compares both maps exactly
    const profiles: Record<string, Record<string, string>> = {};
    for (const v of [r.config, r.credentials]) {
      if (!v) continue;
      for (const [name, props] of Object.entries(v.raw.profiles)) Object.assign((profiles[name] ??= {}), props);
    }
    assert.deepEqual(profiles, t.output.config.profiles);
    assert.deepEqual(r.config?.raw.ssoSessions ?? {}, t.output.config.sso_sessions ?? {});
  });
});

for (const file of ['config-file-location-tests.json', 'file-location-tests.json']) {
  json(file).tests.forEach((t: any, i: number) => {
    test(`${file} #${i}: ${t.name}`, () => {
      const home = t.languageSpecificHome === 'ignored' ? undefined : t.languageSpecificHome;
      const r = resolvePaths(t.environment, t.platform, () => {
        if (home === undefined) throw new Error('the language home must not be consulted here');
        return home;
      });
      assert.equal(r.config, t.configLocation);
      assert.equal(r.credentials, t.credentialsLocation);
      if (t.profile !== undefined) assert.equal(r.profile, t.profile);
      for (const v of Object.values(r)) assert.ok(!String(v).includes('ignored'));
    });
  });
}
