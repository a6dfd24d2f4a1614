/** 日本語: a single executable's last-resort messages (en-sea.ts). ja.ts spreads these. */
import type { enSea } from './en-sea.js';

export const jaSea: { readonly [K in keyof typeof enSea]: string } = {
  'sea.damaged': '{exe} が壊れています（{detail}）。新しいものに置き換えてください（npm run package で作れます）',
  'sea.failed': '想定外の失敗です: {message}',
};
