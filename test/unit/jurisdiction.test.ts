import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AREAS, DISTRICTS } from '../../shared/config/jurisdiction/areas.js';
import { readTsvTables } from '../../shared/config/jurisdiction/generate.js';
import {
  FORMER_TOWNS,
  GAZETTEER_2020,
  NEIGHBOURS,
  VILLAGES_2017,
} from '../../shared/config/jurisdiction/generated.js';
import {
  boundariesFile,
  buildJurisdiction,
  getJurisdiction,
  loadBoundariesFile,
} from '../../shared/config/jurisdiction/load.js';
import { neighbourPlaces } from '../../shared/config/jurisdiction/neighbours.js';
import {
  GENERATED_TSV_FILES,
  parseTsv,
  renderGeneratedModule,
  TSV_FILES,
} from '../../shared/config/jurisdiction/tsv.js';
import { GENERIC_ZONE_WORDS } from '../../shared/domain/jurisdiction.js';
import { AREA_IDS, DISTRICT_IDS } from '../../shared/domain/model.js';

const placesNamed = (name: string) => getJurisdiction().places.filter((place) => place.name === name);

describe('generated.ts', () => {
  it('holds exactly the rows of the TSV files (run generate.ts after editing a TSV)', () => {
    expect({ GAZETTEER_2020, VILLAGES_2017, FORMER_TOWNS, NEIGHBOURS }).toEqual(readTsvTables());
    expect(Object.keys(TSV_FILES).sort()).toEqual(['FORMER_TOWNS', 'GAZETTEER_2020', 'VILLAGES_2017']);
    expect(Object.keys(GENERATED_TSV_FILES).sort()).toEqual([
      'FORMER_TOWNS',
      'GAZETTEER_2020',
      'NEIGHBOURS',
      'VILLAGES_2017',
    ]);
  });

  it('keeps every data row of the source files', () => {
    expect(GAZETTEER_2020.rows).toHaveLength(350);
    expect(VILLAGES_2017.rows).toHaveLength(342);
    expect(FORMER_TOWNS.rows).toHaveLength(26);
    expect(NEIGHBOURS.rows).toHaveLength(78);
  });

  it('renders a module the generator can re-read', () => {
    const source = renderGeneratedModule(readTsvTables());
    expect(source).toContain('export const GAZETTEER_2020: TsvTable = {');
    expect(source).toContain("'沙家浜镇'");
  });
});

describe('parseTsv', () => {
  it('keeps the header and rejects ragged rows', () => {
    expect(parseTsv('a\tb\n1\t2\n')).toEqual({ header: ['a', 'b'], rows: [['1', '2']] });
    expect(() => parseTsv('a\tb\n1\n')).toThrow(/row 2/);
  });
});

describe('areas and districts', () => {
  it('configures the 12 areas and 5 districts of the contract', () => {
    expect(AREAS.map((area) => area.id).sort()).toEqual([...AREA_IDS].sort());
    expect(DISTRICTS.map((district) => district.id)).toEqual([...DISTRICT_IDS]);
    expect(AREAS.find((area) => area.id === 'shajiabang')).toMatchObject({
      name: '沙家浜镇',
      district: 'district-1',
    });
  });

  it('gives every area its patrol-rule names', () => {
    const aliases = (id: string) => AREAS.find((area) => area.id === id)!.aliases;
    expect(aliases('bixi')).toEqual(expect.arrayContaining(['碧溪新区', '经济开发区', '常熟经济技术开发区']));
    expect(aliases('dongnan')).toEqual(expect.arrayContaining(['东南开发区', '东南街道']));
    expect(aliases('resort')).toEqual(expect.arrayContaining(['虞山尚湖旅游度假区', '度假区', '尚湖度假区']));
    expect(aliases('yushan')).toEqual(
      expect.arrayContaining(['虞山镇', '虞山街道', '常福街道', '琴川街道', '莫城街道']),
    );
  });
});

describe('buildJurisdiction', () => {
  it('is memoized', () => {
    expect(getJurisdiction()).toBe(getJurisdiction());
  });

  it('gives the 12 units of the former 度假区 to the resort, the rest of 虞山街道 to yushan', () => {
    const resortUnits = getJurisdiction().places.filter(
      (place) => place.area === 'resort' && place.source.startsWith('gazetteer-2020') && place.formal,
    );
    expect(new Set(resortUnits.map((place) => place.source)).size).toBe(12);
    expect(placesNamed('山前社区')).toEqual([
      expect.objectContaining({ area: 'resort', district: 'district-4' }),
    ]);
    expect(placesNamed('宝岩村')).toEqual([expect.objectContaining({ area: 'resort' })]);
    expect(placesNamed('花园浜社区')).toEqual([
      expect.objectContaining({ area: 'yushan', unit: '虞山街道' }),
    ]);
  });

  it('leaves the 虞山林场 units in district-4 without an area', () => {
    for (const name of ['虞山林场', '虞山林场兴福管理社区', '虞山林场三峰', '虞山林场宝岩管理社区']) {
      expect(placesNamed(name), name).toEqual([
        expect.objectContaining({ area: null, district: 'district-4' }),
      ]);
    }
  });

  it('maps the streets and development zones as the data README says', () => {
    expect(placesNamed('李袁村')).toEqual([expect.objectContaining({ area: 'bixi', kind: 'village' })]);
    expect(placesNamed('常福街道')).toContainEqual(
      expect.objectContaining({ area: 'yushan', kind: 'street' }),
    );
    expect(placesNamed('东南街道')).toContainEqual(
      expect.objectContaining({ area: 'dongnan', kind: 'street', confidence: 'medium' }),
    );
    expect(placesNamed('常熟经济技术开发区')).toContainEqual(
      expect.objectContaining({ area: 'bixi', kind: 'street' }),
    );
    for (const name of ['常熟高新技术产业开发区', '常熟昆承湖管理委员会', '常熟国家大学科技园']) {
      expect(placesNamed(name), name).toEqual([expect.objectContaining({ area: null, district: null })]);
    }
    expect(placesNamed('沙家浜镇')).toContainEqual(
      expect.objectContaining({ area: 'shajiabang', kind: 'town' }),
    );
  });

  it('lists villages with their suffix and by short name, except short names that are common words', () => {
    expect(placesNamed('福山村')).toEqual([
      expect.objectContaining({ area: 'haiyu', kind: 'village', formal: true }),
    ]);
    expect(placesNamed('福山村委会')).toHaveLength(1);
    expect(placesNamed('唐市社区')).toEqual([
      expect.objectContaining({ kind: 'community', area: 'shajiabang' }),
    ]);
    expect(placesNamed('李袁')).toEqual([expect.objectContaining({ area: 'bixi', formal: false })]);
    expect(placesNamed('新建村')).toHaveLength(1);
    expect(placesNamed('新建')).toHaveLength(0);
    expect(placesNamed('常熟经济技术开发区虚拟社区')).toHaveLength(0);
  });

  it('adds former towns, bare and with 镇, and spelling variants', () => {
    expect(placesNamed('唐市镇')).toEqual([
      expect.objectContaining({ kind: 'former_town', area: 'shajiabang' }),
    ]);
    expect(placesNamed('淼泉')).toContainEqual(
      expect.objectContaining({ kind: 'former_town', area: 'guli' }),
    );
    expect(placesNamed('坞坵村')).toEqual([expect.objectContaining({ area: 'guli' })]);
    expect(placesNamed('苏峰村')).toEqual([expect.objectContaining({ area: 'dongnan' })]);
  });

  it('fails loudly on a town code without a mapping', () => {
    const tables = readTsvTables();
    const broken = {
      ...tables,
      GAZETTEER_2020: {
        ...tables.GAZETTEER_2020,
        rows: [['320581999', '新镇', '320581999001', '甲村委会', '甲', '']],
      },
    };
    expect(() => buildJurisdiction(broken)).toThrow(/320581999/);
  });
});

describe('places outside the city', () => {
  const outside = getJurisdiction().outside;
  const outsideNamed = (name: string) => outside.filter((place) => place.name === name);

  it('lists every town, subdistrict and zone of neighbours.tsv with its code and confidence', () => {
    for (const [, code, name] of NEIGHBOURS.rows) {
      if (GENERIC_ZONE_WORDS.has(name!)) continue;
      expect(outsideNamed(name!), name).toContainEqual(
        expect.objectContaining({ source: code ? `neighbours:${code}` : `neighbours:${name}` }),
      );
    }
    expect(outsideNamed('黄桥街道')).toEqual([
      {
        name: '黄桥街道',
        note: '苏州市相城区的街道，区划代码320507003',
        source: 'neighbours:320507003',
        confidence: 'high',
      },
    ]);
    expect(outsideNamed('娄东街道')).toEqual([expect.objectContaining({ confidence: 'medium' })]);
  });

  it('lists a zone named by a generic word only in forms that name its county', () => {
    expect(outsideNamed('开发区')).toEqual([]);
    expect(outsideNamed('经济开发区')).toEqual([]);
    expect(outsideNamed('昆山开发区')).toEqual([
      expect.objectContaining({ source: 'neighbours:320583400', note: '昆山市的功能区，区划代码320583400' }),
    ]);
    expect(outsideNamed('昆山市开发区')).toHaveLength(1);
    expect(outsideNamed('太仓经济开发区')).toEqual([
      expect.objectContaining({ source: 'neighbours:320585400' }),
    ]);
  });

  it('never lists a generic zone word: 工业园区 alone is not 苏州工业园区', () => {
    expect(outside.filter((place) => GENERIC_ZONE_WORDS.has(place.name))).toEqual([]);
    expect(outsideNamed('苏州工业园区')).not.toEqual([]);
  });

  it('lists a name two neighbours share once per neighbour (周庄镇 of 昆山 and of 江阴)', () => {
    expect(outsideNamed('周庄镇').map((place) => place.source)).toEqual([
      'neighbours:320583107',
      'neighbours:320281108',
    ]);
  });

  it('shares no name with a place of 常熟市 (塘桥镇 is outside, 塘桥村 and bare 塘桥 are in 梅李)', () => {
    const cityNames = new Set(getJurisdiction().places.map((place) => place.name));
    expect(outside.filter((place) => cityNames.has(place.name)).map((place) => place.name)).toEqual([]);
    expect(placesNamed('塘桥')).toEqual([expect.objectContaining({ area: 'meili' })]);
    expect(outsideNamed('塘桥镇')).toHaveLength(1);
  });

  it('gives every outside name its source', () => {
    expect(outside.filter((place) => !place.source)).toEqual([]);
  });

  it('refuses a row it cannot read', () => {
    const header = ['county', 'code', 'name', 'source', 'confidence'];
    expect(() => neighbourPlaces({ header, rows: [['相城区', '', '甲镇', 'x', 'high']] })).toThrow(
      /unreadable county/,
    );
    expect(() =>
      neighbourPlaces({ header, rows: [['320507 相城区 (苏州市)', '', '甲镇', 'x', 'sure']] }),
    ).toThrow(/unknown confidence/);
  });
});

describe('area boundaries supplied by a deployer', () => {
  it('ships none, so coordinates add nothing by default', () => {
    expect(getJurisdiction().boundaries).toBeUndefined();
    expect(boundariesFile({})).toBeUndefined();
  });

  it('reads the file LANDLINE_AREA_BOUNDARIES names and validates it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'landline-boundaries-'));
    const file = join(dir, 'areas.geojson');
    const ring = [
      [120, 31],
      [121, 31],
      [121, 32],
      [120, 32],
      [120, 31],
    ];
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { area: 'guli' },
            geometry: { type: 'Polygon', coordinates: [ring] },
          },
        ],
      }),
    );
    expect(boundariesFile({ LANDLINE_AREA_BOUNDARIES: file })).toBe(file);
    const boundaries = loadBoundariesFile(file);
    expect(boundaries).toMatchObject({
      source: 'areas.geojson',
      features: [{ area: 'guli', bbox: [120, 31, 121, 32] }],
    });
    writeFileSync(
      file,
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"area":"nowhere"}}]}',
    );
    expect(() => loadBoundariesFile(file)).toThrow(/areas\.geojson/);
    writeFileSync(file, 'not json');
    expect(() => loadBoundariesFile(file)).toThrow(/cannot be read as JSON/);
    rmSync(dir, { recursive: true, force: true });
  });
});
