/**
 * The case JSON carries each code with its Chinese name next to it (contract 11: codes stay, labels
 * may be added): `status` and `statusLabel`, `district` and `districtName`, each deadline's and each
 * event's `label` … so a console or a report never keeps its own copy of the catalog. Pure: the
 * names come from labels.ts; codes without a name get no label rather than a guess.
 */
import {
  DEADLINE_NAME,
  districtName,
  EVENT_LABELS,
  FINDING_LABELS,
  PARTNER_LABELS,
  principalName,
  ROUTING_METHOD_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  STOP_RESULT_LABELS,
  VIOLATION_TYPE_LABELS,
} from './labels.js';

/** The fields labelCaseView reads; every other field passes through unchanged, in its order. */
interface LabelledInput {
  status: string;
  district: string | null;
  bureau: string;
  routing: { method: string };
  violationType: string;
  severity: string;
  partners: readonly string[];
  deadlines: ReadonlyArray<{ kind: string }>;
  tips: ReadonlyArray<{ source: string }>;
  events: ReadonlyArray<{ type: string }>;
}

/** The label fields a case view gains (the OpenAPI schema documents them). */
export interface CaseLabels {
  statusLabel?: string;
  districtName?: string | null;
  bureauName?: string;
  violationTypeLabel?: string;
  severityLabel?: string;
  partnerLabels?: Record<string, string>;
}

const lookup = (table: Readonly<Record<string, string>>, code: unknown): string | undefined =>
  typeof code === 'string' && Object.hasOwn(table, code) ? table[code] : undefined;

/** `{...value, [key]: label}` when there is a label; `value` unchanged otherwise. */
function withLabel<T extends object>(value: T, key: string, label: string | undefined): T {
  return label === undefined ? value : { ...value, [key]: label };
}

function labelEvent<T extends { type: string }>(event: T): T {
  const fields = event as T & { finding?: unknown; result?: unknown };
  let labelled = withLabel(event, 'label', lookup(EVENT_LABELS, event.type));
  labelled = withLabel(labelled, 'findingLabel', lookup(FINDING_LABELS, fields.finding));
  return withLabel(labelled, 'resultLabel', lookup(STOP_RESULT_LABELS, fields.result));
}

/**
 * The view with the Chinese name of each code placed right after the code: `statusLabel` after
 * `status`, `districtName` and `bureauName` after `bureau`, `violationTypeLabel`, `severityLabel`,
 * `partnerLabels` (department → name) after `partners`; `label` on each deadline and event (an
 * inspection's `findingLabel`, a stop's `resultLabel`), `sourceLabel` on each tip and `methodLabel`
 * on the routing decision. Existing fields keep their values and order.
 */
export function labelCaseView<T extends LabelledInput>(view: T): T & CaseLabels {
  const labels: Record<string, Record<string, unknown>> = {
    status: { statusLabel: lookup(STATUS_LABELS, view.status) },
    bureau: {
      districtName: view.district === null ? null : districtName(view.district),
      bureauName: principalName(view.bureau),
    },
    violationType: { violationTypeLabel: lookup(VIOLATION_TYPE_LABELS, view.violationType) },
    severity: { severityLabel: lookup(SEVERITY_LABELS, view.severity) },
    partners: {
      partnerLabels: Object.fromEntries(
        view.partners.flatMap((partner) => {
          const label = lookup(PARTNER_LABELS, partner);
          return label ? [[partner, label]] : [];
        }),
      ),
    },
  };
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(view)) {
    switch (key) {
      case 'routing':
        result[key] = withLabel(
          view.routing,
          'methodLabel',
          lookup(ROUTING_METHOD_LABELS, view.routing.method),
        );
        break;
      case 'deadlines':
        result[key] = view.deadlines.map((deadline) =>
          withLabel(deadline, 'label', lookup(DEADLINE_NAME, deadline.kind)),
        );
        break;
      case 'tips':
        result[key] = view.tips.map((tip) =>
          withLabel(tip, 'sourceLabel', lookup(SOURCE_LABELS, tip.source)),
        );
        break;
      case 'events':
        result[key] = view.events.map(labelEvent);
        break;
      default:
        result[key] = value;
    }
    for (const [labelKey, label] of Object.entries(labels[key] ?? {}))
      if (label !== undefined) result[labelKey] = label;
  }
  return result as T & CaseLabels;
}
