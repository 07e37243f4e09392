/**
 * A patrol's finding as a case (contract section 7): in the patrol's area, of source `patrol` with
 * the patrol's id and no tips, already acknowledged and inspected with a confirmed violation, so
 * its `stop` deadline runs from the patrol's end (met at once when the patrol stopped it on site)
 * and its `close` deadline from the same instant. Severity, partners and the violation type follow
 * the rules tips follow. Pure: the calendar and the policy are given.
 */
import type { WorkingCalendar } from './calendar.js';
import { type DeadlinePolicy, initialDeadlines, stopDeadline } from './deadlines.js';
import { contentHash, deriveCaseId, deriveFindingAnchorId } from './ids.js';
import { AREA_NAMES, principalName } from './labels.js';
import {
  type Actor,
  AREA_DISTRICT,
  type AreaId,
  type CaseEvent,
  type CaseRecord,
  type Deadline,
  type TipRecord,
} from './model.js';
import { PATROL_KIND_LABELS, type PatrolKind } from './patrol.js';
import type { PatrolFindingInput } from './patrol-input.js';
import { assessSeverity, choosePartners, resolveViolationType } from './severity.js';

/** What a finding's case takes from its patrol. */
export interface FindingPatrol {
  patrolId: string;
  kind: PatrolKind;
  area: AreaId;
  endedAt: string;
  /** The principal that recorded the patrol; it also signs the case's first events. */
  recordedBy: string;
  actor?: Actor;
}

export interface FindingCase {
  /** The case's idempotency anchor (`fnd_…`): written with the case, so a retry finds it. */
  anchor: TipRecord;
  /** The case but for its number, which the store gives it as it writes it. */
  draft: Omit<CaseRecord, 'caseNo'>;
}

export function findingCase(
  patrol: FindingPatrol,
  finding: PatrolFindingInput,
  index: number,
  options: { calendar: WorkingCalendar; policy: DeadlinePolicy; now: Date },
): FindingCase {
  const anchorId = deriveFindingAnchorId(patrol.patrolId, index);
  const caseId = deriveCaseId(anchorId);
  const { endedAt, area } = patrol;
  const now = options.now.toISOString();
  const text = { description: [finding.description, finding.address].filter(Boolean).join('\n') };
  const { severity, reasons } = assessSeverity({ urgency: 'normal', ...text });
  const partners = choosePartners(text, severity);
  const violationType = resolveViolationType(finding.violationType, text.description).violationType;

  const stop: Deadline = stopDeadline(endedAt, severity, options.calendar, options.policy);
  const close = initialDeadlines({ receivedAt: endedAt, severity }, options.calendar, options.policy).find(
    (deadline) => deadline.kind === 'close',
  )!;
  const kindLabel = PATROL_KIND_LABELS[patrol.kind];
  const by = patrol.recordedBy;
  const signed = (event: CaseEvent): CaseEvent => ({
    ...event,
    ...(patrol.actor ? { actor: patrol.actor } : {}),
    patrolId: patrol.patrolId,
  });
  // The patrol's own facts, at the instant it ended: found, on site (签收 and 现场核查 in one), and
  // stopped when it was.
  const events: CaseEvent[] = [
    {
      type: 'created',
      at: endedAt,
      by,
      note: `${kindLabel}发现（第${index + 1}项），${principalName(by)}录入`,
      patrolId: patrol.patrolId,
      finding: index + 1,
      recordedAt: now,
    },
    signed({ type: 'acknowledge', at: endedAt, by, note: '巡查现场发现，视同签收' }),
    signed({
      type: 'inspect',
      at: endedAt,
      by,
      finding: 'violation_confirmed',
      note: '巡查现场核查，确认存在违法行为',
    }),
  ];
  if (finding.stopped)
    events.push(
      signed({ type: 'stop', at: endedAt, by, result: 'stopped', note: finding.measures ?? '巡查现场制止' }),
    );

  const areaName = AREA_NAMES[area];
  const district = AREA_DISTRICT[area];
  const draft: Omit<CaseRecord, 'caseNo'> = {
    caseId,
    status: finding.stopped ? 'stopping' : 'inspected',
    area,
    areaName,
    district,
    bureau: `bureau:${area}`,
    routing: {
      area,
      district,
      method: 'patrol',
      matched: areaName,
      matchedNames: [],
      confidence: 1,
      explanation: `${kindLabel}发现，属地为巡查区域${areaName}。`,
    },
    title: `${kindLabel}发现`,
    description: finding.description,
    location: { ...(finding.address ? { address: finding.address } : {}), town: areaName },
    violationType,
    severity,
    severityReasons: reasons,
    partners: partners.partners,
    partnerReasons: partners.reasons,
    deadlines: [finding.stopped ? { ...stop, metAt: endedAt } : stop, close],
    tips: [],
    reporter: { anonymous: true },
    reporterTipId: anchorId,
    events,
    source: 'patrol',
    patrolId: patrol.patrolId,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const anchor: TipRecord = {
    tipId: anchorId,
    source: 'patrol',
    externalId: `${patrol.patrolId}#${index + 1}`,
    caseId,
    status: 'routed',
    receivedAt: endedAt,
    contentHashes: [contentHash(finding)],
  };
  return { anchor, draft };
}

/** The finding's own fields as the stored patrol keeps them (its case added by the caller). */
export function storedFinding(finding: PatrolFindingInput) {
  return {
    description: finding.description,
    ...(finding.address ? { address: finding.address } : {}),
    ...(finding.party ? { party: finding.party } : {}),
    ...(finding.measures ? { measures: finding.measures } : {}),
    stopped: finding.stopped,
    ...(finding.photos ? { photos: finding.photos } : {}),
  };
}
