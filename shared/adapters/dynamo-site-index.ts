/**
 * The duplicate index (并单) in the case table: one small item per (site key, case, tip), written in
 * the same transaction as the case or the tip it files (dynamo-case-store.ts), read by the router
 * with one query per key of the new tip's site. Never a scan. Keys in table-schema.ts.
 */
import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { SiteEntry } from '../domain/duplicate-sites.js';
import type { AreaId } from '../domain/model.js';
import type { SiteIndex } from '../ports/merging.js';

/** `SITE#<area>#<key>`: every tip filed under one village or grid cell of one area. */
export const sitePartition = (area: AreaId, key: string): string => `SITE#${area}#${key}`;

/** `<openedAt, UTC ISO>#<caseId>#<tipId>`: sorted by when the case was opened. */
export const siteSortKey = (entry: Pick<SiteEntry, 'openedAt' | 'caseId' | 'tipId'>): string =>
  `${new Date(entry.openedAt).toISOString()}#${entry.caseId}#${entry.tipId}`;

export const siteItemKey = (entry: SiteEntry) => ({
  pk: sitePartition(entry.area, entry.key),
  sk: siteSortKey(entry),
});

/** The item of one entry: the entry itself in `data`, as every item of the table keeps its record. */
export const siteItem = (entry: SiteEntry): Record<string, unknown> => ({
  ...siteItemKey(entry),
  type: 'site',
  data: entry,
});

export class DynamoSiteIndex implements SiteIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findSites(area: AreaId, keys: readonly string[], openedFrom: string): Promise<SiteEntry[]> {
    const from = new Date(openedFrom).toISOString();
    const perKey = await Promise.all(
      [...new Set(keys)].map(async (key) => {
        const entries: SiteEntry[] = [];
        const pages = paginateQuery(
          { client: this.client },
          {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk >= :from',
            ExpressionAttributeValues: { ':pk': sitePartition(area, key), ':from': from },
            ProjectionExpression: '#data',
            ExpressionAttributeNames: { '#data': 'data' },
          },
        );
        for await (const page of pages)
          for (const item of page.Items ?? []) entries.push(item.data as SiteEntry);
        return entries;
      }),
    );
    return perKey.flat();
  }
}
