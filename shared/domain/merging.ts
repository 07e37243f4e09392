/**
 * What joining a case does to it (并单, contract section 10). Pure: the case as it was, the tip that
 * joins it (or the tips of a case merged into it) and what the case rules made of that tip; out
 * comes the case as it is to be stored. The case lists the tip and gains a `tip_merged` event that
 * carries the tip's content (so a later `split` can route it as new) and, where the tip makes the
 * case graver, its severity, partners and deadlines follow as for a new case of that tip: a
 * deadline only ever moves earlier, never later.
 */
import type { Classification } from './case-rules.js';
import type {
  Attachment,
  CanonicalTip,
  CaseEvent,
  CaseRecord,
  Deadline,
  PartnerDepartment,
  Severity,
  Source,
  TipLocation,
  ViolationType,
} from './model.js';

/** What a merged tip said, kept in its `tip_merged` event (never the reporter: that stays sealed). */
export interface MergedTipContent {
  receivedAt: string;
  title?: string;
  description: string;
  location: TipLocation;
  urgency: 'normal' | 'urgent';
  sourceDeadline?: string;
  violationType?: ViolationType;
  attachments: Attachment[];
  /** The 12336 `subject` and the like: what the duplicate matcher reads besides the text. */
  details?: Record<string, string>;
}

export interface JoiningTip {
  tipId: string;
  source: Source;
  externalId: string;
  content: MergedTipContent;
}

export function contentOf(tip: CanonicalTip): MergedTipContent {
  return {
    receivedAt: tip.receivedAt,
    ...(tip.title ? { title: tip.title } : {}),
    description: tip.description,
    location: tip.location,
    urgency: tip.urgency,
    ...(tip.sourceDeadline ? { sourceDeadline: tip.sourceDeadline } : {}),
    ...(tip.violationType ? { violationType: tip.violationType } : {}),
    attachments: tip.attachments,
    ...(Object.keys(tip.details).length > 0 ? { details: tip.details } : {}),
  };
}

/** A tip rebuilt from its kept content (a `split` routes it as new); its reporter comes from its anchor. */
export function tipFromContent(
  tip: Omit<JoiningTip, 'content'>,
  content: MergedTipContent,
  reporter: CanonicalTip['reporter'],
): CanonicalTip {
  return {
    tipId: tip.tipId,
    source: tip.source,
    externalId: tip.externalId,
    receivedAt: content.receivedAt,
    acceptedAt: new Date(content.receivedAt).toISOString(),
    ...(content.title ? { title: content.title } : {}),
    description: content.description,
    ...(content.violationType ? { violationType: content.violationType } : {}),
    urgency: content.urgency,
    location: content.location,
    ...(content.sourceDeadline ? { sourceDeadline: content.sourceDeadline } : {}),
    details: content.details ?? {},
    attachments: content.attachments,
    reporter,
    contentHash: '',
  };
}

/**
 * The content of each tip of a case: the tip that opened it from the case itself, every other one
 * from its `tip_merged` event (events given in full, not summarized).
 */
export function tipContents(record: CaseRecord): Map<string, MergedTipContent> {
  const contents = new Map<string, MergedTipContent>();
  for (const event of record.events) {
    if (event.type === 'tip_merged' && typeof event.tipId === 'string' && isContent(event.content))
      contents.set(event.tipId, event.content);
  }
  const opening = record.tips.find((tip) => tip.tipId === record.reporterTipId) ?? record.tips[0];
  if (opening && !contents.has(opening.tipId)) {
    const close = record.deadlines.find((deadline) => deadline.kind === 'close');
    contents.set(opening.tipId, {
      receivedAt: opening.receivedAt,
      ...(record.title ? { title: record.title } : {}),
      description: record.description,
      location: record.location,
      urgency: record.severityReasons.some((reason) => /urgent|紧急/.test(reason)) ? 'urgent' : 'normal',
      ...(close?.sourceDueAt ? { sourceDeadline: close.sourceDueAt } : {}),
      violationType: record.violationType,
      attachments: [],
    });
  }
  return contents;
}

const isContent = (value: unknown): value is MergedTipContent =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as MergedTipContent).description === 'string' &&
  typeof (value as MergedTipContent).receivedAt === 'string';

export interface Absorption {
  record: CaseRecord;
  becameMajor: boolean;
  /** Partner departments the case did not have before. */
  newPartners: PartnerDepartment[];
  /** Deadlines the tip moved earlier. */
  tightened: Deadline[];
}

export interface AbsorbInput {
  tip: JoiningTip;
  /** What the case rules made of the tip on its own. */
  classification: Classification;
  /** The tip's own acknowledge, inspect and close deadlines at `severity` (the case's after joining). */
  freshDeadlines(severity: Severity): Deadline[];
  /** A stop or notify-town deadline counted again from where it was counted, at `severity`. */
  recount(deadline: Deadline, severity: Severity): Deadline | undefined;
  /** Why the tip joins, in Chinese, and how similar it is. */
  reason: string;
  similarity?: number;
  at: string;
  by: string;
  /** Anything else the event should carry (the case the tip came from, the brigade's note…). */
  extra?: Record<string, unknown>;
}

const openDeadline = (deadline: Deadline) => !deadline.metAt && !deadline.breachedAt;

/** The case once `input.tip` joined it. Version and updatedAt are the caller's (one write, one bump). */
export function absorbTip(record: CaseRecord, input: AbsorbInput): Absorption {
  const { classification } = input;
  const severity: Severity =
    record.severity === 'major' || classification.severity === 'major' ? 'major' : 'normal';
  const becameMajor = severity === 'major' && record.severity !== 'major';
  const fresh = new Map(input.freshDeadlines(severity).map((deadline) => [deadline.kind, deadline]));
  const tightened: Deadline[] = [];
  const deadlines = record.deadlines.map((deadline) => {
    if (!openDeadline(deadline) || record.status === 'closed') return deadline;
    const candidate =
      fresh.get(deadline.kind) ??
      (becameMajor && (deadline.kind === 'stop' || deadline.kind === 'notify_town')
        ? input.recount(deadline, severity)
        : undefined);
    if (!candidate || Date.parse(candidate.dueAt) >= Date.parse(deadline.dueAt)) return deadline;
    // Moved earlier: its reminder is due again before the new instant.
    const { remindedAt: _remindedAt, ...rest } = candidate;
    const moved: Deadline = { ...rest, kind: deadline.kind, metAt: null, breachedAt: null };
    tightened.push(moved);
    return moved;
  });
  const newPartners = classification.partners.filter((partner) => !record.partners.includes(partner));
  const partnerReasons = { ...record.partnerReasons };
  for (const partner of newPartners) {
    const why = classification.partnerReasons[partner];
    if (why) partnerReasons[partner] = why;
  }
  const severityReasons =
    classification.severity === 'major'
      ? [...new Set([...record.severityReasons, ...classification.severityReasons])]
      : record.severityReasons;
  const event: CaseEvent = {
    type: 'tip_merged',
    at: input.at,
    by: input.by,
    tipId: input.tip.tipId,
    source: input.tip.source,
    externalId: input.tip.externalId,
    reason: input.reason,
    ...(input.similarity !== undefined ? { similarity: input.similarity } : {}),
    ...(becameMajor ? { severity: 'major' } : {}),
    ...(newPartners.length > 0 ? { partnersAdded: newPartners } : {}),
    ...(tightened.length > 0 ? { deadlinesMoved: tightened.map((deadline) => deadline.kind) } : {}),
    ...input.extra,
    content: input.tip.content,
  };
  return {
    becameMajor,
    newPartners,
    tightened,
    record: {
      ...record,
      severity,
      severityReasons,
      partners: [...record.partners, ...newPartners],
      partnerReasons,
      violationType:
        record.violationType === 'other' && classification.violationType !== 'other'
          ? classification.violationType
          : record.violationType,
      deadlines,
      tips: [
        ...record.tips,
        {
          tipId: input.tip.tipId,
          source: input.tip.source,
          externalId: input.tip.externalId,
          receivedAt: input.tip.content.receivedAt,
        },
      ],
      events: [...record.events, event],
    },
  };
}
