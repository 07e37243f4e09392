import { describe, expect, it } from 'vitest';
import type { CanonicalTip, Source } from '../../shared/domain/model.js';
import { FUTURE_TOLERANCE_MS } from '../../shared/domain/sources/fields.js';
import { normalizeTip, parseSourceBody, SOURCE_MODULES } from '../../shared/domain/sources/index.js';
import { zodIssuesToDetails } from '../../shared/domain/validation-details.js';
import {
  deepMerge,
  make12336Tip,
  make12345Tip,
  makeCityManagementTip,
  sample12336,
  sample12345,
  sampleCityManagement,
  shanghaiIso,
} from '../fixtures/tips.js';

// 10:00 in Shanghai on the day of the contract's examples: every example is at most 5 minutes ahead.
const NOW = new Date('2026-11-28T02:00:00Z');
const clock = { now: () => NOW };
const SEALED = { anonymous: false as const, confidential: false, sealed: 'v1.sealed' };

function paths<S extends Source>(source: S, body: unknown): string[] {
  const result = parseSourceBody(SOURCE_MODULES[source], body, clock);
  if (result.success) return [];
  return zodIssuesToDetails(result.issues).map((detail) => detail.path);
}

function parsed<S extends Source>(source: S, body: unknown) {
  const result = parseSourceBody(SOURCE_MODULES[source], body, clock);
  if (!result.success) throw new Error(`expected valid, got ${JSON.stringify(result.issues)}`);
  return result.data;
}

describe('12336 tips', () => {
  it('accepts the contract example and normalizes every field', () => {
    const data = parsed('12336', sample12336);
    const tip = normalizeTip(SOURCE_MODULES['12336'], data, { acceptedAt: NOW, reporter: SEALED });
    expect(tip).toEqual({
      tipId: expect.stringMatching(/^tip_[a-z2-7]{26}$/),
      source: '12336',
      externalId: '12336-320581-20261128-0042',
      receivedAt: '2026-11-28T09:15:00+08:00',
      acceptedAt: '2026-11-28T02:00:00.000Z',
      description: '有人在基本农田上建厂房，已经开始打地基',
      violationType: 'illegal_occupation',
      urgency: 'normal',
      location: {
        address: '常熟市沙家浜镇唐市社区北侧',
        town: '沙家浜镇',
        point: { lng: 120.81, lat: 31.54, crs: 'wgs84' },
      },
      details: { channel: 'phone', subject: '某建材公司' },
      attachments: [{ url: 'https://example.org/a.jpg', type: 'image/jpeg' }],
      reporter: SEALED,
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    } satisfies CanonicalTip);
  });

  it.each(['reportId', 'receivedAt', 'description', 'location'])('requires %s', (field) => {
    expect(paths('12336', deepMerge(sample12336, { [field]: undefined }))).toEqual([field]);
  });

  it('rejects a blank description and an over-long reportId', () => {
    expect(paths('12336', make12336Tip({ description: '   ', reportId: 'x'.repeat(65) }, NOW))).toEqual([
      'reportId',
      'description',
    ]);
  });

  it('defaults channel to phone and crs to wgs84', () => {
    const data = parsed('12336', make12336Tip({ channel: undefined, location: { crs: undefined } }, NOW));
    expect(data.channel).toBe('phone');
    expect(data.location.crs).toBe('wgs84');
  });

  it.each([
    ['channel', { channel: 'fax' }],
    ['violationType', { violationType: 'littering' }],
    ['location.crs', { location: { crs: 'mercator' } }],
  ])('rejects an unknown %s', (path, override) => {
    expect(paths('12336', deepMerge(make12336Tip({}, NOW), override))).toEqual([path]);
  });

  it.each(['web', 'letter', 'visit', 'phone'])('accepts channel %s', (channel) => {
    expect(paths('12336', make12336Tip({ channel: channel as 'web' }, NOW))).toEqual([]);
  });

  it.each([
    ['address only', { address: '沙家浜镇' }],
    ['town only', { town: '沙家浜镇' }],
    ['coordinates only', { lng: 120.8, lat: 31.5 }],
  ])('accepts a location with %s', (_label, location) => {
    expect(paths('12336', { ...make12336Tip({}, NOW), location })).toEqual([]);
  });

  it.each([
    ['no form at all', { crs: 'wgs84' }, ['location']],
    ['blank address', { address: '  ' }, ['location']],
    ['lng without lat', { lng: 120.8 }, ['location.lat']],
    ['lat without lng', { lat: 31.5 }, ['location.lng']],
    ['lng out of range', { lng: 200, lat: 31.5 }, ['location.lng']],
    ['lat out of range', { lng: 120, lat: -91 }, ['location.lat']],
    ['lng as text', { lng: '120.8', lat: 31.5 }, ['location.lng']],
  ])('rejects a location with %s', (_label, location, expected) => {
    expect(paths('12336', { ...make12336Tip({}, NOW), location })).toEqual(expected);
  });

  it('rejects a receivedAt more than 5 minutes ahead, accepts one just inside', () => {
    const ahead = (ms: number) => shanghaiIso(new Date(NOW.getTime() + ms));
    expect(paths('12336', make12336Tip({ receivedAt: ahead(FUTURE_TOLERANCE_MS + 1000) }, NOW))).toEqual([
      'receivedAt',
    ]);
    expect(paths('12336', make12336Tip({ receivedAt: ahead(FUTURE_TOLERANCE_MS - 1000) }, NOW))).toEqual([]);
  });

  it.each(['2026-11-28T09:15:00', '2026-11-28', 'yesterday', '2026-11-28 09:15:00+08:00'])(
    'rejects receivedAt %s (no offset or not ISO 8601)',
    (receivedAt) => {
      expect(paths('12336', make12336Tip({ receivedAt }, NOW))).toEqual(['receivedAt']);
    },
  );

  it('accepts UTC (Z) as an offset', () => {
    expect(paths('12336', make12336Tip({ receivedAt: '2026-11-28T01:00:00Z' }, NOW))).toEqual([]);
  });

  it('rejects an http attachment and names its index', () => {
    const attachments = [
      { url: 'https://example.org/ok.jpg' },
      { url: 'http://example.org/a.jpg' },
      { url: 'not a url' },
    ];
    expect(paths('12336', make12336Tip({ attachments }, NOW))).toEqual([
      'attachments.1.url',
      'attachments.2.url',
    ]);
  });

  it('accepts 20 attachments and rejects 21', () => {
    const many = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ url: `https://example.org/${i}.jpg` }));
    expect(paths('12336', make12336Tip({ attachments: many(20) }, NOW))).toEqual([]);
    expect(paths('12336', make12336Tip({ attachments: many(21) }, NOW))).toEqual(['attachments']);
  });

  it('strips unknown keys at every level, so they do not change the content hash', () => {
    const plain = parsed('12336', make12336Tip({}, NOW));
    const extra = parsed(
      '12336',
      deepMerge(make12336Tip({}, NOW), { extra: 1, location: { floor: 3 }, reporter: { age: 40 } }),
    );
    expect(extra).toEqual(plain);
    expect(extra).not.toHaveProperty('extra');
    const hash = (data: typeof plain) =>
      normalizeTip(SOURCE_MODULES['12336'], data, { acceptedAt: NOW, reporter: SEALED }).contentHash;
    expect(hash(extra)).toBe(hash(plain));
  });

  it('treats an absent reporter, anonymous: true, and a reporter without name or phone as anonymous', () => {
    expect(
      SOURCE_MODULES['12336'].reporterOf(parsed('12336', make12336Tip({ reporter: undefined }, NOW))),
    ).toEqual({
      anonymous: true,
    });
    expect(
      SOURCE_MODULES['12336'].reporterOf(
        parsed('12336', make12336Tip({ reporter: { anonymous: true } }, NOW)),
      ),
    ).toEqual({
      anonymous: true,
    });
    expect(
      SOURCE_MODULES['12336'].reporterOf(
        parsed('12336', make12336Tip({ reporter: { name: undefined, phone: undefined } }, NOW)),
      ),
    ).toEqual({ anonymous: true });
  });

  it('keeps a named reporter as an identity to seal, with wantsFeedback', () => {
    expect(SOURCE_MODULES['12336'].reporterOf(parsed('12336', sample12336))).toEqual({
      anonymous: false,
      confidential: false,
      wantsFeedback: true,
      identity: { name: '张三', phone: '13912345678' },
    });
  });
});

describe('12345 work orders', () => {
  it('accepts the contract example and normalizes every field', () => {
    const tip = normalizeTip(SOURCE_MODULES['12345'], parsed('12345', sample12345), {
      acceptedAt: NOW,
      reporter: SEALED,
    });
    expect(tip).toMatchObject({
      source: '12345',
      externalId: 'GD202611280123',
      receivedAt: '2026-11-28T10:02:11+08:00',
      title: '村里有人违法建房',
      description: '海虞镇福山村七组有人在承包地上建两层楼房',
      urgency: 'normal',
      location: { address: '海虞镇福山村七组', region: '常熟市海虞镇' },
      sourceDeadline: '2026-12-15T17:00:00+08:00',
      details: { appealType: 'report', title: '村里有人违法建房' },
      attachments: [],
    });
    expect(tip.violationType).toBeUndefined();
  });

  it.each(['orderNo', 'createdAt', 'content'])('requires %s', (field) => {
    expect(paths('12345', deepMerge(make12345Tip({}, NOW), { [field]: undefined }))).toEqual([field]);
  });

  it('requires address or region, and accepts either alone', () => {
    expect(paths('12345', make12345Tip({ address: undefined, region: undefined }, NOW))).toEqual(['address']);
    expect(paths('12345', make12345Tip({ address: undefined }, NOW))).toEqual([]);
    expect(paths('12345', make12345Tip({ region: undefined }, NOW))).toEqual([]);
  });

  it('defaults appealType to report and urgency to normal, and carries urgent through', () => {
    const data = parsed('12345', make12345Tip({ appealType: undefined, urgency: undefined }, NOW));
    expect([data.appealType, data.urgency]).toEqual(['report', 'normal']);
    const urgent = normalizeTip(
      SOURCE_MODULES['12345'],
      parsed('12345', make12345Tip({ urgency: 'urgent' }, NOW)),
      {
        acceptedAt: NOW,
        reporter: SEALED,
      },
    );
    expect(urgent.urgency).toBe('urgent');
  });

  it.each([
    ['appealType', { appealType: 'praise' }],
    ['urgency', { urgency: 'critical' }],
    ['handlingDeadline', { handlingDeadline: 'next week' }],
  ])('rejects an invalid %s', (path, override) => {
    expect(paths('12345', deepMerge(make12345Tip({}, NOW), override))).toEqual([path]);
  });

  it.each(['complaint', 'report', 'consultation', 'suggestion', 'help'])(
    'accepts appealType %s',
    (appealType) => {
      expect(paths('12345', make12345Tip({ appealType: appealType as 'help' }, NOW))).toEqual([]);
    },
  );

  it('rejects a createdAt more than 5 minutes ahead', () => {
    expect(
      paths('12345', make12345Tip({ createdAt: shanghaiIso(new Date(NOW.getTime() + 6 * 60_000)) }, NOW)),
    ).toEqual(['createdAt']);
  });

  it('seals a confidential caller; no caller, or a caller without name and phone, is anonymous', () => {
    expect(SOURCE_MODULES['12345'].reporterOf(parsed('12345', sample12345))).toEqual({
      anonymous: false,
      confidential: true,
      identity: { name: '李女士', phone: '13800000000' },
    });
    expect(
      SOURCE_MODULES['12345'].reporterOf(parsed('12345', make12345Tip({ caller: undefined }, NOW))),
    ).toEqual({
      anonymous: true,
    });
    expect(
      SOURCE_MODULES['12345'].reporterOf(
        parsed('12345', make12345Tip({ caller: { name: undefined, phone: undefined } }, NOW)),
      ),
    ).toEqual({ anonymous: true });
    expect(
      SOURCE_MODULES['12345'].reporterOf(
        parsed('12345', make12345Tip({ caller: { name: undefined, confidential: undefined } }, NOW)),
      ),
    ).toEqual({ anonymous: false, confidential: false, identity: { phone: '13800000000' } });
  });
});

describe('city-management cases', () => {
  it('accepts the contract example and normalizes every field', () => {
    const tip = normalizeTip(
      SOURCE_MODULES['city-management'],
      parsed('city-management', sampleCityManagement),
      {
        acceptedAt: NOW,
        reporter: { anonymous: true },
      },
    );
    expect(tip).toMatchObject({
      source: 'city-management',
      externalId: 'CS2026112800017',
      receivedAt: '2026-11-28T08:40:00+08:00',
      description: '农田内新建彩钢棚约300平方米',
      urgency: 'normal',
      location: {
        address: '碧溪街道李袁村',
        street: '碧溪街道',
        community: '李袁村',
        gridCode: '3205810050201',
        point: { lng: 120.9, lat: 31.72, crs: 'cgcs2000' },
      },
      sourceDeadline: '2026-12-01T17:00:00+08:00',
      details: {
        eventType: 'case.dispatched',
        origin: 'inspector',
        categoryMajor: '违法建设',
        categoryMinor: '违章搭建',
        categoryCode: '0501',
      },
      attachments: [{ url: 'https://example.org/p1.jpg' }],
      reporter: { anonymous: true },
    });
    expect(
      SOURCE_MODULES['city-management'].reporterOf(parsed('city-management', sampleCityManagement)),
    ).toEqual({
      anonymous: true,
    });
  });

  it.each(['caseNo', 'reportedAt', 'description', 'location'])('requires case.%s', (field) => {
    expect(
      paths('city-management', deepMerge(makeCityManagementTip({}, NOW), { case: { [field]: undefined } })),
    ).toEqual([`case.${field}`]);
  });

  it('requires the case and the event type', () => {
    expect(paths('city-management', { eventType: 'case.dispatched' })).toEqual(['case']);
    expect(
      paths('city-management', deepMerge(makeCityManagementTip({}, NOW), { eventType: undefined })),
    ).toEqual(['eventType']);
  });

  it.each([
    ['description only', { description: '李袁村' }, []],
    ['street only', { street: '碧溪街道' }, []],
    ['coordinates only', { lng: 120.9, lat: 31.7 }, []],
    ['community and grid only', { community: '李袁村', gridCode: '1' }, ['case.location']],
    ['lat without lng', { street: '碧溪街道', lat: 31.7 }, ['case.location.lng']],
  ])('location with %s', (_label, location, expected) => {
    const body = makeCityManagementTip({}, NOW);
    expect(paths('city-management', { ...body, case: { ...body.case, location } })).toEqual(expected);
  });

  it.each(['inspector', 'public', 'video', 'hotline', 'superior'])('accepts origin %s', (origin) => {
    expect(
      paths('city-management', makeCityManagementTip({ case: { origin: origin as 'video' } }, NOW)),
    ).toEqual([]);
  });

  it('rejects an unknown origin, an http photo, 21 photos and a future reportedAt', () => {
    const body = makeCityManagementTip({}, NOW);
    const future = shanghaiIso(new Date(NOW.getTime() + 10 * 60_000));
    expect(paths('city-management', { ...body, case: { ...body.case, origin: 'drone' } })).toEqual([
      'case.origin',
    ]);
    expect(
      paths('city-management', { ...body, case: { ...body.case, photos: ['http://example.org/p.jpg'] } }),
    ).toEqual(['case.photos.0']);
    const photos = Array.from({ length: 21 }, (_, i) => `https://example.org/${i}.jpg`);
    expect(paths('city-management', { ...body, case: { ...body.case, photos } })).toEqual(['case.photos']);
    expect(paths('city-management', { ...body, case: { ...body.case, reportedAt: future } })).toEqual([
      'case.reportedAt',
    ]);
  });

  it('marks only a city-management event other than case.dispatched as unsupported', () => {
    const isUnsupportedEvent = (source: Source, body: Record<string, unknown>) =>
      SOURCE_MODULES[source].unsupportedEvents?.matches(body) ?? false;
    expect(isUnsupportedEvent('city-management', { eventType: 'case.closed' })).toBe(true);
    expect(isUnsupportedEvent('city-management', { eventType: 'case.dispatched' })).toBe(false);
    expect(isUnsupportedEvent('city-management', {})).toBe(false);
    expect(isUnsupportedEvent('12336', { eventType: 'case.closed' })).toBe(false);
  });
});

describe('schemas bound to a clock', () => {
  it('are built once per clock and read it at parse time', () => {
    let now = NOW;
    const moving = { now: () => now };
    expect(SOURCE_MODULES['12336'].schema(moving)).toBe(SOURCE_MODULES['12336'].schema(moving));
    expect(SOURCE_MODULES['12336'].schema(moving)).not.toBe(SOURCE_MODULES['12336'].schema(clock));
    const body = make12336Tip({ receivedAt: shanghaiIso(new Date(NOW.getTime() + 10 * 60_000)) }, NOW);
    expect(parseSourceBody(SOURCE_MODULES['12336'], body, moving).success).toBe(false);
    now = new Date(NOW.getTime() + 6 * 60_000);
    expect(parseSourceBody(SOURCE_MODULES['12336'], body, moving).success).toBe(true);
  });
});
