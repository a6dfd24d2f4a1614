/**
 * The Windows dialog driver (issue 26): where no terminal is (an IDE or Terraform running
 * credential_process), the MFA code is asked in a small native dialog and errors are shown in a
 * message box. PowerShell is not used (a child process would need a console, and Wine has none);
 * user32 is called directly through koffi's FFI, whose native file travels as an add-on
 * (io/addon.ts: the executable's asset `koffi.node`, or @koromix/koffi-win32-x64 of the npm install).
 * - The dialog is built in memory (DialogBoxIndirectParamW): the question, one edit field, OK and
 *   Cancel, in the user's language; it is modal, topmost and brought to the foreground.
 * - This module is its own chunk, loaded only when a dialog is shown: the add-on is never touched
 *   on the cached path.
 * Windows x64 only (the add-on aws-mfa carries); elsewhere the driver fails with a clear reason.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addonFromInstall, addonFromSea, type Addon } from '../addon.js';
import { inSea, loaderEnv } from '../../start/chunk-hit.js';
import { t } from '../../messages/index.js';
import type { AskDialog, PromptRequest, ShowError } from './types.js';
import { DialogFailure } from './run.js';

/** koffi's native add-on: the asset in the executable, and its npm package with the file inside. */
export const KOFFI: Addon = { asset: 'koffi.node', what: 'addon.dialog' };
const KOFFI_PACKAGE = '@koromix/koffi-win32-x64';
const KOFFI_FILE = join('win32_x64', 'koffi.node');

/** The part of koffi's API this driver uses. */
type Native = (...args: unknown[]) => unknown;
interface Koffi {
  load(dll: string): { func(convention: string, name: string, result: string, params: unknown[]): Native };
  proto(convention: string, name: string, result: string, params: string[]): unknown;
  pointer(type: unknown): unknown;
  register(f: (...args: never[]) => number, type: unknown): unknown;
  unregister(registered: unknown): void;
}

declare const __BUNDLED__: boolean | undefined;
declare const __dirname: string;

/** koffi's add-on, from the executable or the npm install this chunk is in (dist/.. is its root). */
function loadKoffi(): Koffi {
  if (process.platform !== 'win32' || process.arch !== 'x64')
    throw new Error(`no dialog add-on for ${process.platform}-${process.arch}`);
  if (inSea()) return addonFromSea<Koffi>(KOFFI, loaderEnv());
  if (typeof __BUNDLED__ === 'undefined' || !__BUNDLED__)
    throw new Error('the Windows dialog runs from the bundle (npm run build)');
  return addonFromInstall<Koffi>(dirname(__dirname), KOFFI_PACKAGE, KOFFI, (dir) =>
    existsSync(join(dir, KOFFI_FILE)) ? join(dir, KOFFI_FILE) : undefined,
  );
}

/** The user32 and kernel32 functions, bound on first use. */
function bind() {
  const koffi = loadKoffi();
  const user32 = koffi.load('user32.dll');
  const kernel32 = koffi.load('kernel32.dll');
  const stdcall = (lib: typeof user32, name: string, result: string, params: unknown[]) =>
    lib.func('__stdcall', name, result, params);
  const dialogProc = koffi.pointer(
    koffi.proto('__stdcall', 'AwsMfaDialogProc', 'intptr_t', ['void *', 'uint', 'uintptr_t', 'intptr_t']),
  );
  return {
    koffi,
    dialogProc,
    DialogBoxIndirectParamW: stdcall(user32, 'DialogBoxIndirectParamW', 'intptr_t', [
      'void *',
      'void *',
      'void *',
      dialogProc,
      'intptr_t',
    ]),
    GetDlgItemTextW: stdcall(user32, 'GetDlgItemTextW', 'uint', ['void *', 'int', 'void *', 'int']),
    EndDialog: stdcall(user32, 'EndDialog', 'bool', ['void *', 'intptr_t']),
    SetForegroundWindow: stdcall(user32, 'SetForegroundWindow', 'bool', ['void *']),
    MessageBoxW: stdcall(user32, 'MessageBoxW', 'int', ['void *', 'str16', 'str16', 'uint']),
    GetModuleHandleW: stdcall(kernel32, 'GetModuleHandleW', 'void *', ['void *']),
  };
}
let bound: ReturnType<typeof bind> | undefined;
const win32 = () => (bound ??= bind());

// user32's numbers (WinUser.h)
const WM_INITDIALOG = 0x0110;
const WM_COMMAND = 0x0111;
const IDOK = 1;
const IDCANCEL = 2;
const CODE_FIELD = 100;
const WS_POPUP = 0x80000000;
const WS_CHILD = 0x40000000;
const WS_VISIBLE = 0x10000000;
const WS_CAPTION = 0x00c00000;
const WS_BORDER = 0x00800000;
const WS_SYSMENU = 0x00080000;
const WS_TABSTOP = 0x00010000;
const WS_EX_TOPMOST = 0x00000008;
const DS_SETFONT = 0x40;
const DS_MODALFRAME = 0x80;
const DS_SETFOREGROUND = 0x200;
const DS_CENTER = 0x800;
const ES_AUTOHSCROLL = 0x80;
const BS_DEFPUSHBUTTON = 0x1;
const BUTTON = 0x80;
const EDIT = 0x81;
const STATIC = 0x82;
const MB_ICONERROR = 0x10;
const MB_SETFOREGROUND = 0x10000;
const MB_TOPMOST = 0x40000;

/** One control of the dialog, in dialog units. */
interface Control {
  style: number;
  box: [x: number, y: number, width: number, height: number];
  id: number;
  kind: number;
  text: string;
}

/**
 * The in-memory DLGTEMPLATE (with DS_SETFONT) of the code dialog: the question, the code field,
 * OK (the default button) and Cancel. Each control starts on a 4-byte boundary, as Windows requires.
 */
export function dialogTemplate(title: string, text: string, ok: string, cancel: string): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  const words = (...w: number[]) => push(Buffer.from(Uint16Array.from(w, (v) => v & 0xffff).buffer));
  const dword = (v: number) => push(Buffer.from(Uint32Array.of(v >>> 0).buffer));
  const text16 = (s: string) => push(Buffer.from(`${s}\0`, 'utf16le'));
  const controls: Control[] = [
    { style: 0, box: [7, 7, 266, 52], id: 0xffff, kind: STATIC, text },
    { style: WS_BORDER | WS_TABSTOP | ES_AUTOHSCROLL, box: [7, 62, 266, 14], id: CODE_FIELD, kind: EDIT, text: '' },
    { style: WS_TABSTOP | BS_DEFPUSHBUTTON, box: [169, 82, 50, 14], id: IDOK, kind: BUTTON, text: ok },
    { style: WS_TABSTOP, box: [223, 82, 50, 14], id: IDCANCEL, kind: BUTTON, text: cancel },
  ];
  dword(WS_POPUP | WS_CAPTION | WS_SYSMENU | DS_MODALFRAME | DS_CENTER | DS_SETFOREGROUND | DS_SETFONT);
  dword(WS_EX_TOPMOST);
  words(controls.length, 0, 0, 280, 103);
  words(0, 0); // no menu, the standard dialog class
  text16(title);
  words(9);
  text16('MS Shell Dlg');
  for (const c of controls) {
    if (length % 4) push(Buffer.alloc(4 - (length % 4)));
    dword(c.style | WS_CHILD | WS_VISIBLE);
    dword(0);
    words(...c.box, c.id, 0xffff, c.kind);
    text16(c.text);
    words(0); // no creation data
  }
  return Buffer.concat(parts);
}

/** Asks for the code in the dialog: what was typed, or undefined when it was cancelled or closed. */
export const askWindows: AskDialog = async (req: PromptRequest) => {
  const w = win32();
  let typed: string | undefined;
  const proc = w.koffi.register((dialog: unknown, message: number, wParam: number | bigint) => {
    if (message === WM_INITDIALOG) {
      w.SetForegroundWindow(dialog);
      return 1; // the focus goes to the code field, the first control that takes it
    }
    if (message !== WM_COMMAND) return 0;
    const id = Number(BigInt(wParam) & 0xffffn);
    if (id === IDOK) {
      const buffer = Buffer.alloc(2 * 64);
      const n = w.GetDlgItemTextW(dialog, CODE_FIELD, buffer, 64) as number;
      typed = buffer.toString('utf16le', 0, 2 * n);
    }
    if (id === IDOK || id === IDCANCEL) {
      w.EndDialog(dialog, id);
      return 1;
    }
    return 0;
  }, w.dialogProc);
  try {
    const form = dialogTemplate(req.title, req.text, t('code.dialogOk'), t('code.dialogCancel'));
    const result = Number(w.DialogBoxIndirectParamW(w.GetModuleHandleW(null), form, null, proc, 0));
    if (result === IDOK) return typed ?? '';
    if (result === IDCANCEL) return undefined;
    // no dialog could be shown (no desktop for this process): a driver that cannot work here (exit 3)
    throw new DialogFailure(
      t('prompt.crashed', { driver: 'windows', why: `DialogBoxIndirectParamW returned ${result}` }),
    );
  } finally {
    w.koffi.unregister(proc);
  }
};

/** Shows an error in a message box; resolves when it is dismissed. */
export const showWindowsError: ShowError = async (req: PromptRequest) => {
  const w = win32();
  const result = w.MessageBoxW(null, req.text, req.title, MB_ICONERROR | MB_SETFOREGROUND | MB_TOPMOST) as number;
  if (result === 0) throw new Error('MessageBoxW failed');
};
