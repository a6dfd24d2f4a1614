/**
 * `aws-mfa init --profile P`: the whole onboarding in one command (service/onboarding.ts), safe to
 * run again after a failure. Every answer can be given by a flag instead, for scripts.
 */
import { EXIT } from '../errors.js';
import { onboard } from '../service/onboarding.js';
import { SESSION_OPTIONS, OUTPUT_FILE_OPTIONS, sessionFlags, logLevelOf, otherArgs } from './options.js';
import { command } from './spec.js';

export const init = command({
  spec: {
    name: 'init',
    summary: 'cmd.init',
    usage: '--profile NAME [options]',
    options: {
      ...SESSION_OPTIONS,
      'access-key-id': { type: 'string', value: 'ID', help: 'opt.accessKeyId' },
      'secret-access-key-stdin': { type: 'boolean', help: 'opt.secretStdin' },
      'device-name': { type: 'string', value: 'NAME', defaultText: 'default.iamUserName', help: 'opt.deviceName' },
      path: { type: 'string', value: 'PATH', default: '/', help: 'opt.devicePath' },
      ...OUTPUT_FILE_OPTIONS,
      'show-secret': { type: 'boolean', help: 'opt.showSecret' },
      code1: { type: 'string', value: 'CODE', help: 'opt.code1' },
      code2: { type: 'string', value: 'CODE', help: 'opt.code2' },
      'replace-key': { type: 'boolean', help: 'opt.replaceKey' },
    },
    examples: [
      'aws-mfa init --profile work',
      'printf "%s\\n" "$SECRET" | aws-mfa init --profile work --access-key-id AKIA... --secret-access-key-stdin ' +
        '--region ap-northeast-1',
    ],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    await onboard(
      {
        flags: sessionFlags(v),
        accessKeyId: v['access-key-id'],
        secretFromStdin: v['secret-access-key-stdin'],
        deviceName: v['device-name'],
        path: v.path,
        qrPng: v['qr-png'],
        overwrite: v.overwrite,
        showSecret: v['show-secret'],
        code1: v.code1,
        code2: v.code2,
        replaceKey: v['replace-key'],
        otherArgs: otherArgs(v),
      },
      ctx,
    );
    return EXIT.OK;
  },
});

export const commands = [init];
