/**
 * Regenerates generated.ts from the TSV files in data/, so that bundled Lambda code carries the
 * jurisdiction without reading sibling files. Run: `npx tsx shared/config/jurisdiction/generate.ts`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  GENERATED_TSV_FILES,
  type GeneratedTsvName,
  parseTsv,
  renderGeneratedModule,
  type TsvTable,
} from './tsv.js';

export const DATA_DIR_URL = new URL('./data/', import.meta.url);
export const GENERATED_URL = new URL('./generated.ts', import.meta.url);

export function readTsvTables(dataDir: URL = DATA_DIR_URL): Record<GeneratedTsvName, TsvTable> {
  const read = (file: string) => parseTsv(readFileSync(new URL(file, dataDir), 'utf8'));
  return {
    GAZETTEER_2020: read(GENERATED_TSV_FILES.GAZETTEER_2020),
    VILLAGES_2017: read(GENERATED_TSV_FILES.VILLAGES_2017),
    FORMER_TOWNS: read(GENERATED_TSV_FILES.FORMER_TOWNS),
    NEIGHBOURS: read(GENERATED_TSV_FILES.NEIGHBOURS),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED_URL, renderGeneratedModule(readTsvTables()));
  // Long rows are wrapped by the project's formatter; running it keeps `biome check` clean.
  spawnSync('npx', ['biome', 'format', '--write', fileURLToPath(GENERATED_URL)], { stdio: 'inherit' });
  console.log(`wrote ${fileURLToPath(GENERATED_URL)}`);
}
