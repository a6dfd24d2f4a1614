/**
 * The pure parts of the Windows dialog driver (src/io/prompt/windows.ts): the in-memory dialog
 * template Windows is handed (its layout is checked here byte by byte, as DialogBoxIndirectParamW
 * reads it; the dialog itself runs under Wine in test/windows/dialog.test.ts), and the add-on it
 * needs: carried by the Windows executable only, pinned, and the same version npm installs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dialogTemplate, KOFFI } from '../../src/io/prompt/windows.js';
import { PINS } from '../../scripts/node-dist.mjs';
import { ROOT } from '../helpers/shared.js';

/** Reads a DLGTEMPLATE as Windows does: the header, then each control on a 4-byte boundary. */
function readTemplate(b: Buffer) {
  let at = 0;
  const word = () => ((at += 2), b.readUInt16LE(at - 2));
  const dword = () => ((at += 4), b.readUInt32LE(at - 4));
  const text = () => {
    let s = '';
    for (let unit = word(); unit !== 0; unit = word()) s += String.fromCharCode(unit);
    return s;
  };
  const style = dword();
  const exStyle = dword();
  const count = word();
  const box = [word(), word(), word(), word()];
  const menu = word();
  const windowClass = word();
  const title = text();
  const points = word();
  const font = text();
  const controls = [];
  for (let i = 0; i < count; i++) {
    if (at % 4) at += 4 - (at % 4);
    const start = at;
    const cStyle = dword();
    dword();
    const cBox = [word(), word(), word(), word()];
    const id = word();
    assert.equal(word(), 0xffff, 'a predefined class');
    const kind = word();
    const caption = text();
    assert.equal(word(), 0, 'no creation data');
    controls.push({ start, style: cStyle, box: cBox, id, kind, caption });
  }
  return { style, exStyle, box, menu, windowClass, title, points, font, controls, end: at };
}

test('dialogTemplate: a modal, topmost, centred dialog with the title, the question, the code field, OK (default) and Cancel', () => {
  const question = 'Enter the MFA code of device arn:aws:iam::123456789012:mfa/alice (renewing for 43200 seconds):';
  const b = dialogTemplate('aws-mfa: work', question, 'OK', 'キャンセル');
  const d = readTemplate(b);
  assert.equal(d.end, b.length, 'nothing after the last control');
  assert.equal(d.title, 'aws-mfa: work');
  assert.equal(d.font, 'MS Shell Dlg');
  assert.equal(d.points, 9);
  assert.equal(d.menu, 0);
  assert.equal(d.windowClass, 0);
  const has = (v: number, bits: number) => (v & bits) >>> 0 === bits >>> 0;
  assert.ok(has(d.style, 0x80000000 | 0x00c00000 | 0x80 | 0x800 | 0x200 | 0x40), 'WS_POPUP, WS_CAPTION, DS_MODALFRAME, DS_CENTER, DS_SETFOREGROUND, DS_SETFONT');
  assert.equal(d.exStyle, 0x8, 'WS_EX_TOPMOST');
  assert.deepEqual(
    d.controls.map((c) => [c.kind, c.id, c.caption]),
    [
      [0x82, 0xffff, question],
      [0x81, 100, ''],
      [0x80, 1, 'OK'],
      [0x80, 2, 'キャンセル'],
    ],
  );
  for (const c of d.controls) {
    assert.equal(c.start % 4, 0, 'each control starts on a DWORD boundary');
    assert.ok(has(c.style, 0x40000000 | 0x10000000), 'WS_CHILD | WS_VISIBLE');
    assert.ok(c.box[0]! + c.box[2]! <= d.box[2]! && c.box[1]! + c.box[3]! <= d.box[3]!, 'inside the dialog');
  }
  assert.ok(has(d.controls[1]!.style, 0x10000), 'the code field takes the focus (WS_TABSTOP, the first such control)');
  assert.ok(has(d.controls[2]!.style, 0x1), 'OK is the default button: Enter presses it');
});

test('dialogTemplate: every title and caption length keeps the controls aligned', () => {
  for (let n = 0; n < 6; n++) {
    const d = readTemplate(dialogTemplate('t'.repeat(n), 'q'.repeat(n + 1), 'o'.repeat(n + 2), 'c'.repeat(n)));
    assert.deepEqual(
      d.controls.map((c) => c.start % 4),
      [0, 0, 0, 0],
    );
    assert.equal(d.controls[3]!.caption, 'c'.repeat(n));
  }
});

test('the dialog add-on: koffi.node in the Windows executable only, pinned, the version package.json installs from npm', () => {
  assert.equal(KOFFI.asset, 'koffi.node');
  assert.equal(KOFFI.what, 'addon.dialog');
  const spec = PINS.targets['win-x64']!.addons['koffi.node']!;
  assert.match(spec, /^@koromix\/koffi-win32-x64@\d+\.\d+\.\d+$/);
  assert.equal(PINS.packages[spec]!.file, 'win32_x64/koffi.node');
  assert.match(PINS.packages[spec]!.binary, /^[0-9a-f]{64}$/);
  for (const target of ['linux-x64', 'linux-arm64']) assert.equal(PINS.targets[target]!.addons['koffi.node'], undefined, target);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
  assert.equal(`@koromix/koffi-win32-x64@${pkg.optionalDependencies?.['@koromix/koffi-win32-x64']}`, spec, 'exactly the pinned version');
});
