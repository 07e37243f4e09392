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
  z.string().min(1, { abort: true }).max(max).regex(/\S/, { message: 'must not be blank' });
export const externalId = () => requiredText(64);

export const isoDateTime = () =>
  z.iso.datetime({
    offset: true,
    // Without abort, the future-time rule would also report a value that is not a date-time at all.
    abort: true,
    message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-28T09:15:00+08:00',
  });

/** A source timestamp that counts as "received": deadlines start from it, so it may not lie ahead. */
export const receivedTimestamp = (clock: NowSource) =>
  isoDateTime().refine((value) => Date.parse(value) <= clock.now().getTime() + FUTURE_TOLERANCE_MS, {
    message: 'must not be more than 5 minutes in the future',
  });

export const httpsUrl = () =>
  z
    .url({ protocol: /^https$/, message: 'must be an https URL' })
    .max(2048, { message: 'must be at most 2048 characters' });

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
      { ...always, message: `needs at least one of ${forms}` },
    )
    .refine((value: unknown) => !isPlainObject(value) || value.lng === undefined || value.lat !== undefined, {
      ...always,
      path: ['lat'],
      message: 'is required together with lng',
    })
    .refine((value: unknown) => !isPlainObject(value) || value.lat === undefined || value.lng !== undefined, {
      ...always,
      path: ['lng'],
      message: 'is required together with lat',
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
