/**
 * The duplicate matcher's configuration (并单, contract section 10: "thresholds are configuration")
 * and its parts over the case table, for the router (matching) and the case API (`split`, `merge`).
 * Parsed once, at cold start: a bad value fails the function before its first event.
 *
 * | variable                | meaning                                                         | default |
 * |-------------------------|-----------------------------------------------------------------|---------|
 * | `MERGE_DUPLICATES`      | `on`: tips about an open case's site join it; `off`: never      | on      |
 * | `MERGE_WINDOW_DAYS`     | a tip joins only a case opened at most this many days from it   | 60      |
 * | `MERGE_RADIUS_M`        | points this close are the same place (at most 160, the grid's)  | 150     |
 * | `MERGE_FAR_APART_M`     | points farther apart are never the same site                    | 1000    |
 * | `MERGE_SIMILARITY`      | wording similarity that makes two descriptions the same thing   | 0.5     |
 * | `MERGE_TIED_SIMILARITY` | the same, for tips of one 组 (or within the radius), same kind  | 0.2     |
 * | `MERGE_RECURRENCE_DAYS` | a case closed this recently is listed in `relatedCaseIds` (复发) | 365     |
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { DynamoCaseStore } from '../adapters/dynamo-case-store.js';
import { DynamoSiteIndex } from '../adapters/dynamo-site-index.js';
import { parseEnv } from '../config/env.js';
import { getJurisdiction } from '../config/jurisdiction/load.js';
import {
  DEFAULT_DUPLICATE_RULES,
  type DuplicateRules,
  MAX_RADIUS_METRES,
  placeFinderFor,
  siteFeatures,
} from '../domain/duplicates.js';
import type { AreaId, CanonicalTip } from '../domain/model.js';
import type { MergingDeps } from '../usecases/merge-tip.js';

const defaults = DEFAULT_DUPLICATE_RULES;
const mergingEnvironment = z.object({
  MERGE_DUPLICATES: z.enum(['on', 'off']).default('on'),
  MERGE_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(defaults.windowDays),
  MERGE_RADIUS_M: z.coerce.number().min(1).max(MAX_RADIUS_METRES).default(defaults.radiusMetres),
  MERGE_FAR_APART_M: z.coerce.number().min(200).max(20_000).default(defaults.farApartMetres),
  MERGE_SIMILARITY: z.coerce.number().min(0.1).max(1).default(defaults.similarity),
  MERGE_TIED_SIMILARITY: z.coerce.number().min(0).max(1).default(defaults.tiedSimilarity),
  MERGE_RECURRENCE_DAYS: z.coerce.number().int().min(1).max(3650).default(defaults.recurrenceDays),
});

export interface MergingConfig {
  enabled: boolean;
  rules: DuplicateRules;
}

export function mergingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MergingConfig {
  const config = parseEnv(mergingEnvironment, env);
  return {
    enabled: config.MERGE_DUPLICATES === 'on',
    rules: {
      ...defaults,
      windowDays: config.MERGE_WINDOW_DAYS,
      radiusMetres: config.MERGE_RADIUS_M,
      farApartMetres: config.MERGE_FAR_APART_M,
      similarity: config.MERGE_SIMILARITY,
      tiedSimilarity: config.MERGE_TIED_SIMILARITY,
      recurrenceDays: config.MERGE_RECURRENCE_DAYS,
    },
  };
}

/** A tip's site features over the bundle's jurisdiction (its name automaton built on first use). */
export function tipSiteFeatures(tip: CanonicalTip, area: AreaId) {
  return siteFeatures(
    {
      ...(tip.title ? { title: tip.title } : {}),
      description: tip.description,
      location: tip.location,
      ...(tip.details.subject ? { subject: tip.details.subject } : {}),
    },
    area,
    placeFinderFor(getJurisdiction()),
  );
}

/** The matcher's parts over the case table, or undefined when merging is off. */
export function mergingParts(
  config: MergingConfig,
  client: DynamoDBDocumentClient,
  tableName: string,
  store: DynamoCaseStore,
): MergingDeps | undefined {
  if (!config.enabled) return undefined;
  return {
    index: new DynamoSiteIndex(client, tableName),
    writes: store,
    rules: config.rules,
    features: tipSiteFeatures,
  };
}
