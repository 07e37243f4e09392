/** Village and community names (the 2020 gazetteer the router uses) to suggest as patrol places. */
import raw from '../../shared/config/jurisdiction/data/changshu_gazetteer_2020.tsv?raw';
import { AREA_DISTRICTS, DISTRICT_NAMES } from './labels.js';

const rows = raw
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .filter((cells) => cells.length >= 6)
  .map((cells) => ({ town: cells[1]!, name: cells[4]!, district: cells[5]!.trim() }));

/** The places of the area's district, those of a town of the same name first. */
export function placesNear(area: string, areaName: string): string[] {
  const district = DISTRICT_NAMES[AREA_DISTRICTS[area as keyof typeof AREA_DISTRICTS]];
  const near = rows.filter((row) => row.district === district);
  const own = near.filter((row) => row.town === areaName).map((row) => row.name);
  const rest = near.filter((row) => row.town !== areaName).map((row) => row.name);
  return [...new Set([...own, ...rest])];
}
