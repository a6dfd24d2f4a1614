/**
 * `aws-mfa device create|enable|list|remove`: the virtual MFA device lifecycle from the terminal.
 * Adapters over service/devices.ts; every file change is one lossless locked write.
 */
import { EXIT, CliError, usageError, configError } from '../errors.js';
import { t } from '../messages/index.js';
import { writeProfileTo } from '../io/store.js';
import { checkWritable, overwriteArgs } from '../io/qr-target.js';
import { filePaths } from '../context.js';
import { checkDevice } from '../core/checks.js';
import { checkDeviceName, checkPath } from '../core/mfa-device.js';
import { resolveNames, suggest } from '../core/names.js';
import { loadProfile } from '../service/profile-loader.js';
import { deviceAccess, removeDevice, createAndEnable, enableWithCodes, checkCodeFlags } from '../service/devices.js';
import { table } from '../io/table.js';
import { terminalLine, terminalText } from '../core/sanitize.js';
import { COMMON_OPTIONS, PROFILE_OPTIONS, NETWORK_OPTIONS, OUTPUT_FILE_OPTIONS } from './options.js';
import { sessionFlags, logLevelOf, otherArgs } from './options.js';
import { command } from './spec.js';

const BASE = {
  ...PROFILE_OPTIONS,
  user: { type: 'string', value: 'NAME', help: 'opt.user' },
  ...NETWORK_OPTIONS,
  ...COMMON_OPTIONS,
} as const;
const CODES = {
  code1: { type: 'string', value: 'CODE', help: 'opt.code1' },
  code2: { type: 'string', value: 'CODE', help: 'opt.code2' },
} as const;

export const create = command({
  spec: {
    name: 'device create',
    summary: 'cmd.deviceCreate',
    usage: '[--profile NAME] [--name NAME] [--qr-png FILE [--overwrite] | --show-secret] [options]',
    options: {
      ...BASE,
      name: { type: 'string', value: 'NAME', defaultText: 'default.iamUserName', help: 'opt.deviceName' },
      path: { type: 'string', value: 'PATH', default: '/', help: 'opt.devicePath' },
      ...OUTPUT_FILE_OPTIONS,
      'show-secret': { type: 'boolean', help: 'opt.showSecret' },
      ...CODES,
    },
    examples: ['aws-mfa device create --profile work', 'aws-mfa device create --profile work --qr-png ~/mfa.png'],
  },
  async run({ values: v }, ctx) {
    // everything the flags say is checked before anything is created in AWS
    checkCodeFlags(v);
    if (v.path) checkPath(v.path);
    if (v.name) checkDeviceName(v.name);
    const flags = sessionFlags(v);
    const qrPng = v['qr-png'];
    const again = ['device create', otherArgs(v), overwriteArgs(qrPng ?? '')].filter(Boolean).join(' ');
    const qrPngFix = qrPng && suggest(resolveNames(flags, ctx.env), flags, again);
    const paths = filePaths(ctx);
    if (qrPng) checkWritable(qrPng, v.overwrite, qrPngFix, [paths.credentials, paths.config]);
    ctx.log.level = logLevelOf(v['log-level']);
    const { iam, loaded } = await deviceAccess(sessionFlags(v), v.user, ctx);
    const p = loaded.profile;
    const name = v.name ?? iam.userName;
    checkDeviceName(name);
    const serial = await createAndEnable(ctx, iam, {
      name,
      path: v.path,
      qrPng,
      overwrite: v.overwrite,
      qrPngFix,
      showSecret: v['show-secret'],
      code1: v.code1,
      code2: v.code2,
    });
    await writeProfileTo(p.paths.credentials, p.names.longTerm, 'credentials', [['aws_mfa_device', serial]]);
    ctx.log.info(
      t('device.created', {
        serial,
        user: iam.userName,
        section: p.names.longTerm,
        command: suggest(p.names, p.flags),
      }),
    );
    return EXIT.OK;
  },
});

export const enable = command({
  spec: {
    name: 'device enable',
    summary: 'cmd.deviceEnable',
    usage: '--serial ARN [--profile NAME] [options]',
    options: { ...BASE, serial: { type: 'string', value: 'ARN', help: 'opt.serial' }, ...CODES },
    examples: ['aws-mfa device enable --profile work --serial arn:aws:iam::123456789012:mfa/alice'],
  },
  async run({ values: v }, ctx) {
    if (!v.serial) throw usageError(t('device.enableNeedsSerial'));
    checkDevice(v.serial, '--serial');
    checkCodeFlags(v);
    ctx.log.level = logLevelOf(v['log-level']);
    const { iam, loaded } = await deviceAccess(sessionFlags(v), v.user, ctx);
    const p = loaded.profile;
    await enableWithCodes(ctx, iam, v.serial, { code1: v.code1, code2: v.code2 });
    await writeProfileTo(p.paths.credentials, p.names.longTerm, 'credentials', [['aws_mfa_device', v.serial]]);
    ctx.log.info(t('device.enabled', { serial: v.serial, user: iam.userName, section: p.names.longTerm }));
    return EXIT.OK;
  },
});

export const list = command({
  spec: {
    name: 'device list',
    summary: 'cmd.deviceList',
    usage: '[--profile NAME] [--json] [options]',
    options: { ...BASE, json: { type: 'boolean', help: 'opt.json' } },
    examples: ['aws-mfa device list --profile work', 'aws-mfa device list --profile work --json'],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const { iam, loaded } = await deviceAccess(sessionFlags(v), v.user, ctx);
    const p = loaded.profile;
    let devices;
    let unassigned;
    try {
      devices = await iam.aws.listMfaDevices(iam.callCtx, iam.userName);
      unassigned = await iam.aws.listVirtualMfaDevices(iam.callCtx, 'Unassigned');
    } catch (e) {
      throw iam.explain(e);
    }
    const used = p.device?.value;
    const out = {
      user: iam.userName,
      profile: p.names.longTerm,
      devices: devices.map((d) => ({
        serialNumber: d.serialNumber,
        enabled: d.enableDate?.toISOString() ?? null,
        usedByProfile: d.serialNumber === used,
      })),
      unassigned: unassigned.map((d) => ({ serialNumber: d.serialNumber })),
    };
    if (v.json) {
      ctx.stdout(JSON.stringify(out, null, 2) + '\n');
      return EXIT.OK;
    }
    const say = (text: string) => ctx.stdout(terminalText(text));
    say(t('device.listTitle', { user: terminalLine(iam.userName) }) + '\n');
    if (out.devices.length === 0)
      say(`  ${t('device.listNone', { command: suggest(p.names, p.flags, 'device create') })}\n`);
    else {
      // one line per field: a value from IAM never breaks the table
      // where the device in use is named: the long-term section, or the session's (given with --device)
      const section = p.deviceWithSession ? p.names.shortTerm : p.names.longTerm;
      const usedBy = terminalLine(t('device.listUsedBy', { section }));
      const rows = out.devices.map((d) => [
        `  ${terminalLine(d.serialNumber)}`,
        d.enabled ?? '?',
        d.usedByProfile ? usedBy : '',
      ]);
      say(table([`  ${t('device.headSerial')}`, t('device.headEnabled'), ''], rows));
    }
    if (out.unassigned.length > 0) {
      say(t('device.listUnassigned') + '\n');
      for (const d of out.unassigned) say(`  ${terminalLine(d.serialNumber)}\n`);
    }
    if (used && !out.devices.some((d) => d.usedByProfile))
      ctx.log.warn(t('device.usedNotAssigned', { section: p.names.longTerm, device: used, user: iam.userName }));
    return EXIT.OK;
  },
});

export const remove = command({
  spec: {
    name: 'device remove',
    summary: 'cmd.deviceRemove',
    usage: '[--profile NAME] [--serial ARN] [--yes] [options]',
    options: {
      ...BASE,
      serial: { type: 'string', value: 'ARN', defaultText: 'default.profileDevice', help: 'opt.serialRemove' },
      yes: { type: 'boolean', help: 'opt.yes' },
    },
    examples: [
      'aws-mfa device remove --profile work',
      'aws-mfa device remove --profile work --serial arn:aws:iam::123456789012:mfa/old --yes',
    ],
  },
  async run({ values: v }, ctx) {
    ctx.log.level = logLevelOf(v['log-level']);
    const loaded0 = await loadProfile(sessionFlags(v), ctx);
    const serial = v.serial ?? loaded0.profile.device?.value;
    if (!serial) throw usageError(t('device.removeWhich', { section: loaded0.profile.names.longTerm }));
    if (!/^arn:[\w-]+:iam::\d{12}:(mfa|u2f)\//.test(serial))
      throw configError(t('check.deviceArn', { device: serial, source: '--serial' }));
    if (!v.yes) {
      if (!ctx.term.interactive) throw usageError(t('device.removeConfirm'));
      const a = await ctx.term.ask(`${t('device.removeQuestion', { serial })} ${t('prompt.yesNo')} `);
      if (!/^(y(es)?|はい)$/i.test((a ?? '').trim()))
        throw new CliError(t('device.removeAborted', { serial }), EXIT.INTERRUPTED);
    }
    const { iam, loaded, usedSession } = await deviceAccess(sessionFlags(v), v.user, ctx, true);
    const { pointed } = await removeDevice(iam, loaded.profile, serial, usedSession, ctx);
    ctx.log.info(
      t(pointed ? 'device.removedAndUnset' : 'device.removed', {
        serial,
        user: iam.userName,
        section: loaded.profile.names.longTerm,
      }),
    );
    return EXIT.OK;
  },
});

export const commands = [create, enable, list, remove];
