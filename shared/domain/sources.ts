/**
 * The three source formats of contract section 2 as zod schemas, and their normalization into
 * the one CanonicalTip the rest of the pipeline knows. The schemas are also the source of the
 * OpenAPI document, so every rule lives here once.
 */
import { z } from 'zod';
import { contentHash, deriveTipId } from './ids.js';
import {
  type Attachment,
  type CanonicalTip,
  type ReporterIdentity,
  type SealedReporter,
  type Source,
  type TipLocation,
  VIOLATION_TYPES,
} from './model.js';

/** How far ahead of the server clock a source's own timestamp may be (clock skew between systems). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
export const MAX_ATTACHMENTS = 20;
export const SUPPORTED_CITY_EVENT = 'case.dispatched';

export const CHANNELS = ['phone', 'web', 'letter', 'visit'] as const;
export const APPEAL_TYPES = ['complaint', 'report', 'consultation', 'suggestion', 'help'] as const;
export const URGENCIES = ['normal', 'urgent'] as const;
export const CITY_ORIGINS = ['inspector', 'public', 'video', 'hotline', 'superior'] as const;
export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09', 'cgcs2000'] as const;

/** The example bodies of contract section 2, verbatim: documentation and test fixtures share them. */
export const SOURCE_EXAMPLES: { readonly [S in Source]: Readonly<z.input<SourceSchemas[S]>> } = {
  '12336': {
    reportId: '12336-320581-20261128-0042',
    receivedAt: '2026-11-28T09:15:00+08:00',
    channel: 'phone',
    reporter: { anonymous: false, name: '张三', phone: '13912345678', wantsFeedback: true },
    subject: '某建材公司',
    violationType: 'illegal_occupation',
    location: {
      address: '常熟市沙家浜镇唐市社区北侧',
      town: '沙家浜镇',
      lng: 120.81,
      lat: 31.54,
      crs: 'wgs84',
    },
    description: '有人在基本农田上建厂房，已经开始打地基',
    attachments: [{ url: 'https://example.org/a.jpg', type: 'image/jpeg' }],
  },
  '12345': {
    orderNo: 'GD202611280123',
    createdAt: '2026-11-28T10:02:11+08:00',
    caller: { name: '李女士', phone: '13800000000', confidential: true },
    appealType: 'report',
    urgency: 'normal',
    title: '村里有人违法建房',
    content: '海虞镇福山村七组有人在承包地上建两层楼房',
    address: '海虞镇福山村七组',
    region: '常熟市海虞镇',
    handlingDeadline: '2026-12-15T17:00:00+08:00',
  },
  'city-management': {
    eventType: 'case.dispatched',
    case: {
      caseNo: 'CS2026112800017',
      reportedAt: '2026-11-28T08:40:00+08:00',
      origin: 'inspector',
      category: { major: '违法建设', minor: '违章搭建', code: '0501' },
      description: '农田内新建彩钢棚约300平方米',
      location: {
        description: '碧溪街道李袁村',
        street: '碧溪街道',
        community: '李袁村',
        gridCode: '3205810050201',
        lng: 120.9,
        lat: 31.72,
        crs: 'cgcs2000',
      },
      photos: ['https://example.org/p1.jpg'],
      dueAt: '2026-12-01T17:00:00+08:00',
    },
  },
};

interface NowSource {
  now(): Date;
}

const hasText = (value: unknown): boolean => typeof value === 'string' && /\S/.test(value);
const hasNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (max: number) => z.string().max(max);
const requiredText = (max: number) =>
  z.string().min(1, { abort: true }).max(max).regex(/\S/, { message: 'must not be blank' });
const externalId = () => requiredText(64);

const isoDateTime = () =>
  z.iso.datetime({
    offset: true,
    // Without abort, the future-time rule would also report a value that is not a date-time at all.
    abort: true,
    message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-28T09:15:00+08:00',
  });

/** A source timestamp that counts as "received": deadlines start from it, so it may not lie ahead. */
const receivedTimestamp = (clock: NowSource) =>
  isoDateTime().refine((value) => Date.parse(value) <= clock.now().getTime() + FUTURE_TOLERANCE_MS, {
    message: 'must not be more than 5 minutes in the future',
  });

const httpsUrl = () =>
  z
    .url({ protocol: /^https$/, message: 'must be an https URL' })
    .max(2048, { message: 'must be at most 2048 characters' });

const longitude = () => z.number().min(-180).max(180);
const latitude = () => z.number().min(-90).max(90);
const crs = () => z.enum(CRS_VALUES).default('wgs84');

/**
 * Adds "at least one location form" and "lng and lat together" to a location object. The rules run
 * even when a member failed its own check, so a client learns every problem in one round trip.
 */
function withLocationRules<T extends z.ZodObject>(schema: T, textKeys: readonly string[], forms: string): T {
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

export function buildSourceSchemas(clock: NowSource) {
  const location12336 = withLocationRules(
    z.object({
      address: text(500).optional(),
      town: text(100).optional(),
      lng: longitude().optional(),
      lat: latitude().optional(),
      crs: crs(),
    }),
    ['address', 'town'],
    'address, town, or lng and lat',
  ).describe('Where: at least one of address, town, or lng and lat together.');

  const tip12336 = z.object({
    reportId: externalId(),
    receivedAt: receivedTimestamp(clock),
    channel: z.enum(CHANNELS).default('phone'),
    reporter: z
      .object({
        anonymous: z.boolean().default(false),
        name: text(100).optional(),
        phone: text(32).optional(),
        wantsFeedback: z.boolean().optional(),
      })
      .optional(),
    subject: text(200).optional(),
    violationType: z.enum(VIOLATION_TYPES).optional(),
    location: location12336,
    description: requiredText(5000),
    attachments: z
      .array(z.object({ url: httpsUrl(), type: text(100).optional() }))
      .max(MAX_ATTACHMENTS)
      .default([])
      .describe('At most 20, https URLs only.'),
  });

  const tip12345 = z
    .object({
      orderNo: externalId(),
      createdAt: receivedTimestamp(clock),
      caller: z
        .object({
          name: text(100).optional(),
          phone: text(32).optional(),
          confidential: z.boolean().default(false),
        })
        .optional(),
      appealType: z.enum(APPEAL_TYPES).default('report'),
      urgency: z.enum(URGENCIES).default('normal'),
      title: text(200).optional(),
      content: requiredText(5000),
      address: text(500).optional(),
      region: text(100).optional(),
      handlingDeadline: isoDateTime().optional(),
    })
    .describe('One of address or region is required.')
    .refine((value: unknown) => !isPlainObject(value) || hasText(value.address) || hasText(value.region), {
      when: () => true,
      path: ['address'],
      message: 'address or region is required',
    });

  const cityLocation = withLocationRules(
    z.object({
      description: text(500).optional(),
      street: text(100).optional(),
      community: text(100).optional(),
      gridCode: text(64).optional(),
      lng: longitude().optional(),
      lat: latitude().optional(),
      crs: crs(),
    }),
    ['description', 'street'],
    'description, street, or lng and lat',
  ).describe('Where: at least one of description, street, or lng and lat together.');

  const tipCityManagement = z.object({
    eventType: z.literal(SUPPORTED_CITY_EVENT),
    case: z.object({
      caseNo: externalId(),
      reportedAt: receivedTimestamp(clock),
      origin: z.enum(CITY_ORIGINS).optional(),
      category: z
        .object({ major: text(100).optional(), minor: text(100).optional(), code: text(32).optional() })
        .optional(),
      description: requiredText(5000),
      location: cityLocation,
      photos: z.array(httpsUrl()).max(MAX_ATTACHMENTS).default([]).describe('At most 20, https URLs only.'),
      dueAt: isoDateTime().optional(),
    }),
  });

  return { '12336': tip12336, '12345': tip12345, 'city-management': tipCityManagement } as const;
}

export type SourceSchemas = ReturnType<typeof buildSourceSchemas>;
export type Tip12336 = z.output<SourceSchemas['12336']>;
export type Tip12345 = z.output<SourceSchemas['12345']>;
export type TipCityManagement = z.output<SourceSchemas['city-management']>;
export interface SourceBodies {
  '12336': Tip12336;
  '12345': Tip12345;
  'city-management': TipCityManagement;
}

const SYSTEM_CLOCK: NowSource = { now: () => new Date() };

/**
 * Schemas checked against the system clock, for documentation (OpenAPI). Built on first use, not
 * at module load: intake builds its own set for its clock, and a cold start need not pay twice.
 */
export const documentationSchemas = (): SourceSchemas => sourceSchemasFor(SYSTEM_CLOCK);

const schemasByClock = new WeakMap<NowSource, SourceSchemas>();

/** The schemas bound to `clock`, built once per clock: the future-timestamp rule reads it at parse time. */
export function sourceSchemasFor(clock: NowSource): SourceSchemas {
  let schemas = schemasByClock.get(clock);
  if (!schemas) {
    schemas = buildSourceSchemas(clock);
    schemasByClock.set(clock, schemas);
  }
  return schemas;
}

/**
 * A city-management event other than a dispatch is not a tip at all. Checked before the schema, so
 * such an event gets `unsupported_event` even when its body is not a valid case.
 */
export function isUnsupportedEvent(source: Source, body: unknown): boolean {
  return (
    source === 'city-management' &&
    isPlainObject(body) &&
    typeof body.eventType === 'string' &&
    body.eventType !== SUPPORTED_CITY_EVENT
  );
}

export type SourceParseResult<S extends Source> =
  | { success: true; data: SourceBodies[S] }
  | { success: false; issues: z.core.$ZodIssue[] };

export function parseSourceBody<S extends Source>(
  source: S,
  body: unknown,
  clock: NowSource,
): SourceParseResult<S> {
  const schema: z.ZodType = sourceSchemasFor(clock)[source];
  const result = schema.safeParse(body);
  if (result.success) return { success: true, data: result.data as SourceBodies[S] };
  return { success: false, issues: result.error.issues };
}

/** The external id that, with the source, names the tip (contract 2.4). */
export function externalIdOf<S extends Source>(source: S, parsed: SourceBodies[S]): string {
  const tip = { source, body: parsed } as ParsedTip;
  switch (tip.source) {
    case '12336':
      return tip.body.reportId;
    case '12345':
      return tip.body.orderNo;
    case 'city-management':
      return tip.body.case.caseNo;
  }
}

type ParsedTip =
  | { source: '12336'; body: Tip12336 }
  | { source: '12345'; body: Tip12345 }
  | { source: 'city-management'; body: TipCityManagement };

/** The reporter before sealing: the identity must go through the ReporterVault, never further. */
export type ReporterOfTip =
  | { anonymous: true }
  | { anonymous: false; confidential: boolean; wantsFeedback?: boolean; identity: ReporterIdentity };

function identityOf(name: string | undefined, phone: string | undefined): ReporterIdentity | undefined {
  const identity: ReporterIdentity = {};
  if (hasText(name)) identity.name = name;
  if (hasText(phone)) identity.phone = phone;
  return identity.name || identity.phone ? identity : undefined;
}

export function reporterOf<S extends Source>(source: S, parsed: SourceBodies[S]): ReporterOfTip {
  const tip = { source, body: parsed } as ParsedTip;
  switch (tip.source) {
    case '12336': {
      const reporter = tip.body.reporter;
      if (!reporter || reporter.anonymous) return { anonymous: true };
      const identity = identityOf(reporter.name, reporter.phone);
      if (!identity) return { anonymous: true };
      return {
        anonymous: false,
        confidential: false,
        ...(reporter.wantsFeedback === undefined ? {} : { wantsFeedback: reporter.wantsFeedback }),
        identity,
      };
    }
    case '12345': {
      const caller = tip.body.caller;
      const identity = caller && identityOf(caller.name, caller.phone);
      if (!caller || !identity) return { anonymous: true };
      return { anonymous: false, confidential: caller.confidential, identity };
    }
    case 'city-management':
      return { anonymous: true };
  }
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

function point(location: {
  lng?: number;
  lat?: number;
  crs: (typeof CRS_VALUES)[number];
}): TipLocation['point'] {
  return location.lng !== undefined && location.lat !== undefined
    ? { lng: location.lng, lat: location.lat, crs: location.crs }
    : undefined;
}

function stringDetails(entries: Record<string, string | undefined>): Record<string, string> {
  return compact(entries) as Record<string, string>;
}

/**
 * The body as the content hash sees it: the reporter's name and phone left out. A stored digest of
 * them could be brute-forced (phone numbers are a small space) by anyone who can read the table and
 * knows the rest of the tip; leaving them out means a resubmission that changes only the reporter's
 * contact data counts as a retry, and the first sealed identity stays on the case.
 */
function withoutIdentity(parsed: unknown): unknown {
  const body = parsed as { reporter?: object; caller?: object };
  const strip = (person: object | undefined) => {
    if (!person) return person;
    const { name: _name, phone: _phone, ...rest } = person as { name?: unknown; phone?: unknown };
    return rest;
  };
  return {
    ...body,
    ...(body.reporter ? { reporter: strip(body.reporter) } : {}),
    ...(body.caller ? { caller: strip(body.caller) } : {}),
  };
}

export interface NormalizeContext {
  /** When landline accepted the tip. */
  acceptedAt: Date;
  /** The reporter after sealing (see `reporterOf`). */
  reporter: SealedReporter;
  /** The tip id when the caller derived it already (intake does, to seal the reporter under it). */
  tipId?: string;
}

/** Maps a validated source body to the CanonicalTip the intake queue carries. */
export function normalizeTip<S extends Source>(
  source: S,
  parsed: SourceBodies[S],
  context: NormalizeContext,
): CanonicalTip {
  const tip = { source, body: parsed } as ParsedTip;
  const externalId = externalIdOf(source, parsed);
  const common = {
    tipId: context.tipId ?? deriveTipId(source, externalId),
    source,
    externalId,
    acceptedAt: context.acceptedAt.toISOString(),
    reporter: context.reporter,
    contentHash: contentHash(withoutIdentity(parsed)),
  };
  switch (tip.source) {
    case '12336': {
      const body = tip.body;
      const attachments: Attachment[] = body.attachments.map((item) =>
        compact({ url: item.url, type: item.type }),
      );
      return compact({
        ...common,
        receivedAt: body.receivedAt,
        description: body.description,
        violationType: body.violationType,
        urgency: 'normal',
        location: compact({
          address: body.location.address,
          town: body.location.town,
          point: point(body.location),
        }),
        details: stringDetails({ channel: body.channel, subject: body.subject }),
        attachments,
      });
    }
    case '12345': {
      const body = tip.body;
      return compact({
        ...common,
        receivedAt: body.createdAt,
        title: body.title,
        description: body.content,
        urgency: body.urgency,
        location: compact({ address: body.address, region: body.region }),
        sourceDeadline: body.handlingDeadline,
        details: stringDetails({ appealType: body.appealType, title: body.title }),
        attachments: [],
      });
    }
    case 'city-management': {
      const body = tip.body.case;
      return compact({
        ...common,
        receivedAt: body.reportedAt,
        description: body.description,
        urgency: 'normal',
        location: compact({
          address: body.location.description,
          street: body.location.street,
          community: body.location.community,
          gridCode: body.location.gridCode,
          point: point(body.location),
        }),
        sourceDeadline: body.dueAt,
        details: stringDetails({
          eventType: tip.body.eventType,
          origin: body.origin,
          categoryMajor: body.category?.major,
          categoryMinor: body.category?.minor,
          categoryCode: body.category?.code,
        }),
        attachments: body.photos.map((url) => ({ url })),
      });
    }
  }
}
