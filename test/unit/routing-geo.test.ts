import { describe, expect, it } from 'vitest';
import { getJurisdiction, withBoundaries } from '../../shared/config/jurisdiction/load.js';
import { areasContaining, convertPoint, parseBoundaries } from '../../shared/domain/geo.js';
import type { AreaId, GeoPoint, TipLocation } from '../../shared/domain/model.js';
import { routeTip } from '../../shared/domain/routing.js';
import { expectNoLatinWords } from '../support/chinese-text.js';

/** A made-up square of ±0.02° around (lng, lat): synthetic, nothing like the real boundaries. */
const square = (area: AreaId, lng: number, lat: number, half = 0.02) => ({
  type: 'Feature',
  properties: { area },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
      ],
    ],
  },
});

const GULI = { lng: 120.9, lat: 31.6 };
const SHAJIABANG = { lng: 120.8, lat: 31.5 };
const boundaries = parseBoundaries(
  {
    type: 'FeatureCollection',
    features: [
      square('guli', GULI.lng, GULI.lat),
      square('shajiabang', SHAJIABANG.lng, SHAJIABANG.lat),
      // Overlap: both meili and haiyu claim this square.
      square('meili', 121.0, 31.7),
      square('haiyu', 121.0, 31.7, 0.01),
      square('resort', 120.7, 31.65),
    ],
  },
  'synthetic.geojson',
);
const withSquares = withBoundaries(getJurisdiction(), boundaries);
const route = (location: TipLocation) => routeTip({ location, text: '' }, withSquares);
const wgs = (lng: number, lat: number): GeoPoint => ({ lng, lat, crs: 'wgs84' });

describe('convertPoint', () => {
  it('converts between wgs84, gcj02 and bd09 and back within a metre', () => {
    const point = wgs(120.81, 31.54);
    const gcj = convertPoint(point, 'gcj02');
    const bd = convertPoint(point, 'bd09');
    expect(Math.abs(gcj[0] - point.lng) + Math.abs(gcj[1] - point.lat)).toBeGreaterThan(0.002);
    expect(Math.abs(bd[0] - gcj[0]) + Math.abs(bd[1] - gcj[1])).toBeGreaterThan(0.005);
    const back = convertPoint({ lng: bd[0], lat: bd[1], crs: 'bd09' }, 'wgs84');
    expect(back[0]).toBeCloseTo(point.lng, 5);
    expect(back[1]).toBeCloseTo(point.lat, 5);
  });

  it('treats cgcs2000 as wgs84 (centimetres apart)', () => {
    expect(convertPoint({ lng: 120.81, lat: 31.54, crs: 'cgcs2000' }, 'wgs84')).toEqual([120.81, 31.54]);
  });
});

describe('areasContaining', () => {
  it('finds the one square a wgs84 point lies in, and none outside all squares', () => {
    expect(areasContaining(wgs(GULI.lng + 0.01, GULI.lat), boundaries)).toEqual(['guli']);
    expect(areasContaining(wgs(110, 30), boundaries)).toEqual([]);
  });

  it('converts a bd09 point first: inside in wgs84, although its raw numbers lie outside', () => {
    // A wgs84 point just inside the east edge of the guli square; in bd09 its numbers are ~1 km east.
    const inside = wgs(GULI.lng + 0.018, GULI.lat);
    const [bdLng, bdLat] = convertPoint(inside, 'bd09');
    expect(bdLng).toBeGreaterThan(GULI.lng + 0.02);
    expect(areasContaining({ lng: bdLng, lat: bdLat, crs: 'bd09' }, boundaries)).toEqual(['guli']);
    expect(areasContaining(wgs(bdLng, bdLat), boundaries)).toEqual([]);
  });

  it('reports every area of overlapping boundaries', () => {
    expect(areasContaining(wgs(121.0, 31.7), boundaries).sort()).toEqual(['haiyu', 'meili']);
  });

  it('converts gcj02 polygons to wgs84 at load', () => {
    const [gLng, gLat] = convertPoint(wgs(GULI.lng, GULI.lat), 'gcj02');
    const traced = parseBoundaries(
      { type: 'FeatureCollection', coordinateSystem: 'gcj02', features: [square('guli', gLng, gLat, 0.001)] },
      'gcj.geojson',
    );
    expect(areasContaining(wgs(GULI.lng, GULI.lat), traced)).toEqual(['guli']);
  });

  it('refuses a file without area ids', () => {
    expect(() =>
      parseBoundaries(
        { type: 'FeatureCollection', features: [{ ...square('guli', 0, 0), properties: {} }] },
        'bad.geojson',
      ),
    ).toThrow(/bad\.geojson.*properties\.area/);
  });
});

describe('routing with boundaries', () => {
  it('routes by a point alone', () => {
    const decision = route({ point: wgs(GULI.lng, GULI.lat) });
    expect(decision).toMatchObject({ area: 'guli', district: 'district-1', method: 'coordinates' });
    expect(decision.explanation).toBe(
      '卫星定位坐标点位于古里镇的已配置边界内，据此分派至古里镇国土分局（第一片区）。',
    );
  });

  it('routes a bd09 point after converting it', () => {
    const [lng, lat] = convertPoint(wgs(SHAJIABANG.lng, SHAJIABANG.lat), 'bd09');
    expect(route({ point: { lng, lat, crs: 'bd09' } })).toMatchObject({
      area: 'shajiabang',
      method: 'coordinates',
    });
  });

  it('reinforces an agreeing name', () => {
    const named = route({ address: '古里镇紫霞村' });
    const both = route({ address: '古里镇紫霞村', point: wgs(GULI.lng, GULI.lat) });
    expect(both).toMatchObject({ area: 'guli', method: named.method });
    expect(both.confidence).toBeGreaterThan(named.confidence);
    expect(both.explanation).toContain('卫星定位坐标点位于古里镇的已配置边界内，与此相符。');
    expectNoLatinWords(both.explanation);
  });

  it('sends a town field that disagrees with the point to triage', () => {
    const decision = route({ town: '沙家浜镇', point: wgs(GULI.lng, GULI.lat) });
    expect(decision).toMatchObject({ area: null, method: 'conflict', confidence: 0 });
    expect(decision.explanation).toBe(
      '转监察大队研判：卫星定位坐标点位于古里镇的已配置边界内，与所属镇字段中的"沙家浜镇"不符。',
    );
  });

  it('overrules a bare village of another area', () => {
    expect(route({ address: '李袁村三组', point: wgs(GULI.lng, GULI.lat) })).toMatchObject({
      area: 'guli',
      method: 'coordinates',
    });
  });

  it('is not contradicted by a generic zone word (经济开发区 could be any town zone)', () => {
    expect(route({ address: '经济开发区某路', point: wgs(GULI.lng, GULI.lat) })).toMatchObject({
      area: 'guli',
      method: 'coordinates',
    });
  });

  it('sends a point in the city with a town of a neighbour in the address to triage', () => {
    expect(route({ address: '黄桥街道方浜村', point: wgs(GULI.lng, GULI.lat) })).toMatchObject({
      area: null,
      method: 'conflict',
    });
  });

  it('decides an ambiguous name (尚湖) by the point', () => {
    expect(route({ address: '尚湖边上', point: wgs(120.7, 31.65) })).toMatchObject({ area: 'resort' });
  });

  it('decides nothing from overlapping boundaries or a point outside every boundary', () => {
    expect(route({ point: wgs(121.0, 31.7) })).toMatchObject({ area: null, method: 'none' });
    const outside = route({ address: '梅李镇', point: wgs(110, 30) });
    expect(outside).toMatchObject({ area: 'meili' });
    expect(outside.explanation).toContain('；坐标点不在任何已配置的片区边界内。');
  });

  it('says that coordinates add nothing when no boundaries are configured', () => {
    const decision = routeTip({ location: { point: wgs(GULI.lng, GULI.lat) }, text: '' }, getJurisdiction());
    expect(decision.area).toBeNull();
    expect(decision.explanation).toBe(
      '转监察大队研判：举报中未找到常熟市的地名；未配置片区边界，坐标不作依据。',
    );
  });
});
