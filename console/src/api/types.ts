/**
 * The shapes the console reads and sends, typed by hand after the contract (docs: /openapi.json
 * and contract sections 3, 7-10, 12). Fields the console does not use are left out; fields added
 * by endpoints still being built are optional, so an older API is read without surprises.
 */

export interface Deadline {
  kind: 'acknowledge' | 'inspect' | 'stop' | 'notify_town' | 'close';
  dueAt: string;
  metAt: string | null;
  breachedAt: string | null;
  provisional?: boolean;
  basis?: string;
  countedFrom?: string;
}

export interface CaseEvent {
  type: string;
  at: string;
  by: string;
  note?: string;
  actor?: { name: string; role?: 'chief' | 'officer' };
  [extra: string]: unknown;
}

export interface TipRef {
  tipId: string;
  source: string;
  externalId: string;
  receivedAt: string;
}

export type Reporter =
  | { anonymous: true }
  | { anonymous: false; confidential: boolean; name?: string; phone?: string; wantsFeedback?: boolean };

export interface CaseView {
  caseId: string;
  caseNo: string;
  status: 'triage' | 'assigned' | 'acknowledged' | 'inspected' | 'stopping' | 'town_notified' | 'closed';
  area: string | null;
  areaName: string | null;
  district: string | null;
  bureau: string;
  routing: {
    method: string;
    matched: string | null;
    explanation: string;
    /** A Chinese explanation, where the API gives one beside the code's. */
    explanationZh?: string;
    previous?: Array<{ area: string | null; method: string; explanation: string; replacedAt: string }>;
  };
  title?: string;
  description: string;
  location: { address?: string; town?: string; region?: string; street?: string; community?: string };
  violationType: string;
  severity: 'normal' | 'major';
  severityReasons: string[];
  partners: string[];
  partnerReasons: Record<string, string>;
  deadlines: Deadline[];
  tips: TipRef[];
  reporter?: Reporter;
  events: CaseEvent[];
  overdue: boolean;
  allowedEvents?: string[];
  source?: string;
  patrolId?: string;
  relatedCaseIds?: string[];
  /** Set once the brigade merged this case into another (并单): that case. */
  mergedInto?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

export interface AuditRecord {
  id: string;
  at: string;
  caseNo: string;
  principal: string;
  actor?: { name: string; role?: string };
  reason: string;
}

export interface LedgerEntry {
  kind: string;
  reason: string;
  reasonLabel?: string;
  bureau: string;
  caseId?: string;
  caseNo?: string;
  deadline?: string;
  dueAt?: string;
  breachedAt?: string;
  unit?: string;
  period?: string;
  report?: string;
  officer?: string;
  chief?: string;
}

export interface LedgerView {
  year: number;
  entries: LedgerEntry[];
  vetoes: Array<{ bureau: string; [extra: string]: unknown }>;
}

export interface PatrolFinding {
  description: string;
  address?: string;
  violationType?: string;
  party?: string;
  measures?: string;
  stopped?: boolean;
  photos?: string[];
  caseId?: string;
  caseNo?: string;
}

/** A patrol place as stored: what the gazetteer made of the name typed (contract 7). */
export interface PatrolPlace {
  name: string;
  area: string | null;
  matched: string | null;
  kind?: string;
}

export interface PatrolInput {
  clientId: string;
  kind: string;
  area: string;
  startedAt: string;
  endedAt: string;
  officers: string[];
  route?: string;
  places?: Array<string | PatrolPlace>;
  focus?: string[];
  findings?: PatrolFinding[];
  note?: string;
}

export interface Patrol extends PatrolInput {
  patrolId: string;
  patrolNo: string;
  recordedBy?: string;
  findings: PatrolFinding[];
}

export interface ComplianceRow {
  unit: string;
  unitName?: string;
  requirement: string;
  requirementLabel?: string;
  area?: string;
  required: number;
  done: number;
  status: 'met' | 'open' | 'short';
}

export interface Compliance {
  period: string;
  label?: string;
  decided?: boolean;
  decidesAt?: string;
  units: ComplianceRow[];
}

export interface MonthlyReport {
  area: string;
  month: string;
  status: string;
  dueAt: string;
  figures: {
    patrols?: { total?: number; weeksMet?: number; weeks?: number; withFindings?: number };
    cases?: {
      new?: number;
      bySource?: Record<string, number>;
      byViolationType?: Record<string, number>;
      violationsConfirmed?: number;
      stopped?: number;
      townNotified?: number;
      closed?: number;
      areaMu?: number;
    };
    deadlines?: { met?: number; breached?: number };
    patrolDiscoveryRate?: number | null;
  };
  zeroReport: boolean;
  analysis: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
}

/** `GET /v1/reports/monthly?month=` without `area`: the consolidated report (brigade, leaders). */
export interface ConsolidatedReport {
  month: string;
  district?: string;
  status: string;
  dueAt?: string;
  bureaus: Array<Partial<MonthlyReport> & { area: string; areaName?: string }>;
  brigade?: {
    total: number;
    byKind?: Record<string, number>;
    withFindings?: number;
    patrols?: { required: number; done: number; met: boolean };
    supervision?: { required: number; supervised: string[]; notSupervised: string[] };
  };
  totals?: MonthlyReport['figures'];
  analysis: string | null;
  submittedAt: string | null;
  submittedBy: string | null;
}

/** One request to a source's feedback endpoint. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  responseCode?: number;
  error?: string;
  manual?: true;
}

/** A feedback delivery to a source (contract 9, `GET /v1/deliveries`, brigade only). */
export interface Delivery {
  deliveryId: string;
  source: string;
  tipId: string;
  externalId: string;
  caseId: string;
  caseNo: string;
  type: string;
  sequence: number;
  status: string;
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AssessmentItem {
  item: string;
  label?: string;
  weight: number;
  score: number;
  basis: string;
}

export interface Assessment {
  quarter?: string;
  year?: number;
  bureaus: Array<{ area: string; score: number; items?: AssessmentItem[]; vetoed: boolean }>;
}

/** `GET /console/dev-principals` (local run only). */
export interface DevPrincipal {
  token: string;
  principal: string;
  actor?: { name: string; role?: string };
}

/** `/console/config.json`: how people sign in here. */
export type ConsoleConfig =
  | { auth: 'dev'; reminderLeadMinutes: number }
  | {
      auth: 'cognito';
      reminderLeadMinutes: number;
      cognito: { domain: string; clientId: string; region?: string };
    };
