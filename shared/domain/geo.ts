/**
 * Coordinates as routing evidence: conversion between the coordinate systems sources use and a
 * point-in-polygon test against optional area boundaries a deployer supplies (no public town
 * boundaries of 常熟市 exist, so none ship with the code).
 *
 * Coordinate systems: wgs84 (GPS), gcj02 (the obfuscated system Chinese maps must use: AMap, Tencent),
 * bd09 (Baidu, a further offset of gcj02) and cgcs2000 (the national geodetic system). CGCS2000 and
 * WGS84 differ by centimetres, far below what routing by area can notice, so cgcs2000 is treated as
 * wgs84. gcj02 and bd09 are several hundred metres off wgs84 around 常熟 and are converted with gcoord.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import * as gcoordModule from 'gcoord';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { z } from 'zod';
import { AREA_IDS, type AreaId, type GeoPoint } from './model.js';

/**
 * gcoord's types declare an ES default export, its CommonJS build assigns module.exports: the
 * library object is the default where a loader provides one and the namespace itself otherwise.
 */
interface Gcoord {
  transform<T>(input: T, from: string, to: string): T;
  WGS84: string;
  GCJ02: string;
  BD09: string;
}
const loaded = gcoordModule as unknown as Gcoord & { default?: Gcoord };
const gcoord: Gcoord = loaded.default ?? loaded;

export type CoordinateSystem = GeoPoint['crs'];
export const COORDINATE_SYSTEMS = [
  'wgs84',
  'gcj02',
  'bd09',
  'cgcs2000',
] as const satisfies readonly CoordinateSystem[];

const GCOORD_CRS = {
  wgs84: gcoord.WGS84,
  cgcs2000: gcoord.WGS84,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
} as const;

/** `[lng, lat]` of `point` in `to`. */
export function convertPoint(point: GeoPoint, to: CoordinateSystem): [lng: number, lat: number] {
  const from = GCOORD_CRS[point.crs];
  const target = GCOORD_CRS[to];
  if (from === target) return [point.lng, point.lat];
  const [lng, lat] = gcoord.transform([point.lng, point.lat], from, target);
  return [lng, lat];
}

export interface AreaBoundary {
  area: AreaId;
  geometry: Polygon | MultiPolygon;
  /** [minLng, minLat, maxLng, maxLat]: most points are rejected without the full test. */
  bbox: readonly [number, number, number, number];
}

/** Boundaries of some or all areas, in wgs84. */
export interface AreaBoundaries {
  features: readonly AreaBoundary[];
  /** Where they came from (a file name), for the explanation and the logs. */
  source: string;
}

const position = z.array(z.number()).min(2);
const ring = z.array(position).min(4);
const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);

/**
 * The accepted file: a GeoJSON FeatureCollection, one (Multi)Polygon feature per area with
 * `properties.area` set to an area id. GeoJSON is wgs84 by definition (RFC 7946); polygons traced
 * on a Chinese map may say so with the foreign member `"coordinateSystem": "gcj02"` (or `bd09`,
 * `cgcs2000`) and are converted once, at load.
 */
export const boundariesFileSchema = z.object({
  type: z.literal('FeatureCollection'),
  coordinateSystem: z.enum(COORDINATE_SYSTEMS).default('wgs84'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ area: z.enum(AREA_IDS) }).passthrough(),
      geometry: geometrySchema,
    }),
  ),
});

const boundingBox = (geometry: Polygon | MultiPolygon): [number, number, number, number] => {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const rings: Position[][] =
    geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  for (const ringPositions of rings) {
    for (const [lng, lat] of ringPositions) {
      box[0] = Math.min(box[0], lng!);
      box[1] = Math.min(box[1], lat!);
      box[2] = Math.max(box[2], lng!);
      box[3] = Math.max(box[3], lat!);
    }
  }
  return box;
};

/** Validates a boundaries document and brings it to wgs84. Throws a readable error on a bad file. */
export function parseBoundaries(document: unknown, source: string): AreaBoundaries {
  const result = boundariesFileSchema.safeParse(document);
  if (!result.success) {
    const where = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new Error(`area boundaries in ${source} are not valid: ${where}`);
  }
  const crs = result.data.coordinateSystem;
  const features = result.data.features.map((feature): AreaBoundary => {
    let geometry = feature.geometry as Polygon | MultiPolygon;
    if (GCOORD_CRS[crs] !== gcoord.WGS84) {
      geometry = gcoord.transform(structuredClone(geometry), GCOORD_CRS[crs], gcoord.WGS84);
    }
    return { area: feature.properties.area, geometry, bbox: boundingBox(geometry) };
  });
  return { features, source };
}

/** The areas whose boundary holds `point` (boundary lines count as inside), each once. */
export function areasContaining(point: GeoPoint, boundaries: AreaBoundaries): AreaId[] {
  if (!Number.isFinite(point.lng) || !Number.isFinite(point.lat)) return [];
  const [lng, lat] = convertPoint(point, 'wgs84');
  const found = new Set<AreaId>();
  for (const feature of boundaries.features) {
    const [minLng, minLat, maxLng, maxLat] = feature.bbox;
    if (lng < minLng || lng > maxLng || lat < minLat || lat > maxLat) continue;
    if (booleanPointInPolygon([lng, lat], feature.geometry)) found.add(feature.area);
  }
  return [...found];
}
