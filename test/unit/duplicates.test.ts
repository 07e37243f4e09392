import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getJurisdiction } from '../../shared/config/jurisdiction/load.js';
import {
  caseOpenFor,
  comparableText,
  compareSites,
  DEFAULT_DUPLICATE_RULES,
  distanceMetres,
  partiesIn,
  partiesOfSubject,
  placeFinderFor,
  recurrenceOf,
  type SiteFeatures,
  type SiteInput,
  siteFeatures,
  siteKeysToRead,
  siteKeysToWrite,
  textSimilarity,
} from '../../shared/domain/duplicates.js';
import type { AreaId } from '../../shared/domain/model.js';
import { caseRecord } from '../support/case-record.js';

const findPlaces = placeFinderFor(getJurisdiction());
const site = (input: Partial<SiteInput> & { description: string }, area: AreaId = 'haiyu'): SiteFeatures =>
  siteFeatures({ location: {}, ...input }, area, findPlaces);

describe('site features', () => {
  it('names the villages of the area, the group, the kind of violation and the bare wording', () => {
    const features = site({
      location: { address: '海虞镇福山村七组' },
      description: '海虞镇福山村七组有人在承包地上建两层楼房',
    });
    expect(features.placeNames).toEqual(['福山村']);
    expect(features.places).toHaveLength(1);
    expect(features.groups).toEqual(['7']);
    expect(features.activities).toEqual(['build']);
    // Place names, numbers (两层) and filler gone; 承包地 → 田, 楼房 → 房.
    expect(features.text).toBe('田建|房');
  });

  it('keeps villages of other areas out of the site', () => {
    const features = site(
      { location: { address: '碧溪街道李袁村' }, description: '田里搭了铁皮棚' },
      'haiyu',
    );
    expect(features.places).toEqual([]);
  });

  it('reads parties from the subject and the text', () => {
    expect(partiesOfSubject('常熟市恒达机械有限公司')).toEqual(['恒达机械']);
    expect(partiesOfSubject('某建材公司')).toEqual(['建材']);
    expect(partiesIn('福山村三组村民李某在基本农田上搭建养殖棚')).toEqual(['李某']);
    expect(partiesIn('三组姓李的在田里搭了鸡棚')).toEqual(['李某']);
    expect(partiesIn('里泾村九组老王家在田里砌围墙')).toEqual(['王某']);
    expect(partiesIn('有人在田里建房')).toEqual([]);
  });

  it('converts the point to wgs84 and files it under a 2×2 block of grid cells', () => {
    const features = site({
      location: { point: { lng: 120.9, lat: 31.72, crs: 'wgs84' } },
      description: '农田内新建彩钢棚约300平方米',
    });
    expect(features.point).toEqual({ lng: 120.9, lat: 31.72 });
    expect(siteKeysToWrite(features)).toHaveLength(4);
    expect(siteKeysToRead(features)).toHaveLength(1);
  });

  it('folds synonyms and drops numbers with their units', () => {
    expect(comparableText('七组田里盖了三层楼房，约300平方米', [])).toBe('田建|房');
    expect(comparableText('七组农田里新建楼房', [])).toBe('田建房');
    expect(comparableText('倾倒建筑垃圾约500方', [])).toBe('倒垃圾');
    expect(textSimilarity('田建房', '田建房')).toBe(1);
    expect(textSimilarity('', '田建房')).toBe(0);
  });
});

describe('compareSites', () => {
  const fushan7 = site({
    location: { address: '海虞镇福山村七组' },
    description: '村里有人违法建房。海虞镇福山村七组有人在承包地上建两层楼房',
  });

  it('merges the same site said differently, giving the reason in Chinese', () => {
    const inspector = site({
      location: { address: '海虞镇福山村' },
      description: '巡查发现福山村7组农用地上新建二层砖混房屋一处，约120平方米',
    });
    const comparison = compareSites(fushan7, inspector);
    expect(comparison.same).toBe(true);
    expect(comparison.reason).toMatch(/^同在福山村，/);
  });

  it('keeps neighbouring groups apart', () => {
    const group8 = site({
      location: { address: '海虞镇福山村八组' },
      description: '村里有人违法建房。海虞镇福山村八组有人在承包地上建两层楼房',
    });
    const comparison = compareSites(fushan7, group8);
    expect(comparison.same).toBe(false);
    expect(comparison.reason).toBe('村民小组不同：7组／8组');
  });

  it('keeps different owners apart, and joins the same owner on little wording', () => {
    const li = site({
      location: { address: '海虞镇福山村三组' },
      description: '村民李某在田里搭养殖棚',
      subject: '李某',
    });
    const wang = site({
      location: { address: '海虞镇福山村三组' },
      description: '村民王某在田里搭养殖棚',
      subject: '王某',
    });
    expect(compareSites(li, wang)).toMatchObject({ same: false, reason: '当事人不同：李某／王某' });
    const liAgain = site({ location: { address: '海虞镇福山村' }, description: '姓李的养鸡，占了不少地' });
    expect(compareSites(li, liAgain)).toMatchObject({ same: true, party: '李某' });
  });

  it('keeps different kinds of violation in one village apart', () => {
    const dump = site({
      location: { address: '海虞镇福山村七组' },
      description: '福山村七组农田里被倒了建筑垃圾',
    });
    expect(compareSites(fushan7, dump)).toMatchObject({ same: false, reason: '违法行为不同：建设／倾倒' });
  });

  it('takes points within the radius as one place, and points far apart as two sites', () => {
    const at = (lng: number, lat: number) =>
      site({ location: { point: { lng, lat, crs: 'wgs84' } }, description: '农田内新建彩钢棚一处' }, 'bixi');
    const here = at(120.9, 31.72);
    expect(compareSites(here, at(120.9008, 31.7204))).toMatchObject({ same: true });
    expect(compareSites(here, at(120.905, 31.72)).same).toBe(false);
    expect(compareSites(here, at(120.905, 31.72)).reason).toMatch(/未提到同一村（社区），两点相距\d+米/);
  });

  it('never joins tips of the same village whose points are far apart', () => {
    const near = site(
      {
        location: { address: '碧溪街道李袁村', point: { lng: 120.9, lat: 31.72, crs: 'wgs84' } },
        description: '农田内新建彩钢棚约300平方米',
      },
      'bixi',
    );
    const far = site(
      {
        location: { address: '碧溪街道李袁村', point: { lng: 120.912, lat: 31.727, crs: 'wgs84' } },
        description: '农田内新建彩钢棚约260平方米',
      },
      'bixi',
    );
    expect(compareSites(near, far)).toMatchObject({ same: false });
    expect(compareSites(near, far).reason).toMatch(/^不是同一地块：两点相距\d+米$/);
  });

  it('reads its thresholds from the rules', () => {
    const a = site({ location: { address: '海虞镇福山村' }, description: '田里有人挖土' });
    const b = site({ location: { address: '海虞镇福山村' }, description: '晚上有挖机挖田卖土' });
    const similarity = textSimilarity(a.text, b.text);
    expect(compareSites(a, b, { ...DEFAULT_DUPLICATE_RULES, similarity: similarity + 0.01 }).same).toBe(
      false,
    );
    expect(
      compareSites(a, b, { ...DEFAULT_DUPLICATE_RULES, similarity: Math.max(0.1, similarity - 0.01) }).same,
    ).toBe(true);
  });
});

describe('the grid of the site index', () => {
  // Around 常熟: a point within the radius of another always lies in a cell the other was filed under.
  const point = fc.record({
    lng: fc.double({ min: 120.5, max: 121.1, noNaN: true }),
    lat: fc.double({ min: 31.4, max: 31.9, noNaN: true }),
  });
  const nearby = (from: { lng: number; lat: number }) =>
    fc
      .record({
        bearing: fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        metres: fc.double({ min: 0, max: 160, noNaN: true }),
      })
      .map(({ bearing, metres }) => ({
        lng: from.lng + (metres * Math.sin(bearing)) / (111_320 * Math.cos((from.lat * Math.PI) / 180)),
        lat: from.lat + (metres * Math.cos(bearing)) / 110_574,
      }));
  const features = (p: { lng: number; lat: number }): SiteFeatures => ({
    places: [],
    placeNames: [],
    point: p,
    parties: [],
    groups: [],
    doors: [],
    activities: [],
    text: '',
  });

  it('finds every case within 160 m with the one cell a tip reads', () => {
    fc.assert(
      fc.property(
        point.chain((p) => fc.tuple(fc.constant(p), nearby(p))),
        ([filed, tip]) => {
          fc.pre(distanceMetres(filed, tip) <= 160);
          const [read] = siteKeysToRead(features(tip));
          expect(siteKeysToWrite(features(filed))).toContain(read);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('candidate cases', () => {
  const open = caseRecord({ area: 'haiyu', status: 'assigned' });
  const receivedAt = open.tips[0]!.receivedAt;
  const later = (days: number) => new Date(Date.parse(receivedAt) + days * 86_400_000).toISOString();

  it('are open, of the area, not in triage and opened within the window', () => {
    expect(caseOpenFor(open, 'haiyu', later(59))).toBe(true);
    expect(caseOpenFor(open, 'haiyu', later(61))).toBe(false);
    expect(caseOpenFor(open, 'meili', later(1))).toBe(false);
    expect(caseOpenFor({ ...open, status: 'closed' }, 'haiyu', later(1))).toBe(false);
    expect(caseOpenFor({ ...open, status: 'triage', area: null }, 'haiyu', later(1))).toBe(false);
  });

  it('closed within a year are recurrences; merged-away ones are not', () => {
    const closedAt = later(10);
    const closed = {
      ...open,
      status: 'closed' as const,
      events: [...open.events, { type: 'close', at: closedAt, by: 'bureau:haiyu', outcome: '已拆除' }],
    };
    expect(recurrenceOf(closed, 'haiyu', later(300))).toBe(true);
    expect(recurrenceOf(closed, 'haiyu', later(400))).toBe(false);
    expect(recurrenceOf({ ...closed, mergedInto: 'case_x' }, 'haiyu', later(30))).toBe(false);
    expect(recurrenceOf(open, 'haiyu', later(30))).toBe(false);
  });
});
