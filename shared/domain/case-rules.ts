/**
 * The rules that turn a tip into a case, gathered behind one interface so the router's use case
 * depends on decisions, not on how each is made: where it goes, how grave it is, who else must
 * know, and when each response is due.
 */
import type { WorkingCalendar } from './calendar.js';
import type { EventContext } from './case-events.js';
import {
  DEFAULT_DEADLINE_POLICY,
  type DeadlinePolicy,
  initialDeadlines,
  notifyTownDeadline,
  stopDeadline,
} from './deadlines.js';
import { deriveCaseId } from './ids.js';
import { findArea, type Jurisdiction } from './jurisdiction.js';
import type {
  AreaId,
  CanonicalTip,
  Deadline,
  PartnerDepartment,
  RoutingDecision,
  Severity,
  ViolationType,
} from './model.js';
import { routeTip } from './routing.js';
import { assessSeverity, choosePartners, resolveViolationType, tipText } from './severity.js';

export interface Classification {
  violationType: ViolationType;
  severity: Severity;
  severityReasons: string[];
  partners: PartnerDepartment[];
  partnerReasons: Partial<Record<PartnerDepartment, string>>;
}

export interface CaseRules {
  caseIdFor(tipId: string): string;
  route(tip: CanonicalTip): RoutingDecision;
  areaName(area: AreaId): string;
  classify(tip: CanonicalTip): Classification;
  deadlines(tip: CanonicalTip, severity: Severity): Deadline[];
  /** What the case state machine needs: the deadlines events open and the facts of an area. */
  eventContext(now: Date): EventContext;
}

/**
 * The rules over a jurisdiction and a working calendar, both given: the calendar is the calling
 * function's own, which its composition root keeps in step with the operator-loaded schedules.
 */
export function createCaseRules(options: {
  jurisdiction: Jurisdiction;
  calendar: WorkingCalendar;
  policy?: DeadlinePolicy;
}): CaseRules {
  const policy = options.policy ?? DEFAULT_DEADLINE_POLICY;
  return {
    caseIdFor: deriveCaseId,
    route: (tip) => routeTip({ location: tip.location, text: tipText(tip) }, options.jurisdiction),
    areaName: (area) => findArea(options.jurisdiction, area).name,
    classify(tip) {
      const text = tipText(tip);
      const { severity, reasons } = assessSeverity({
        urgency: tip.urgency,
        title: tip.title,
        description: tip.description,
      });
      const { partners, reasons: partnerReasons } = choosePartners(
        { title: tip.title, description: tip.description },
        severity,
      );
      return {
        violationType: resolveViolationType(tip.violationType, text).violationType,
        severity,
        severityReasons: reasons,
        partners,
        partnerReasons,
      };
    },
    deadlines: (tip, severity) =>
      initialDeadlines(
        {
          receivedAt: tip.receivedAt,
          severity,
          ...(tip.sourceDeadline ? { sourceDeadline: tip.sourceDeadline } : {}),
        },
        options.calendar,
        policy,
      ),
    eventContext: (now) => ({
      now,
      stopDeadline: (from, record) => stopDeadline(from, record.severity, options.calendar, policy),
      notifyTownDeadline: (from, record) =>
        notifyTownDeadline(from, record.severity, options.calendar, policy),
      area: (area) => {
        const definition = findArea(options.jurisdiction, area);
        return { name: definition.name, district: definition.district };
      },
    }),
  };
}
