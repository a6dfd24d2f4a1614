/**
 * The session decision's reasons in words: for the log of a run that acts on them, and for `status`,
 * which calls nothing and so says what to run instead. Pure.
 */
import { t } from '../messages/index.js';
import type { RefreshReason } from './decision.js';
import { formatDuration, humanTime } from './time.js';

/** Why the session in `section` is replaced, as one sentence. */
export function describeRefresh(r: RefreshReason, section: string): string {
  switch (r.kind) {
    case 'missing':
      return t('reason.missing', { section });
    case 'forced':
      return t('reason.forced', { section });
    case 'incomplete':
      return t('reason.incomplete', { section, key: r.key });
    case 'unreadable-expiration':
      return t('reason.unreadableExpiration', { section, value: r.value });
    case 'tokens-differ':
      return t('reason.tokensDiffer', { section });
    case 'other-role':
      return r.current && r.wanted
        ? t('reason.otherRole', { section, current: r.current, wanted: r.wanted })
        : r.current
          ? t('reason.roleToPlain', { section, current: r.current })
          : t('reason.plainToRole', { section, wanted: r.wanted ?? '' });
    case 'expired':
      return t('reason.expired', { section, time: humanTime(r.expiration) });
    case 'ending':
      return t('reason.ending', { section, left: formatDuration(r.secondsLeft), minTtl: r.minTtl });
  }
}

/**
 * Why the session is due, for `status`: it takes no action, so each reason ends with the command that
 * takes it (`command`, as pasted); `time` formats the expiry for the layout (the table's short time).
 */
export function describeDue(r: RefreshReason, command: string, time: (d: Date) => string): string {
  switch (r.kind) {
    case 'missing':
      return t('due.missing', { command });
    case 'incomplete':
      return t('due.incomplete', { command, key: r.key });
    case 'unreadable-expiration':
      return t('due.unreadableExpiration', { command, value: r.value });
    case 'tokens-differ':
      return t('due.tokensDiffer', { command });
    case 'other-role':
      return r.current && r.wanted
        ? t('due.otherRole', { command, current: r.current, wanted: r.wanted })
        : r.current
          ? t('due.roleToPlain', { command, current: r.current })
          : t('due.plainToRole', { command, wanted: r.wanted ?? '' });
    case 'expired':
      return t('due.expired', { command, time: time(r.expiration) });
    case 'forced': // status neither forces nor asks for a minimum time left; said plainly all the same
    case 'ending':
      return t('due.renew', { command });
  }
}
