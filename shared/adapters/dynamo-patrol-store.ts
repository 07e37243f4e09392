/**
 * PLACEHOLDER — the patrols branch (issue 11 part A) replaces this file with the real DynamoDB
 * patrol store (same name, same constructor). It exists only so that the reports composition
 * compiles and runs on this branch: it holds no patrols, so every report counts none.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PatrolRecord } from '../domain/patrol.js';
import type { PatrolFilter, PatrolPage, PatrolReader } from '../ports/patrols.js';

export class DynamoPatrolStore implements PatrolReader {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async getPatrol(_patrolId: string): Promise<PatrolRecord | undefined> {
    return undefined;
  }

  async listPatrols(_filter: PatrolFilter, _limit: number, _cursor?: string): Promise<PatrolPage> {
    return { items: [], cursor: null };
  }

  async allPatrols(_filter: PatrolFilter): Promise<PatrolRecord[]> {
    return [];
  }
}
