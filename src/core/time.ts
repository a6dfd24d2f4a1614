/**
 * Times as the files keep them (broamski's `YYYY-MM-DD HH:MM:SS`, UTC) and as people read them
 * (the local time zone, TZ honoured, with UTC beside it). Pure but for the runtime's time zone.
 */
import { t } from '../messages/index.js';

/** broamski's expiration format: `YYYY-MM-DD HH:MM:SS`, UTC. */
export function formatExpiration(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export function parseExpiration(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]00:?00)?$/.exec(s.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** ISO 8601 without milliseconds, as credential_process and the JSON outputs carry it. */
export const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0
    ? t('time.hoursMinutes', { h, m })
    : m > 0
      ? t('time.minutesSeconds', { m, s: s % 60 })
      : t('time.seconds', { s });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `UTC+09:00` for an offset of 540 minutes east. */
const zoneOf = (offset: number) =>
  `UTC${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;

/** `2026-11-22 21:26:58 UTC+09:00 (2026-11-22 12:26:58 UTC)`; just the UTC time where local is UTC. */
export function humanTime(d: Date): string {
  const utc = formatExpiration(d);
  const offset = -d.getTimezoneOffset();
  if (offset === 0) return t('time.utc', { utc });
  const local = formatExpiration(new Date(d.getTime() + offset * 60_000));
  return t('time.localAndUtc', { local, zone: zoneOf(offset), utc });
}

/**
 * The short form for a table cell (status at 120 columns): `2026-11-22 21:26 UTC+09:00`, the local
 * time to the minute with its zone, and no UTC beside it; `2026-11-22 12:26 UTC` where local is UTC.
 */
export function shortTime(d: Date): string {
  const offset = -d.getTimezoneOffset();
  const minute = formatExpiration(new Date(d.getTime() + offset * 60_000)).slice(0, 16);
  if (offset === 0) return t('time.utc', { utc: minute });
  return `${minute} ${zoneOf(offset)}`;
}

export const secondsUntil = (d: Date, now: Date) => Math.floor((d.getTime() - now.getTime()) / 1000);
