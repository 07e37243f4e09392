/**
 * The router's parts: the case store and rules, the assignment queues, and what it reports of
 * each routed tip.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.js';
import { sqsClient } from '../adapters/clients/sqs.js';
import { functionClock } from '../adapters/clock.js';
import { SqsAssignmentQueue } from '../adapters/sqs-assignment-queue.js';
import { parseEnv } from '../config/env.js';
import { type FollowUpMessage, isFollowUpMessage, parseFollowUpMessage } from '../domain/follow-ups.js';
import type { CanonicalTip } from '../domain/model.js';
import { parseTipMessage } from '../domain/tip-message.js';
import { countAmendmentUnapplied, countCaseCreated, logger } from '../observability.js';
import { applySourceFollowUp, type FollowUpOutcome } from '../usecases/apply-follow-up.js';
import { type RouteDeps, type RouteOutcome, routeIncomingTip } from '../usecases/route-tip.js';
import { caseWriterParts } from './case-writers.js';
import { routeEnvironment } from './environment.js';
import { mergingConfigFromEnv, mergingParts } from './merging.js';

export interface RouteFunction {
  /** Re-reads the operator-loaded holiday schedules (at most once a minute); run before each batch. */
  refreshCalendar(): Promise<unknown>;
  /** Makes or finds the case of one intake-queue message and hands its assignment over. */
  routeMessage(body: string): Promise<void>;
}

export function buildRouter(env: NodeJS.ProcessEnv = process.env): RouteFunction {
  const config = parseEnv(routeEnvironment, env);
  const { store, rules, calendar, calendarRefresher, budget } = caseWriterParts(config.TABLE_NAME, env);
  const merging = mergingParts(mergingConfigFromEnv(env), dynamoDocumentClient, config.TABLE_NAME, store);
  const deps: RouteDeps = {
    store,
    budget,
    queue: new SqsAssignmentQueue(sqsClient, config.ASSIGNMENT_QUEUE_URLS),
    clock: functionClock,
    rules: rules(),
    ...(merging ? { merging } : {}),
  };
  return {
    refreshCalendar: () => calendarRefresher.refresh(),
    async routeMessage(body) {
      // Follow-ups of the sources (contract 9) share the intake queue with the tips.
      const followUp = followUpIn(body);
      if (followUp) {
        reportFollowUp(followUp, await applySourceFollowUp(followUp, { ...deps, calendar }));
        return;
      }
      const tip = parseTipMessage(body);
      reportRouted(tip, await routeIncomingTip(tip, deps));
    },
  };
}

/** The follow-up in an intake-queue message, or undefined for anything else (a tip, or garbage). */
function followUpIn(body: string): FollowUpMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  return isFollowUpMessage(value) ? parseFollowUpMessage(value) : undefined;
}

function reportFollowUp(message: FollowUpMessage, result: FollowUpOutcome): void {
  logger.info(
    `${message.tipId} ${message.source} ${message.kind} → case ${result.record.caseNo} (${result.effect})`,
    {
      tipId: message.tipId,
      source: message.source,
      caseId: result.record.caseId,
      caseNo: result.record.caseNo,
      followUp: message.kind,
      effect: result.effect,
    },
  );
}

function reportRouted(tip: CanonicalTip, result: RouteOutcome): void {
  const { record: routed } = result;
  if (result.outcome === 'unapplied') {
    countAmendmentUnapplied();
    logger.warn(
      `${tip.tipId} amendment kept beside case ${routed.caseNo}: the case is at its size budget (${result.bytes} > ${result.maxBytes} bytes)`,
      {
        tipId: tip.tipId,
        source: tip.source,
        caseId: routed.caseId,
        caseNo: routed.caseNo,
        contentHash: tip.contentHash,
        bytes: result.bytes,
        maxBytes: result.maxBytes,
      },
    );
    return;
  }
  if (result.outcome === 'created') countCaseCreated(routed.area);
  logger.info(
    `${tip.tipId} ${tip.source} → ${routed.areaName ?? 'triage'} ${routed.district ?? '-'} case ${routed.caseNo}${
      result.outcome === 'created' ? '' : ` (${result.outcome})`
    }`,
    {
      tipId: tip.tipId,
      source: tip.source,
      caseId: routed.caseId,
      caseNo: routed.caseNo,
      area: routed.area,
      district: routed.district,
      outcome: result.outcome,
      routingMethod: routed.routing.method,
    },
  );
}
