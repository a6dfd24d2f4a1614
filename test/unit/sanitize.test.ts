/** The terminal sanitizer: nothing a terminal acts on gets through, and plain text is untouched. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { terminalLine, terminalText, human } from '../../src/core/sanitize.js';

const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

test('escape sequences, OSC 52, CR tricks and bidi overrides are shown, not acted on', () => {
  assert.equal(terminalLine('a\x1b]52;c;ZXZpbA==\x07b'), 'a\\x1b]52;c;ZXZpbA==\\x07b');
  assert.equal(terminalLine('\x1b[2J\x1b[H'), '\\x1b[2J\\x1b[H');
  assert.equal(terminalLine('ok\rSuccess!'), 'ok\\rSuccess!');
  assert.equal(terminalLine('line1\nline2\ttab'), 'line1\\nline2\\ttab');
  assert.equal(terminalLine('csi\u009b31m'), 'csi\\x9b31m');
  assert.equal(terminalLine('abc\u202edcba'), 'abc\\u202edcba');
  assert.equal(terminalText('two\nlines\x1b[2J\r'), 'two\nlines\\x1b[2J\\r');
});

test('plain text (Unicode included) passes unchanged; nothing active ever comes out', () => {
  assert.equal(terminalLine('arn:aws:iam::123456789012:mfa/élan 😀 “quoted”'), 'arn:aws:iam::123456789012:mfa/élan 😀 “quoted”');
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => !ACTIVE.test(terminalLine(s)) && !ACTIVE.test(terminalText(s).replace(/\n/g, ''))),
    { numRuns: 500 },
  );
});

test('human`...` keeps the template and makes each value one safe line', () => {
  const arn = 'arn:aws:sts::1:assumed-role/x\nMFA:      yes\x1b]52;c;eA==\x07';
  assert.equal(human`ARN: ${arn}\nnext\n`, 'ARN: arn:aws:sts::1:assumed-role/x\\nMFA:      yes\\x1b]52;c;eA==\\x07\nnext\n');
});
