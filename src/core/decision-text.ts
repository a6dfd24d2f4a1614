/** The session decision's reasons in words, for the log and for `status`. Pure. */
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
