import { before, after } from 'node:test';
import { startMoto, type Moto } from './moto.js';

/**
 * Start one emulator for this test file (before its tests) and stop it after them, pass or fail.
 * `ready` resolves once it answers, for other before() hooks that need it.
 */
export function useMoto(): { readonly moto: Moto; ready: Promise<Moto> } {
  let moto: Moto | undefined;
  let resolveReady!: (m: Moto) => void;
  let rejectReady!: (e: unknown) => void;
  const ready = new Promise<Moto>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});
  before(async () => {
    try {
      moto = await startMoto();
      resolveReady(moto);
    } catch (e) {
      rejectReady(e);
      throw e;
    }
  });
  after(async () => {
    await moto?.stop();
  });
  return {
    ready,
    get moto() {
      if (!moto) throw new Error('moto_server is not started yet');
      return moto;
    },
  };
}
