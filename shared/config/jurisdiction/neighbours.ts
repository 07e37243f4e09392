/**
 * The towns, subdistricts and zones of the county-level units around 常熟 (data/neighbours.tsv, the
 * 2020 division codes; sources in data/SOURCES.md) as places outside the city. A row named by a
 * generic zone word (昆山's 开发区, 太仓's 经济开发区) is listed only in the forms that name its county
 * (昆山开发区, 昆山市开发区); every other row by its own name (塘桥镇, 黄桥街道 …).
 */
import { GENERIC_ZONE_WORDS, type OutsidePlace, type PlaceConfidence } from '../../domain/jurisdiction.js';
import type { TsvTable } from './tsv.js';

const CONFIDENCES: readonly PlaceConfidence[] = ['high', 'medium', 'low'];

interface County {
  code: string;
  /** 相城区, 张家港市 … as the division codes write it. */
  name: string;
  /** The city it belongs to, when the county column names one: 苏州市 for 相城区. */
  city: string | null;
}

/** `320507 相城区 (苏州市)` → code, name and city. */
function parseCounty(cell: string): County {
  const match = /^(\d{6}) (\S+?)(?: \((\S+)\))?$/.exec(cell);
  if (!match) throw new Error(`neighbours.tsv: unreadable county "${cell}"`);
  return { code: match[1]!, name: match[2]!, city: match[3] ?? null };
}

/** The county as callers say it: 相城 for 相城区, 张家港 for 张家港市. */
const shortCounty = (county: County): string => county.name.replace(/[市区县]$/, '');

const kindOf = (name: string): string =>
  name.endsWith('镇') ? '镇' : name.endsWith('街道') ? '街道' : '功能区';

export function neighbourPlaces(table: TsvTable): OutsidePlace[] {
  const column = (name: string) => {
    const index = table.header.indexOf(name);
    if (index < 0) throw new Error(`neighbours.tsv has no column ${name}`);
    return index;
  };
  const [countyAt, codeAt, nameAt, confidenceAt] = ['county', 'code', 'name', 'confidence'].map(column);
  const places: OutsidePlace[] = [];
  for (const row of table.rows) {
    const county = parseCounty(row[countyAt!]!);
    const code = row[codeAt!]!;
    const name = row[nameAt!]!;
    const confidence = row[confidenceAt!] as PlaceConfidence;
    if (!CONFIDENCES.includes(confidence)) {
      throw new Error(`neighbours.tsv: ${name} has unknown confidence "${confidence}"`);
    }
    const codeClause = code ? `，区划代码${code}` : '';
    const note =
      name === county.name
        ? `与常熟市相邻的县级行政区${codeClause}`
        : `${county.city ?? ''}${county.name}的${kindOf(name)}${codeClause}`;
    const source = code ? `neighbours:${code}` : `neighbours:${name}`;
    const names = GENERIC_ZONE_WORDS.has(name)
      ? [`${shortCounty(county)}${name}`, `${county.name}${name}`]
      : [name];
    for (const listed of names) places.push({ name: listed, note, source, confidence });
  }
  return places;
}
