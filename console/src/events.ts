/**
 * The forms behind the case actions: which fields each event takes (contract 3, 9, 10), their
 * labels, and the request body they make. Pure, so the bodies are unit-tested against the contract.
 */
import type { CaseView } from './api/types.js';
import { formatTime } from './deadlines.js';
import {
  ACTION_NAMES,
  AREA_NAMES,
  FINDING_NAMES,
  label,
  RESOLUTION_NAMES,
  SOURCE_NAMES,
  STOP_RESULT_NAMES,
} from './labels.js';

export interface Field {
  key: string;
  label: string;
  /** `case`: another open case of the same area, found by its case number (并单). */
  kind: 'text' | 'textarea' | 'radio' | 'select' | 'datetime' | 'case';
  required?: boolean;
  options?: Array<{ value: string; label: string }>;
  initial?: string;
  placeholder?: string;
}

const options = (names: Record<string, string>) =>
  Object.entries(names).map(([value, label]) => ({ value, label }));

const note = (label = '备注'): Field => ({ key: 'note', label, kind: 'textarea' });

/** The order the buttons appear in: the enforcement path first, the brigade's corrections last. */
export const ACTION_ORDER = Object.keys(ACTION_NAMES);

export function formFor(type: string, record: CaseView): Field[] {
  switch (type) {
    case 'acknowledge':
      return [note()];
    case 'inspect':
      return [
        { key: 'finding', label: '核查结论', kind: 'radio', required: true, options: options(FINDING_NAMES) },
        note('核查情况'),
      ];
    case 'stop':
      return [
        {
          key: 'result',
          label: '制止结果',
          kind: 'radio',
          required: true,
          options: options(STOP_RESULT_NAMES),
        },
        note('制止情况'),
      ];
    case 'notify_town':
      return [note('告知内容')];
    case 'close':
      return [
        {
          key: 'outcome',
          label: '办结情况',
          kind: 'textarea',
          required: true,
          placeholder: '如：已责令拆除，恢复原状',
        },
        { key: 'reply', label: '答复内容（反馈给来源和举报人）', kind: 'textarea' },
        {
          key: 'resolution',
          label: '解决情况',
          kind: 'radio',
          required: true,
          options: options(RESOLUTION_NAMES),
          initial: 'resolved',
        },
      ];
    case 'reassign':
      return [
        {
          key: 'area',
          label: '改派至',
          kind: 'select',
          required: true,
          options: options(AREA_NAMES).filter((option) => option.value !== record.area),
        },
        note('改派理由'),
      ];
    case 'request_extension':
      return [
        { key: 'dueAt', label: '延期至', kind: 'datetime', required: true },
        { key: 'reason', label: '延期理由', kind: 'textarea', required: true },
      ];
    case 'approve_extension':
      return [note('审批意见')];
    case 'reject_extension':
      return [{ key: 'reason', label: '驳回理由', kind: 'textarea', required: true }];
    case 'return':
      return [
        {
          key: 'reason',
          label: '退单理由',
          kind: 'textarea',
          required: true,
          placeholder: '如：不属于国土执法职责',
        },
        { key: 'legalBasis', label: '法律依据', kind: 'text', required: true },
      ];
    case 'merge':
      return [
        {
          key: 'intoCaseId',
          label: '并入案件',
          kind: 'case',
          required: true,
          placeholder: '输入案件编号，从本属地未办结的案件中选择',
        },
        note(),
      ];
    case 'split':
      return [
        {
          key: 'tipId',
          label: '拆分出的举报',
          kind: 'select',
          required: true,
          options: record.tips.map((tip) => ({
            value: tip.tipId,
            label: `${label(SOURCE_NAMES, tip.source)} ${tip.externalId}（${formatTime(tip.receivedAt)}接收）`,
          })),
        },
        note(),
      ];
    case 'comment':
      return [{ key: 'note', label: '备注', kind: 'textarea', required: true }];
    default:
      return [note()];
  }
}

/** A case a merge may go into, as the picker lists it. */
export interface MergeTarget {
  caseId: string;
  caseNo: string;
  status: string;
  area: string | null;
  title?: string;
  description: string;
}

/**
 * The cases `record` may be merged into, best match first: open (not closed, not triage) cases of
 * its own area other than itself, whose case number, title or description holds `query`.
 */
export function mergeTargets(
  record: Pick<CaseView, 'caseId' | 'area'>,
  cases: MergeTarget[],
  query: string,
): MergeTarget[] {
  const wanted = query.trim();
  return cases
    .filter(
      (other) =>
        other.caseId !== record.caseId &&
        other.area === record.area &&
        other.status !== 'closed' &&
        other.status !== 'triage',
    )
    .filter(
      (other) =>
        !wanted ||
        other.caseNo.includes(wanted) ||
        (other.title ?? '').includes(wanted) ||
        other.description.includes(wanted),
    )
    .sort(
      (a, b) =>
        Number(b.caseNo.startsWith(wanted)) - Number(a.caseNo.startsWith(wanted)) ||
        b.caseNo.localeCompare(a.caseNo),
    );
}

/** The missing required fields' labels (empty when the form may be sent). */
export function missingFields(fields: Field[], values: Record<string, string>): string[] {
  return fields.filter((field) => field.required && !values[field.key]?.trim()).map((field) => field.label);
}

/** The request body of one event: its type, the filled fields (trimmed), and an id for retries. */
export function eventBody(
  type: string,
  fields: Field[],
  values: Record<string, string>,
  eventId: string,
): Record<string, string> {
  const body: Record<string, string> = { type, eventId };
  for (const field of fields) {
    const value = values[field.key]?.trim();
    if (value) body[field.key] = value;
  }
  return body;
}
