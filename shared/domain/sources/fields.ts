/**
 * The building blocks the source modules share: field rules (so "an ISO date-time with an offset"
 * or "an https URL" means the same for every source) and small helpers for normalizing.
 */
import { z } from 'zod';
import type { GeoPoint, ReporterIdentity, TipLocation } from '../model.js';
import type { NowSource } from './types.js';

/** How far ahead of the server clock a source's own timestamp may be (clock skew between systems). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
export const MAX_ATTACHMENTS = 20;
const CRS_VALUES = ['wgs84', 'gcj02', 'bd09', 'cgcs2000'] as const satisfies readonly GeoPoint['crs'][];

export const hasText = (value: unknown): boolean => typeof value === 'string' && /\S/.test(value);
const hasNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const text = (max: number) => z.string().max(max);
export const requiredText = (max: number) =>
  z.string().min(1, { abort: true }).max(max).regex(/\S/, { message: '不得为空白' });
export const externalId = () => requiredText(64);

export const isoDateTime = () =>
  z.iso.datetime({
    offset: true,
    // Without abort, the future-time rule would also report a value that is not a date-time at all.
    abort: true,
    message: '须为带时区偏移的ISO 8601时间，例如2026-11-28T09:15:00+08:00',
  });

/**
 * How many days in the past a receive time may lie by default (contract 12; MAX_RECEIVE_AGE_DAYS
 * configures it). A tip received in 1970 would get case number 1970-…, deadlines decades past and
 * an immediate breach, escalation and ledger entry for a year nobody can read back; a source
 * forwarding a tip weeks late is already an exception worth a human's look.
 */
export const DEFAULT_MAX_RECEIVE_AGE_DAYS = 30;
/** A source deadline further than this after the receive time is a typo or a forgery, not a plan. */
export const MAX_SOURCE_DEADLINE_DAYS = 366;
const DAY_MS = 24 * 3600_000;

/**
 * A source timestamp that counts as "received": deadlines, the case number's year and ledger years
 * start from it, so it may not lie ahead, nor further back than the configured window.
 */
export const receivedTimestamp = (clock: NowSource) => {
  const maxAgeDays = clock.maxReceiveAgeDays ?? DEFAULT_MAX_RECEIVE_AGE_DAYS;
  return isoDateTime()
    .refine((value) => Date.parse(value) <= clock.now().getTime() + FUTURE_TOLERANCE_MS, {
      message: '不得晚于当前时间5分钟以上',
    })
    .refine((value) => Date.parse(value) >= clock.now().getTime() - maxAgeDays * DAY_MS, {
      message: `不得早于当前时间${maxAgeDays}天以上`,
    });
};

/**
 * Adds the rules for a source's own deadline (`handlingDeadline`, `dueAt`) against the receive time
 * to an object schema holding both: not before it, and not more than MAX_SOURCE_DEADLINE_DAYS after
 * it. They run even when another member failed (a client learns every problem in one round trip);
 * a value that is not a date-time has its own issue already.
 */
export function withSourceDeadlineRules<T extends z.ZodType>(
  schema: T,
  receivedKey: string,
  deadlineKey: string,
): T {
  const times = (value: unknown): [received: number, due: number] | undefined => {
    if (!isPlainObject(value)) return undefined;
    const [receivedAt, deadline] = [value[receivedKey], value[deadlineKey]];
    if (typeof receivedAt !== 'string' || typeof deadline !== 'string') return undefined;
    const pair: [number, number] = [Date.parse(receivedAt), Date.parse(deadline)];
    return pair.some(Number.isNaN) ? undefined : pair;
  };
  const rule = { when: () => true, path: [deadlineKey] };
  return schema
    .refine(
      (value: unknown) => {
        const pair = times(value);
        return !pair || pair[1] >= pair[0];
      },
      { ...rule, message: `不得早于${receivedKey}` },
    )
    .refine(
      (value: unknown) => {
        const pair = times(value);
        return !pair || pair[1] <= pair[0] + MAX_SOURCE_DEADLINE_DAYS * DAY_MS;
      },
      { ...rule, message: `不得晚于${receivedKey}之后${MAX_SOURCE_DEADLINE_DAYS}天` },
    ) as unknown as T;
}

/**
 * An attachment link that a reader may open: https on a public host. Whoever follows it (a bureau's
 * browser, a future thumbnailer) must not be pointed at credentials in the link, at localhost or at
 * an address inside a network (loopback, link-local, private, CGNAT, unspecified, multicast).
 */
export const httpsUrl = () =>
  z
    .url({ protocol: /^https$/, abort: true, message: '须为https链接' })
    .max(2048, { abort: true, message: '长度不得超过2048个字符' })
    .refine((value) => publicHttpsHostProblem(value) === undefined, {
      message: '须为公网主机上的https链接，且不含用户名或密码',
    });

/** Why `url` (already an https URL) is not one a reader may be sent to, or undefined. */
export function publicHttpsHostProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:') return 'not https';
  if (parsed.username || parsed.password) return 'credentials';
  // The WHATWG parser already turned 0x7f.1, 2130706433 and the like into dotted quads.
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'localhost';
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) return isPublicIpv4(v4.slice(1).map(Number)) ? undefined : 'non-public address';
  if (host.startsWith('[')) return isPublicIpv6(host.slice(1, -1)) ? undefined : 'non-public address';
  return undefined;
}

function isPublicIpv4([a = 0, b = 0]: number[]): boolean {
  return !(
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}

function isPublicIpv6(host: string): boolean {
  // The parser writes IPv6 compressed and lower-case; an embedded IPv4 comes out as hex groups.
  if (host === '::' || host === '::1') return false;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const [high, low] = [Number.parseInt(mapped[1]!, 16), Number.parseInt(mapped[2]!, 16)];
    return isPublicIpv4([high >> 8, high & 255, low >> 8, low & 255]);
  }
  const first = Number.parseInt(host.split(':')[0] || '0', 16);
  // fe80::/10 link-local, fc00::/7 unique-local, ff00::/8 multicast, ::/8 (v4-compatible and friends).
  return !((first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00 || first >= 0xff00 || first === 0);
}

export const longitude = () => z.number().min(-180).max(180);
export const latitude = () => z.number().min(-90).max(90);
export const crs = () => z.enum(CRS_VALUES).default('wgs84');

/**
 * Adds "at least one location form" and "lng and lat together" to a location object. The rules run
 * even when a member failed its own check, so a client learns every problem in one round trip.
 */
export function withLocationRules<T extends z.ZodObject>(
  schema: T,
  textKeys: readonly string[],
  forms: string,
): T {
  const always = { when: () => true };
  return schema
    .refine(
      (value: unknown) =>
        !isPlainObject(value) ||
        textKeys.some((key) => hasText(value[key])) ||
        (hasNumber(value.lng) && hasNumber(value.lat)) ||
        // A lone coordinate gets its own, more precise issue below.
        value.lng !== undefined ||
        value.lat !== undefined,
      { ...always, message: `至少须提供${forms}之一` },
    )
    .refine((value: unknown) => !isPlainObject(value) || value.lng === undefined || value.lat !== undefined, {
      ...always,
      path: ['lat'],
      message: '与lng须同时提供',
    })
    .refine((value: unknown) => !isPlainObject(value) || value.lat === undefined || value.lng !== undefined, {
      ...always,
      path: ['lng'],
      message: '与lat须同时提供',
    }) as T;
}

/**
 * `build` memoized per clock: a source's schema reads its clock at parse time (the future-timestamp
 * rule), so intake builds one set for its clock, once, not one per request.
 */
export function perClock<T>(build: (clock: NowSource) => T): (clock: NowSource) => T {
  const built = new WeakMap<NowSource, T>();
  return (clock) => {
    let value = built.get(clock);
    if (value === undefined) {
      value = build(clock);
      built.set(clock, value);
    }
    return value;
  };
}

/** The name and phone given, if either has text; otherwise the reporter counts as anonymous. */
export function identityOf(
  name: string | undefined,
  phone: string | undefined,
): ReporterIdentity | undefined {
  const identity: ReporterIdentity = {};
  if (hasText(name)) identity.name = name;
  if (hasText(phone)) identity.phone = phone;
  return identity.name || identity.phone ? identity : undefined;
}

/** A person object without its name and phone: what the content hash may see of a reporter. */
export function withoutNameAndPhone<T extends { name?: unknown; phone?: unknown }>(
  person: T,
): Omit<T, 'name' | 'phone'> {
  const { name: _name, phone: _phone, ...rest } = person;
  return rest;
}

export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

export function point(location: { lng?: number; lat?: number; crs: GeoPoint['crs'] }): TipLocation['point'] {
  return location.lng !== undefined && location.lat !== undefined
    ? { lng: location.lng, lat: location.lat, crs: location.crs }
    : undefined;
}

/** Source-specific descriptive fields for the case file, the absent ones left out. */
export function stringDetails(entries: Record<string, string | undefined>): Record<string, string> {
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) details[key] = value;
  return details;
}
