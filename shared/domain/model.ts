/**
 * The vocabulary every part of landline shares: sources, areas, principals, the canonical tip
 * and the case. Pure types and constants, no I/O, so that intake, router, notifier and API agree
 * on one shape without depending on each other.
 */
import type { SiteFeatures } from './duplicate-sites.js';

export const SOURCES = ['12336', '12345', 'city-management'] as const;
export type Source = (typeof SOURCES)[number];
export const isSource = (value: string): value is Source => (SOURCES as readonly string[]).includes(value);

export const AREA_IDS = [
  'guli',
  'shajiabang',
  'dongnan',
  'shanghu',
  'xinzhuang',
  'zhitang',
  'dongbang',
  'meili',
  'yushan',
  'resort',
  'bixi',
  'haiyu',
] as const;
export type AreaId = (typeof AREA_IDS)[number];
export const isAreaId = (value: string): value is AreaId => (AREA_IDS as readonly string[]).includes(value);

export const DISTRICT_IDS = ['district-1', 'district-2', 'district-3', 'district-4', 'district-5'] as const;
export type DistrictId = (typeof DISTRICT_IDS)[number];

/** The patrol district of each area (../data/README.md); the gazetteer config says the same (tested). */
export const AREA_DISTRICT: Readonly<Record<AreaId, DistrictId>> = {
  guli: 'district-1',
  shajiabang: 'district-1',
  dongnan: 'district-1',
  shanghu: 'district-2',
  xinzhuang: 'district-2',
  zhitang: 'district-3',
  dongbang: 'district-3',
  meili: 'district-3',
  yushan: 'district-4',
  resort: 'district-4',
  bixi: 'district-5',
  haiyu: 'district-5',
};
export const areasOfDistrict = (district: DistrictId): AreaId[] =>
  AREA_IDS.filter((area) => AREA_DISTRICT[area] === district);
export const isDistrictId = (value: string): value is DistrictId =>
  (DISTRICT_IDS as readonly string[]).includes(value);

export const PARTNER_DEPARTMENTS = ['planning', 'urban_management', 'housing', 'police'] as const;
export type PartnerDepartment = (typeof PARTNER_DEPARTMENTS)[number];

export const VIOLATION_TYPES = [
  'plan_violation',
  'illegal_occupation',
  'illegal_approval',
  'illegal_transfer',
  'farmland_destruction',
  'farmer_rights',
  'state_asset_loss',
  'other',
] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export type Severity = 'normal' | 'major';

/**
 * The person behind a token, where the token says so: the accountability ledger names the bureau's
 * chief (负责人) and the officer directly in charge (直接责任人) when it knows them.
 */
export interface Actor {
  name: string;
  role?: 'chief' | 'officer';
}

/** Who is calling the read/act API (contract section 1). */
export type Principal = (
  | { kind: 'brigade' }
  | { kind: 'bureau'; area: AreaId }
  | { kind: 'partner'; department: PartnerDepartment }
  | { kind: 'leader'; district: DistrictId }
  | { kind: 'source'; source: Source }
) & { actor?: Actor };

export const principalId = (p: Principal): string => {
  switch (p.kind) {
    case 'brigade':
      return 'brigade';
    case 'bureau':
      return `bureau:${p.area}`;
    case 'partner':
      return `partner:${p.department}`;
    case 'leader':
      return `leader:${p.district}`;
    case 'source':
      return `source:${p.source}`;
  }
};

/** Coordinates as the source gave them; converted only where routing uses them. */
export interface GeoPoint {
  lng: number;
  lat: number;
  crs: 'wgs84' | 'gcj02' | 'bd09' | 'cgcs2000';
}

/** Every location field any source may send, normalized to one shape. */
export interface TipLocation {
  /** Free-text address (12336 `location.address`, 12345 `address`, city-management `location.description`). */
  address?: string;
  /** An explicit town field (12336 `location.town`). */
  town?: string;
  /** 12345 `region`, e.g. "常熟市海虞镇". */
  region?: string;
  /** City-management `street` (街道/镇) and `community` (村/社区). */
  street?: string;
  community?: string;
  gridCode?: string;
  point?: GeoPoint;
}

/**
 * The reporter as it travels and rests: the identity is sealed (encrypted, bound to the tip id)
 * at the door and only ever opened by the case API for principals allowed to see it.
 */
export type SealedReporter =
  | { anonymous: true }
  | {
      anonymous: false;
      /** 12345 `caller.confidential`: shown to the brigade only. */
      confidential: boolean;
      wantsFeedback?: boolean;
      /** Opaque ciphertext of `ReporterIdentity`, produced by the ReporterVault port. */
      sealed: string;
    };

export interface ReporterIdentity {
  name?: string;
  phone?: string;
}

export interface Attachment {
  url: string;
  type?: string;
}

/** One tip from any source, after validation and normalization: what the intake queue carries. */
export interface CanonicalTip {
  tipId: string;
  source: Source;
  externalId: string;
  /** When the source says the tip was received (ISO 8601 with offset); deadlines count from here. */
  receivedAt: string;
  /** When landline accepted it (ISO 8601 UTC). */
  acceptedAt: string;
  title?: string;
  description: string;
  /** The type the source stated, if any; otherwise inferred downstream. */
  violationType?: ViolationType;
  urgency: 'normal' | 'urgent';
  location: TipLocation;
  /** The source's own deadline (12345 `handlingDeadline`, city-management `dueAt`). */
  sourceDeadline?: string;
  /** Source-specific descriptive fields kept for the case file (channel, appealType, origin, category …). */
  details: Record<string, string>;
  attachments: Attachment[];
  reporter: SealedReporter;
  /** Hash of the submitted content (reporter included, before sealing): tells a retry from an amendment. */
  contentHash: string;
}

export const DEADLINE_KINDS = ['acknowledge', 'inspect', 'stop', 'notify_town', 'close'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** Each deadline's name in the bureau's own words, for notifications and the ledger. */
export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  acknowledge: '签收',
  inspect: '现场核查',
  stop: '制止',
  notify_town: '告知镇政府',
  close: '办结',
};

export interface Deadline {
  kind: DeadlineKind;
  /** ISO 8601 with +08:00 offset. */
  dueAt: string;
  metAt: string | null;
  breachedAt: string | null;
  /** When the breach's escalation was handed to the notifier; unset until then. */
  escalatedAt?: string | null;
  /** True when computed without the official holiday schedule of that year. */
  provisional?: boolean;
  /** Why this instant, e.g. "1 working day from 2026-11-28 (Sat)" or "source deadline". */
  basis?: string;
  /** The instant the span is counted from: recomputing a provisional deadline starts here. */
  countedFrom?: string;
  /** The source's own deadline (close only), kept so a recomputation can still prefer it. */
  sourceDueAt?: string;
  /** When the reminder before this deadline was handed to the notifier; unset until then. */
  remindedAt?: string | null;
}

export const CASE_STATUSES = [
  'triage',
  'assigned',
  'acknowledged',
  'inspected',
  'stopping',
  'town_notified',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface RoutingDecision {
  area: AreaId | null;
  district: DistrictId | null;
  /** How the area was found: `town_field`, `address`, `former_town`, `village`, `coordinates`, `reassigned`, `none` … */
  method: string;
  /** The name(s) in the tip that decided it. */
  matched: string | null;
  matchedNames?: string[];
  confidence: number;
  explanation: string;
  /** Earlier decisions, oldest first, when the brigade reassigned the case. */
  previous?: Array<{ area: AreaId | null; method: string; explanation: string; replacedAt: string }>;
}

export interface TipRef {
  tipId: string;
  source: Source;
  externalId: string;
  receivedAt: string;
}

export interface CaseEvent {
  type: string;
  at: string;
  by: string;
  note?: string;
  [extra: string]: unknown;
}

/** A case as stored. The API view (contract section 3) is derived from it per principal. */
export interface CaseRecord {
  caseId: string;
  caseNo: string;
  status: CaseStatus;
  area: AreaId | null;
  areaName: string | null;
  district: DistrictId | null;
  /** `bureau:<area>` or `brigade` for triage. */
  bureau: string;
  routing: RoutingDecision;
  title?: string;
  description: string;
  location: TipLocation;
  violationType: ViolationType;
  severity: Severity;
  severityReasons: string[];
  partners: PartnerDepartment[];
  partnerReasons: Partial<Record<PartnerDepartment, string>>;
  deadlines: Deadline[];
  tips: TipRef[];
  reporter: SealedReporter;
  /** The tip id whose key sealed `reporter` (the encryption context). */
  reporterTipId: string;
  events: CaseEvent[];
  /**
   * Where the case came from: a source's tip, or `patrol` for a patrol's finding (contract section
   * 7; `tips` is then empty and `patrolId` names the patrol). Absent on cases written before this
   * field existed: the first tip's source.
   */
  source?: Source | 'patrol';
  patrolId?: string;
  /** Earlier cases about the same site (复发, contract section 10). */
  relatedCaseIds?: string[];
  /** Set when the brigade merged this case into another (`merge`, contract section 10): that case. */
  mergedInto?: string;
  /**
   * Internal (contract 9): how many of `events` had their feedback to the sources recorded; the case
   * store derives the feedback of the events after it with each write. A hint: absent, stale or
   * not, the store records each feedback event once (shared/adapters/dynamo-feedback-store.ts).
   */
  feedbackThrough?: number;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking counter. */
  version: number;
}

/** The source a case came from: its own field, else its first tip's. */
export const caseSource = (record: Pick<CaseRecord, 'source' | 'tips'>): Source | 'patrol' | undefined =>
  record.source ?? record.tips[0]?.source;

export type TipStatus = 'routed' | 'triage' | 'merged';

/** What the store keeps per tip id: the idempotency anchor of the router. */
export interface TipRecord {
  tipId: string;
  /** `patrol` for the anchor of a patrol finding's case (`fnd_…`, never served as a tip). */
  source: Source | 'patrol';
  externalId: string;
  caseId: string;
  status: TipStatus;
  receivedAt: string;
  /** Every content hash seen for this tip id: a redelivered amendment is not applied twice. */
  contentHashes: string[];
  /**
   * A tip that joined a case another tip opened (并单): its own reporter, sealed under its own tip
   * id, kept here so nothing is lost and a `split` can give it back to the tip's own case.
   */
  reporter?: SealedReporter;
  /** What the tip says about its site, as the duplicate index files it (shared/domain/duplicates.ts). */
  site?: SiteFeatures;
  /** The case the brigade split this tip from (`split`): such a tip is never matched again. */
  splitFrom?: string;
}

export const NOTIFICATION_KINDS = [
  'assignment',
  'joint_enforcement',
  'special_report',
  'escalation',
  'reminder',
  // Sections 7-10: patrols, reports, what sources say back, merged tips.
  'patrol_reminder',
  'patrol_shortfall',
  'monthly_report',
  'report_reminder',
  'report_overdue',
  'urge',
  'reopen',
  'supplement',
  'delivery_disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type Audience = 'bureau' | 'partner' | 'town' | 'brigade' | 'leader' | 'leadership' | 'superior';

/**
 * One notification, as the outbox line of contract section 5. A notice about a case carries
 * `caseId`; one about a patrol period carries `unit` and `period`, one about a report `report`
 * (`<area>/<month>` or `city/<month>`), one about a source's feedback endpoint `source`.
 */
export interface Notification {
  id: string;
  at: string;
  audience: Audience;
  target: string;
  caseId?: string;
  kind: NotificationKind;
  deadline?: DeadlineKind;
  unit?: string;
  period?: string;
  report?: string;
  patrolId?: string;
  source?: Source;
  subject: string;
  sms: string;
  email: string;
}

/** The message the router puts on a bureau (or triage) queue for the notifier. */
export interface AssignmentMessage {
  type: 'assignment';
  caseId: string;
  /** `bureau:<area>` or `brigade`: also which queue carries it. */
  target: string;
  /**
   * The case as the router just wrote it, so the notifier need not read it back (one request less
   * per tip). Never the reporter. Absent when the sender did not have the case at hand.
   */
  snapshot?: CaseSnapshot;
}

/** What notifications are written from: the case without its reporter, tips and events. */
export type CaseSnapshot = Omit<CaseRecord, 'reporter' | 'reporterTipId' | 'tips' | 'events'>;

/** Takes the snapshot of a case for a queue message. */
export function caseSnapshot(record: CaseRecord): CaseSnapshot {
  const {
    reporter: _reporter,
    reporterTipId: _reporterTipId,
    tips: _tips,
    events: _events,
    ...snapshot
  } = record;
  return snapshot;
}

/** The message the sweeper puts on the case's queue when a deadline was breached. */
export interface EscalationMessage {
  type: 'escalation';
  caseId: string;
  deadline: DeadlineKind;
  /** The case's bureau (`bureau:<area>`) or `brigade`: which queue carries it. */
  target: string;
}

/** The message the sweeper puts on the case's queue shortly before an open deadline is due. */
export interface ReminderMessage {
  type: 'reminder';
  caseId: string;
  deadline: DeadlineKind;
  /** The case's bureau (`bureau:<area>`) or `brigade`: which queue carries it. */
  target: string;
}

/**
 * A notification rendered in full by whoever decided it (the sweeper for patrol periods and
 * reports, the API for submissions and urges…), handed to the notifier to send once under `key`.
 */
export interface NoticeMessage {
  type: 'notice';
  /** The once-only key: same key, one send, however often the message is delivered. */
  key: string;
  /** Which queue carries it: `bureau:<area>` or `brigade` (notices with no bureau go with the brigade's). */
  target: string;
  notification: Notification;
}

/** Everything the notifier consumes from the bureau and triage queues. */
export type WorkMessage = AssignmentMessage | EscalationMessage | ReminderMessage | NoticeMessage;
