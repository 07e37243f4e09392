/**
 * Builds the typed jurisdiction of 常熟市 from the statistical tables (data/*.tsv, compiled into
 * generated.ts so that a bundled function carries them) and the hand-kept rules in areas.ts,
 * following the mapping table of data/SOURCES.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type AreaBoundaries, parseBoundaries } from '../../domain/geo.js';
import type { Jurisdiction, PlaceConfidence, PlaceKind, PlaceName } from '../../domain/jurisdiction.js';
import type { AreaId, DistrictId } from '../../domain/model.js';
import { ConfigError, parseEnv } from '../env.js';
import {
  AMBIGUOUS_NAMES,
  AREAS,
  COMMON_WORD_SHORT_NAMES,
  DISTRICTS,
  EXTRA_UNIT_NAMES,
  FOREST_UNIT_2017,
  OUTSIDE_PLACES,
  PREFIXES,
  RESORT_SPLIT_UNIT,
  RESORT_UNIT_2017,
  UNIT_MAPPING,
  UNIT_SUCCESSOR_2017,
  type UnitMapping,
  VARIANT_SPELLINGS,
} from './areas.js';
import { FORMER_TOWNS, GAZETTEER_2020, VILLAGES_2017 } from './generated.js';
import type { TsvName, TsvTable } from './tsv.js';

const CITY_CODE = '320581';
/** Statistical placeholders ("虚拟社区") of the development zones: no place anyone names. */
const VIRTUAL_VILLAGE_CODE_SUFFIX = '498';
/** Aliases too generic to be sure of on their own. */
const GENERIC_AREA_ALIASES = new Set(['度假区', '经济开发区', '经济技术开发区', '经开区']);

type Records = Record<string, string>;

const records = (table: TsvTable): Records[] =>
  table.rows.map((row) =>
    Object.fromEntries(table.header.map((column, index) => [column, row[index] ?? ''])),
  );

const unitSuffix = (townCode: string): string => {
  if (!townCode.startsWith(CITY_CODE) || townCode.length !== 9)
    throw new Error(`unexpected town code ${townCode}`);
  return townCode.slice(CITY_CODE.length);
};

const mappingOf = (townCode: string): UnitMapping => {
  const mapping = UNIT_MAPPING[unitSuffix(townCode)];
  if (!mapping) throw new Error(`town code ${townCode} has no area mapping in areas.ts`);
  return mapping;
};

const districtOf = (area: AreaId | null): DistrictId | null =>
  area ? (AREAS.find((candidate) => candidate.id === area)?.district ?? null) : null;

const isAreaId = (value: string): value is AreaId => AREAS.some((area) => area.id === value);

const stopWords = new Set(COMMON_WORD_SHORT_NAMES);

/** 福山村委会 → 福山村委会, 福山村 (village); 花园浜社区居委会 → …社区居委会, …社区, …居委会 (community). */
function formalVillageNames(fullName: string, shortName: string): { name: string; kind: PlaceKind }[] {
  const names: { name: string; kind: PlaceKind }[] = [];
  const add = (name: string, kind: PlaceKind) => {
    if (name.length > 0 && !names.some((existing) => existing.name === name)) names.push({ name, kind });
  };
  if (fullName.endsWith('村委会') || fullName.endsWith('村民委员会')) {
    add(fullName, 'village');
    add(`${shortName}村`, 'village');
    add(`${shortName}村委会`, 'village');
  } else if (fullName.endsWith('居委会')) {
    add(fullName, 'community');
    add(`${shortName}社区`, 'community');
    add(`${shortName}居委会`, 'community');
  } else {
    add(fullName, 'community');
  }
  return names;
}

/** The suffix-less forms callers use: 花园浜, and 福山原种场 for 福山原种场生活社区. */
function shortVillageNames(shortName: string): string[] {
  const names = [shortName];
  for (const tail of ['生活区', '生活', '管理']) {
    if (shortName.endsWith(tail) && shortName.length - tail.length >= 2)
      names.push(shortName.slice(0, -tail.length));
  }
  return names.filter((name) => name.length >= 2 && !stopWords.has(name));
}

/** The village full name without its suffix, for the 2017 list which has no short-name column. */
function shortOf(fullName: string): string {
  for (const suffix of ['社区居委会', '村民委员会', '村委会', '居委会', '社区']) {
    if (fullName.endsWith(suffix)) return fullName.slice(0, -suffix.length);
  }
  return fullName;
}

export function buildJurisdiction(tables: Record<TsvName, TsvTable>): Jurisdiction {
  const places: PlaceName[] = [];
  const seen = new Set<string>();
  const add = (place: PlaceName) => {
    const key = [place.name, place.kind, place.area, place.unit].join('|');
    if (seen.has(key)) return;
    seen.add(key);
    places.push(place);
  };

  for (const area of AREAS) {
    for (const alias of area.aliases) {
      add({
        name: alias,
        kind: 'area',
        area: area.id,
        district: area.district,
        source: 'areas.ts',
        confidence: GENERIC_AREA_ALIASES.has(alias) ? 'medium' : 'high',
        unit: area.within ?? null,
        formal: !GENERIC_AREA_ALIASES.has(alias),
      });
    }
  }

  const villages2017 = records(tables.VILLAGES_2017);
  const namesIn2017Unit = (suffix: string) =>
    new Set(
      villages2017.filter((row) => unitSuffix(row.town_code!) === suffix).map((row) => row.village_name!),
    );
  const resortVillages = namesIn2017Unit(RESORT_UNIT_2017);
  const forestVillages = namesIn2017Unit(FOREST_UNIT_2017);

  const gazetteer = records(tables.GAZETTEER_2020);
  const names2020 = new Set<string>();
  const units2020 = new Set<string>();
  for (const row of gazetteer) {
    const townCode = row.town_code!;
    const townName = row.town_name!;
    const suffix = unitSuffix(townCode);
    const mapping = mappingOf(townCode);
    if (!units2020.has(townName)) {
      units2020.add(townName);
      add({
        name: townName,
        kind: townName.endsWith('镇') ? 'town' : 'street',
        area: mapping.area,
        district: mapping.district,
        source: `gazetteer-2020:${townCode}`,
        confidence: mapping.confidence,
        unit: townName,
        formal: true,
      });
    }
    const villageCode = row.village_code!;
    const fullName = row.village_name!;
    names2020.add(fullName);
    if (villageCode.endsWith(VIRTUAL_VILLAGE_CODE_SUFFIX)) continue;

    let area = mapping.area;
    let district = mapping.district;
    if (suffix === RESORT_SPLIT_UNIT && resortVillages.has(fullName)) {
      area = 'resort';
      district = districtOf('resort');
    } else if (suffix === RESORT_SPLIT_UNIT && forestVillages.has(fullName)) {
      area = null;
      district = UNIT_MAPPING[FOREST_UNIT_2017]!.district;
    }
    const base = {
      area,
      district,
      source: `gazetteer-2020:${villageCode}`,
      confidence: mapping.confidence,
      unit: townName,
    };
    for (const { name, kind } of formalVillageNames(fullName, row.short_name!))
      add({ ...base, name, kind, formal: true });
    const shortKind: PlaceKind = fullName.includes('村委会') ? 'village' : 'community';
    for (const name of shortVillageNames(row.short_name!))
      add({ ...base, name, kind: shortKind, formal: false });
  }

  for (const row of villages2017) {
    const townCode = row.town_code!;
    const townName = row.town_name!;
    const suffix = unitSuffix(townCode);
    const mapping = mappingOf(townCode);
    const unitToday = UNIT_SUCCESSOR_2017[suffix] ?? (units2020.has(townName) ? townName : null);
    if (!units2020.has(townName)) {
      add({
        name: townName,
        kind: UNIT_SUCCESSOR_2017[suffix] ? 'former_town' : 'street',
        area: mapping.area,
        district: mapping.district,
        source: `villages-2017:${townCode}`,
        confidence: mapping.confidence,
        unit: unitToday,
        formal: true,
      });
    }
    const fullName = row.village_name!;
    if (names2020.has(fullName) || row.village_code!.endsWith(VIRTUAL_VILLAGE_CODE_SUFFIX)) continue;
    const base = {
      area: mapping.area,
      district: mapping.district,
      source: `villages-2017:${row.village_code}`,
      confidence: 'medium' as const,
      unit: unitToday,
    };
    const short = shortOf(fullName);
    for (const { name, kind } of formalVillageNames(fullName, short))
      add({ ...base, name, kind, formal: true });
    for (const name of shortVillageNames(short)) {
      add({ ...base, name, kind: fullName.includes('村委会') ? 'village' : 'community', formal: false });
    }
  }

  for (const row of records(tables.FORMER_TOWNS)) {
    const seed = row.seed_area!;
    if (!isAreaId(seed)) throw new Error(`former town ${row.former_name} has unknown area ${seed}`);
    const confidence = row.confidence as PlaceConfidence;
    for (const name of [row.former_name!, `${row.former_name}镇`]) {
      add({
        name,
        kind: 'former_town',
        area: seed,
        district: districtOf(seed),
        source: 'former-towns',
        confidence,
        unit: row.today_in!,
        formal: true,
      });
    }
  }

  for (const extra of EXTRA_UNIT_NAMES) {
    const mapping = UNIT_MAPPING[extra.code]!;
    add({
      name: extra.name,
      kind: extra.kind,
      area: mapping.area,
      district: mapping.district,
      source: 'areas.ts',
      confidence: extra.confidence,
      unit: UNIT_SUCCESSOR_2017[extra.code] ?? null,
      formal: true,
    });
  }

  for (const ambiguous of AMBIGUOUS_NAMES) {
    for (const area of ambiguous.areas) {
      add({
        name: ambiguous.name,
        kind: 'area',
        area,
        district: districtOf(area),
        source: `areas.ts (ambiguous: ${ambiguous.note})`,
        confidence: 'low',
        unit: null,
        formal: false,
      });
    }
  }

  for (const [canonical, variant] of VARIANT_SPELLINGS) {
    for (const place of [...places]) {
      if (place.name.includes(canonical)) add({ ...place, name: place.name.replace(canonical, variant) });
    }
  }

  return { areas: AREAS, districts: DISTRICTS, places, outside: OUTSIDE_PLACES, prefixes: PREFIXES };
}

/** The jurisdiction with area boundaries for coordinate evidence (see boundariesFile). */
export const withBoundaries = (jurisdiction: Jurisdiction, boundaries: AreaBoundaries): Jurisdiction => ({
  ...jurisdiction,
  boundaries,
});

/** Reads and validates a GeoJSON boundaries file (see shared/domain/geo.ts for the format). */
export function loadBoundariesFile(path: string): AreaBoundaries {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `area boundaries file ${basename(path)} cannot be read as JSON: ${(error as Error).message}`,
    );
  }
  return parseBoundaries(document, basename(path));
}

const boundariesEnvSchema = z.object({ LANDLINE_AREA_BOUNDARIES: z.string().trim().min(1).optional() });

/**
 * Where a deployer's boundaries are: the file named by `LANDLINE_AREA_BOUNDARIES`, else
 * `boundaries.geojson` beside this module (beside the bundle, once bundled), else none.
 */
export function boundariesFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = parseEnv(boundariesEnvSchema, env).LANDLINE_AREA_BOUNDARIES;
  if (configured) return configured;
  try {
    const beside = fileURLToPath(new URL('./boundaries.geojson', import.meta.url));
    return existsSync(beside) ? beside : undefined;
  } catch {
    // A bundle format without a file URL for this module: only the variable can name the file.
    return undefined;
  }
}

let memo: Jurisdiction | undefined;

/** The jurisdiction compiled into this bundle plus any supplied boundaries, built once per process. */
export function getJurisdiction(): Jurisdiction {
  if (!memo) {
    const built = buildJurisdiction({ GAZETTEER_2020, VILLAGES_2017, FORMER_TOWNS });
    const file = boundariesFile();
    memo = file ? withBoundaries(built, loadBoundariesFile(file)) : built;
  }
  return memo;
}
