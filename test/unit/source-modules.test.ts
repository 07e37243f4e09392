import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deriveTipId } from '../../shared/domain/ids.js';
import { SOURCES, type Source } from '../../shared/domain/model.js';
import { identityOf, perClock, requiredText } from '../../shared/domain/sources/fields.js';
import { normalizeTip, parseSourceBody, SOURCE_MODULES } from '../../shared/domain/sources/index.js';
import type { SourceModule } from '../../shared/domain/sources/types.js';
import { parseTipMessage } from '../../shared/domain/tip-message.js';

// 10:00 in Shanghai on the day of the contract's examples.
const NOW = new Date('2026-11-28T02:00:00Z');
const clock = { now: () => NOW };
const SEALED = { anonymous: false as const, confidential: false, sealed: 'v1.sealed' };

/** What every module must do with its own example, whatever the source. */
function roundTrip<Body, Input>(source: SourceModule<Body, Input>) {
  const parsed = parseSourceBody(source, source.example, clock);
  if (!parsed.success)
    throw new Error(`${source.name}: its example is invalid: ${JSON.stringify(parsed.issues)}`);
  const tip = normalizeTip(source, parsed.data, { acceptedAt: NOW, reporter: SEALED });
  return { data: parsed.data, tip };
}

/** Generic in the source name, so that the module's members agree on one body type. */
function describeModule<S extends Source>(name: S) {
  const source = SOURCE_MODULES[name];

  it('is listed under its own name', () => {
    expect(source.name).toBe(name);
  });

  it('accepts its example and normalizes it into a tip the router reads back unchanged', () => {
    const { data, tip } = roundTrip(source);
    expect(tip).toMatchObject({
      tipId: deriveTipId(name, source.externalId(data)),
      source: name,
      externalId: source.externalId(data),
      acceptedAt: NOW.toISOString(),
      reporter: SEALED,
    });
    expect(parseTipMessage(JSON.stringify(tip))).toEqual(tip);
  });

  it('leaves the reporter identity out of the content hash and out of the rest of the tip', () => {
    const { data, tip } = roundTrip(source);
    const reporter = source.reporterOf(data);
    if (reporter.anonymous) return;
    const serialized = JSON.stringify(source.withoutIdentity(data));
    for (const value of Object.values(reporter.identity)) {
      expect(serialized).not.toContain(value);
      expect(JSON.stringify(tip)).not.toContain(value);
    }
  });

  it('does not take its own example for an unsupported event', () => {
    const example: Record<string, unknown> = { ...source.example };
    expect(source.unsupportedEvents?.matches(example) ?? false).toBe(false);
  });

  it('documents itself for the API document', () => {
    expect(source.documentation.title).toMatch(/\S/);
    expect(source.documentation.summary).toMatch(/\S/);
  });
}

describe.each(SOURCES)('the %s module', describeModule);

describe('SOURCE_MODULES', () => {
  it('has exactly the sources of SOURCES', () => {
    expect(Object.keys(SOURCE_MODULES).sort()).toEqual([...SOURCES].sort());
  });
});

describe('a further source', () => {
  // Stands for a fourth name added to SOURCES: the module below is all the rest a source needs.
  const name = 'land-patrol' as Source;
  const patrolSchema = perClock(() =>
    z.object({
      patrolId: requiredText(64),
      seenAt: z.iso.datetime({ offset: true }),
      note: requiredText(500),
      warden: z.object({ name: z.string().optional(), phone: z.string().optional() }).optional(),
      kind: z.string().optional(),
    }),
  );
  type Patrol = z.output<ReturnType<typeof patrolSchema>>;
  const landPatrol: SourceModule<Patrol, z.input<ReturnType<typeof patrolSchema>>> = {
    name,
    documentation: { title: 'Land patrol sighting', summary: 'Submit a sighting of a land patrol' },
    schema: patrolSchema,
    example: {
      patrolId: 'LP-0001',
      seenAt: '2026-11-28T09:00:00+08:00',
      note: '河边新堆土方',
      warden: { name: '赵六', phone: '13700000000' },
    },
    externalId: (tip) => tip.patrolId,
    reporterOf: ({ warden }) => {
      const identity = warden && identityOf(warden.name, warden.phone);
      return identity ? { anonymous: false, confidential: true, identity } : { anonymous: true };
    },
    withoutIdentity: ({ warden: _warden, ...rest }) => rest,
    normalize: (tip, envelope) => ({
      ...envelope,
      receivedAt: tip.seenAt,
      description: tip.note,
      urgency: 'normal',
      location: {},
      details: {},
      attachments: [],
    }),
    unsupportedEvents: {
      matches: (body) => body.kind === 'drill',
      message: 'Drills are not tips.',
      documentation: 'kind drill',
    },
  };

  it('plugs into parsing and normalizing through the interface alone', () => {
    const { data, tip } = roundTrip(landPatrol);
    expect(tip).toMatchObject({ source: name, externalId: 'LP-0001', description: '河边新堆土方' });
    expect(landPatrol.reporterOf(data)).toMatchObject({ anonymous: false, identity: { name: '赵六' } });
    expect(JSON.stringify(tip)).not.toContain('赵六');
    expect(landPatrol.unsupportedEvents?.matches({ ...landPatrol.example, kind: 'drill' })).toBe(true);
    const invalid = parseSourceBody(landPatrol, { ...landPatrol.example, note: ' ' }, clock);
    expect(invalid.success).toBe(false);
  });
});
