import { before, after } from 'node:test';
import { startMoto, type Moto } from './moto.js';

/** Start one emulator for this test file (before its tests) and stop it after them, pass or fail. */
export function useMoto(): { readonly moto: Moto } {
  const holder: { moto?: Moto } = {};
  before(async () => {
    holder.moto = await startMoto();
  });
  after(async () => {
    await holder.moto?.stop();
  });
  return {
    get moto() {
      if (!holder.moto) throw new Error('moto_server is not started yet');
      return holder.moto;
    },
  };
}
