/**
 * How a typed MFA code is checked before anything is sent (src/core/checks.ts): six ASCII digits
 * out, whatever the authenticator app or a Japanese input method typed; anything else refused with
 * what was wrong, counted in English as people count ("1 character", "5 characters").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCode } from '../../src/core/checks.js';

test('codes as typed: spaces, hyphens, full-width digits and the long vowel mark give the six digits', () => {
  for (const [typed, code] of [
    ['123456', '123456'],
    [' 123456\n', '123456'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    ['１２３４５６', '123456'],
    ['１２３ー４５６', '123456'],
  ]) {
    assert.equal(checkCode(typed!), code, JSON.stringify(typed));
  }
});

test('a refused code says what was typed, with "1 character" for one', () => {
  for (const [typed, problem] of [
    ['', /\(got nothing\)/],
    ['1', /\(got 1 character\)/],
    ['22', /\(got 2 characters\)/],
    ['12345', /\(got 5 characters\)/],
    ['a', /\(got 1 character, and letters are not digits\)/],
    ['abcdef', /\(got 6 characters, and letters are not digits\)/],
  ] as const) {
    assert.throws(() => checkCode(typed), (e: Error) => problem.test(e.message), JSON.stringify(typed));
  }
});
