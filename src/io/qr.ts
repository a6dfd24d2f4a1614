/**
 * QR codes for the virtual MFA device's otpauth URI: drawn in the terminal with Unicode half
 * blocks, and as a PNG file. Uses the `qrcode` library; its own chunk (dist/qr.cjs), loaded only
 * by the device commands.
 */
import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { writeExclusive } from './exclusive-write.js';

/**
 * The QR code as text. On a terminal, with explicit black-on-white colours so a phone camera reads
 * it on dark and light themes alike; elsewhere plain half blocks. One text line per two modules.
 */
export async function qrText(uri: string, colour: boolean): Promise<string> {
  return colour
    ? await QRCode.toString(uri, { type: 'terminal', small: true, errorCorrectionLevel: 'M' })
    : await QRCode.toString(uri, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * A PNG of the QR code, written 0600 from the start: created exclusively (an existing file, or one
 * that appeared since it was checked, is an EEXIST failure); with `overwrite`, a temporary file in
 * the same folder, then renamed over the file.
 */
export async function writeQrPng(file: string, uri: string, overwrite = false): Promise<void> {
  const png = await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', scale: 8, margin: 4 });
  if (!overwrite) {
    try {
      writeFileSync(file, png, { mode: 0o600, flag: 'wx' });
    } finally {
      png.fill(0);
    }
    return;
  }
  // a temporary no one can guess (the folder may be a shared one), removed only if this run made it
  try {
    writeExclusive(file, png, randomBytes(8).toString('hex'));
  } finally {
    png.fill(0);
  }
}
