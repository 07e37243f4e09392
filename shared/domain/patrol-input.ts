/**
 * Recording a patrol (contract section 7): the request body and its rules, who may record which
 * kind where, the late-entry rule, the patrol number and the GPS track in WGS-84. Pure: "now" and
 * working days come from the caller.
 */
import { z } from 'zod';
import { shanghaiDate, type WorkingCalendar } from './calendar.js';
import { COORDINATE_SYSTEMS, convertPoint } from './geo.js';
import { AREA_DISTRICT, AREA_IDS, type AreaId, type Principal, VIOLATION_TYPES } from './model.js';
import { FOCUS_TYPES, PATROL_KINDS, type PatrolKind, type PatrolRecord } from './patrol.js';
import { FUTURE_TOLERANCE_MS, isoDateTime, requiredText, text } from './sources/fields.js';
import type { ErrorDetail } from './validation-details.js';

export const MAX_OFFICERS = 20;
export const MAX_PLACES = 50;
export const MAX_FINDINGS = 50;
export const MAX_TRACK_POINTS = 2000;
export const MAX_PHOTOS = 20;
/** A patrol lasts at most this long (`endedAt` at most 24 h after `startedAt`). */
export const MAX_PATROL_MS = 24 * 3600_000;

const name = (max: number) => requiredText(max).transform((value) => value.trim());

const position = z
  .array(z.number())
  .min(2)
  .max(3)
  .refine(([lng, lat]) => lng! >= -180 && lng! <= 180 && lat! >= -90 && lat! <= 90, {
    message: '须为[经度, 纬度]，经度在-180至180之间，纬度在-90至90之间',
  });

/**
 * The GPS track: a GeoJSON LineString. GeoJSON is WGS-84 (RFC 7946); a track taken on a Chinese map
 * says so in the foreign member `crs` (`gcj02`, `bd09`, `cgcs2000`) and is converted for storage.
 */
export const patrolTrackSchema = z.object({
  type: z.literal('LineString'),
  coordinates: z.array(position).min(2).max(MAX_TRACK_POINTS),
  crs: z.enum(COORDINATE_SYSTEMS).optional().describe('Coordinate system of `coordinates`; default wgs84.'),
});

export const patrolFindingSchema = z.object({
  description: requiredText(2000),
  address: text(500).optional(),
  violationType: z
    .enum(VIOLATION_TYPES)
    .optional()
    .describe('Inferred from the description, as for tips, when absent.'),
  party: text(200).optional().describe('当事人: who did it, where known.'),
  measures: text(1000).optional().describe('What the patrol did on site (现场制止、下达停工通知 …).'),
  stopped: z
    .boolean()
    .default(false)
    .describe('true: stopped on site, which meets the stop deadline at once.'),
  photos: z
    .array(z.url({ protocol: /^https?$/, message: '须为http或https链接' }).max(2000))
    .max(MAX_PHOTOS)
    .optional(),
});

/** The body of `POST /v1/patrols`. Unknown fields are ignored. */
export const patrolBodySchema = z
  .object({
    clientId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "The client's own id of this record: the same clientId from the same caller answers the patrol stored the first time (200) instead of recording another.",
      ),
    kind: z.enum(PATROL_KINDS),
    area: z.enum(AREA_IDS).describe('The area patrolled; for `supervision` the bureau checked.'),
    startedAt: isoDateTime(),
    endedAt: isoDateTime().describe(
      'After startedAt, at most 24 hours after it, not more than 5 minutes ahead of the clock.',
    ),
    officers: z.array(name(50)).min(1).max(MAX_OFFICERS),
    route: text(500).optional(),
    places: z
      .array(name(100))
      .max(MAX_PLACES)
      .default([])
      .describe('Villages and communities patrolled; each is matched against the gazetteer.'),
    focus: z
      .array(z.enum(FOCUS_TYPES))
      .max(FOCUS_TYPES.length * 2)
      .default([])
      .transform((values) => [...new Set(values)]),
    track: patrolTrackSchema.optional(),
    findings: z.array(patrolFindingSchema).max(MAX_FINDINGS).default([]),
    note: text(2000).optional(),
  })
  .superRefine((body, ctx) => {
    const started = Date.parse(body.startedAt);
    const ended = Date.parse(body.endedAt);
    if (Number.isNaN(started) || Number.isNaN(ended)) return;
    if (ended <= started) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: '须晚于startedAt' });
    else if (ended - started > MAX_PATROL_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['endedAt'],
        message: '不得晚于startedAt之后24小时',
      });
  });

export type PatrolInput = z.output<typeof patrolBodySchema>;
export type PatrolFindingInput = z.output<typeof patrolFindingSchema>;

/**
 * Why this principal may not record this kind of patrol of this area (contract section 7), or
 * undefined when it may: a bureau records only `bureau` patrols of its own area, a leader only
 * `leader` patrols in its district, the brigade `brigade`, `spot_check` and `supervision` anywhere.
 */
export function patrolRecordingRefusal(
  principal: Principal,
  kind: PatrolKind,
  area: AreaId,
): string | undefined {
  switch (principal.kind) {
    case 'bureau':
      if (kind !== 'bureau') return '国土分局只能录入分局巡查（kind为bureau）。';
      return area === principal.area ? undefined : '国土分局只能录入本属地的巡查。';
    case 'leader':
      if (kind !== 'leader') return '片区责任领导只能录入领导巡查（kind为leader）。';
      return AREA_DISTRICT[area] === principal.district ? undefined : '片区责任领导只能录入本片区内的巡查。';
    case 'brigade':
      return kind === 'brigade' || kind === 'spot_check' || kind === 'supervision'
        ? undefined
        : '监察大队只能录入大队巡查、大队抽查或大队督查（kind为brigade、spot_check或supervision）。';
    default:
      return '只有国土分局、监察大队和片区责任领导可以录入巡查。';
  }
}

/** The rule on `endedAt` that needs the clock: not more than 5 minutes ahead of it. */
export function futureEndIssue(endedAt: string, now: Date): ErrorDetail | undefined {
  return Date.parse(endedAt) > now.getTime() + FUTURE_TOLERANCE_MS
    ? { path: 'endedAt', message: '不得晚于当前时间5分钟以上' }
    : undefined;
}

/**
 * The last instant a patrol may be recorded: 23:59:59 of the `workingDays`-th working day after the
 * (Shanghai) day it ended (contract section 7: the second), holidays and 调休 counted.
 */
export function lateEntryDeadline(endedAt: string, calendar: WorkingCalendar, workingDays: number): string {
  return calendar.addWorkingDays(endedAt, workingDays).dueAt;
}

/** True once the late-entry deadline has passed: from the midnight after its 23:59:59. */
export function isTooLate(
  endedAt: string,
  now: Date,
  calendar: WorkingCalendar,
  workingDays: number,
): boolean {
  return now.getTime() >= Date.parse(lateEntryDeadline(endedAt, calendar, workingDays)) + 1000;
}

/** `20261130`: the Shanghai calendar day of an instant, as the patrol number writes it. */
export const patrolDay = (startedAt: string): string => shanghaiDate(startedAt).replaceAll('-', '');

/** `XC-meili-20261130-01`: area, Shanghai day of startedAt, that area's serial of the day. */
export function formatPatrolNo(area: AreaId, startedAt: string, serial: number): string {
  return `XC-${area}-${patrolDay(startedAt)}-${String(serial).padStart(2, '0')}`;
}

const round7 = (value: number) => Math.round(value * 1e7) / 1e7;

/**
 * The track as stored: as sent (its `crs` made explicit), plus `wgs84`, its coordinates in WGS-84,
 * whenever it was sent in another system (gcj02 and bd09 through gcoord; cgcs2000 differs from
 * WGS-84 by centimetres and is taken as it is).
 */
export function storedTrack(track: z.output<typeof patrolTrackSchema>): NonNullable<PatrolRecord['track']> {
  const crs = track.crs ?? 'wgs84';
  const coordinates = track.coordinates.map((position) => [...position]);
  if (crs === 'wgs84') return { type: 'LineString', coordinates, crs };
  const wgs84 = track.coordinates.map(([lng, lat, ...rest]) => {
    const [x, y] = convertPoint({ lng: lng!, lat: lat!, crs }, 'wgs84');
    return [round7(x), round7(y), ...rest];
  });
  return { type: 'LineString', coordinates, crs, wgs84 };
}
