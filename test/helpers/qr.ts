/**
 * Reading QR codes back as a phone camera would: the PNG through pngjs and jsQR, and the QR code
 * drawn in a terminal with half blocks (as tmux's screen or a captured stderr holds it) turned
 * into pixels and read by jsQR too. What a test checks is the text a scanner gets, not how the
 * QR library drew it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';

// jsqr is CommonJS whose types declare an ES default export; require gives the function itself
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/** The text held by the QR code in a PNG file; throws when there is none. */
export function decodeQrPng(file: string): string {
  const png = PNG.sync.read(readFileSync(file));
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!found) throw new Error(`no QR code found in ${file}`);
  return found.data;
}

type Colour = 'dark' | 'light' | 'default';

/** SGR colour codes as the qrcode library's terminal renderer and tmux write them. */
function applySgr(params: string, state: { fg: Colour; bg: Colour }): void {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (const c of codes) {
    if (c === 0) {
      state.fg = 'default';
      state.bg = 'default';
    } else if (c === 39) state.fg = 'default';
    else if (c === 49) state.bg = 'default';
    else if (c >= 30 && c <= 37) state.fg = c === 30 ? 'dark' : 'light';
    else if (c >= 40 && c <= 47) state.bg = c === 40 ? 'dark' : 'light';
    else if (c >= 90 && c <= 97) state.fg = 'light';
    else if (c >= 100 && c <= 107) state.bg = 'light';
  }
}

const BLOCKS = /^[ ▀▄█]*$/;

/**
 * The text held by a QR code drawn with half blocks (two modules a character cell, top and
 * bottom). Colours given by escape sequences are honoured; without them, as on a light terminal,
 * the glyph is dark and the background light. The QR code is the longest run of lines made only
 * of blocks and spaces that holds at least one block.
 */
export function decodeTerminalQr(screen: string): string {
  const rows: boolean[][] = []; // true = dark, one row per half line
  let best: boolean[][] = [];
  const state = { fg: 'default' as Colour, bg: 'default' as Colour };
  const dark = (c: Colour, isFg: boolean) => (c === 'default' ? isFg : c === 'dark');
  for (const line of screen.split('\n')) {
    const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
    if (!BLOCKS.test(plain) || !/[▀▄█]/.test(plain)) {
      if (rows.length > best.length) best = rows.slice();
      rows.length = 0;
      applyAll(line, state);
      continue;
    }
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
      const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
      if (sgr) {
        applySgr(sgr[1]!, state);
        continue;
      }
      for (const ch of part) {
        const fg = dark(state.fg, true);
        const bg = dark(state.bg, false);
        top.push(ch === '█' || ch === '▀' ? fg : bg);
        bottom.push(ch === '█' || ch === '▄' ? fg : bg);
      }
    }
    rows.push(top, bottom);
  }
  if (rows.length > best.length) best = rows;
  if (best.length === 0) throw new Error(`no QR code drawn in:\n${screen}`);
  return decodeModules(best);
}

function applyAll(line: string, state: { fg: Colour; bg: Colour }): void {
  for (const m of line.matchAll(/\x1b\[([0-9;]*)m/g)) applySgr(m[1]!, state);
}

/** Modules (true = dark) to an RGBA image, 4 pixels a module with a light quiet zone, read by jsQR. */
function decodeModules(rows: boolean[][]): string {
  const SCALE = 4;
  const QUIET = 4;
  const cols = Math.max(...rows.map((r) => r.length));
  const width = (cols + 2 * QUIET) * SCALE;
  const height = (rows.length + 2 * QUIET) * SCALE;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  rows.forEach((row, y) =>
    row.forEach((isDark, x) => {
      if (!isDark) return;
      for (let dy = 0; dy < SCALE; dy++) {
        for (let dx = 0; dx < SCALE; dx++) {
          const i = (((y + QUIET) * SCALE + dy) * width + (x + QUIET) * SCALE + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    }),
  );
  const found = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
  if (!found) throw new Error(`the drawn QR code could not be read (${cols}x${rows.length} modules)`);
  return found.data;
}
