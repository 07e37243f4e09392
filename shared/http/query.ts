/**
 * The case API's query strings, parsed into the typed inputs the use cases take. A query that
 * breaks a rule answers validation_failed, one detail per failing parameter; the schemas are also
 * what the OpenAPI document shows for each parameter.
 */
import { z } from 'zod';
import { CASE_ID_PATTERN } from '../domain/ids.js';
import { LEDGER_YEARS } from '../domain/ledger.js';
import { AREA_IDS, CASE_STATUSES } from '../domain/model.js';
import { zodIssuesToDetails } from '../domain/validation-details.js';
import { DEFAULT_AUDIT_REASON, MAX_AUDIT_REASON_CHARS } from '../usecases/audit.js';
import { ValidationError } from '../usecases/errors.js';

type QueryParameters = Record<string, string | undefined> | undefined;

const cursor = z
  .string()
  .min(1)
  .max(2000)
  .describe(
    'Opaque: the `cursor` of the previous page of the same query, as given. Any other value answers 400 invalid_cursor.',
  );
const limit = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);

/** `GET /v1/cases` */
export const caseListQuerySchema = z.object({
  area: z.enum([...AREA_IDS, 'triage']).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'true: only cases not closed with at least one unmet deadline past its due instant (breached deadlines included, escalated or not).',
    ),
  cursor: cursor.optional(),
  limit: limit(20),
});

/** `GET /v1/audit`. caseId is required, but the use case says so after the role check. */
export const auditQuerySchema = z.object({
  caseId: z
    .string()
    .regex(CASE_ID_PATTERN, '须为案件编号（case_加26位字母或数字2-7）')
    .optional()
    .describe('The case.'),
  cursor: cursor.optional(),
  limit: limit(50),
});

const bureauPattern = new RegExp(`^(bureau:)?(${AREA_IDS.join('|')})$`);

/** `GET /v1/ledger` */
export const ledgerQuerySchema = z.object({
  year: z.coerce
    .number()
    .int()
    .min(LEDGER_YEARS.min)
    .max(LEDGER_YEARS.max)
    .optional()
    .describe('Calendar year of the missed deadlines; default: the current year in Asia/Shanghai.'),
  bureau: z
    .string()
    .regex(bureauPattern, '须为属地编码或bureau:<属地编码>')
    .transform((value) => value.replace(/^bureau:/, ''))
    .pipe(z.enum(AREA_IDS))
    .optional()
    .describe('Only this bureau: an area id or bureau:<area>.'),
});

export function parseQuery<T extends z.ZodType>(schema: T, query: QueryParameters): z.output<T> {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) {
    throw new ValidationError('查询参数有误。', zodIssuesToDetails(parsed.error.issues));
  }
  return parsed.data;
}

/** `GET /v1/cases/{caseId}`: why the caller looks, free text with its whitespace collapsed. */
export const caseViewQuerySchema = z.object({
  reason: z
    .string()
    // Documents the limit the refinement below enforces (in characters, after collapsing).
    .meta({ maxLength: MAX_AUDIT_REASON_CHARS })
    .optional()
    .transform((raw) => (raw ?? '').replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .refine(
          (reason) => [...reason].length <= MAX_AUDIT_REASON_CHARS,
          `长度不得超过${MAX_AUDIT_REASON_CHARS}个字符`,
        ),
    )
    .transform((reason) => reason || DEFAULT_AUDIT_REASON)
    .describe(
      `Why the caller looks, recorded in the audit trail when the reporter is shown; default "${DEFAULT_AUDIT_REASON}". Whitespace is collapsed.`,
    ),
  reporter: z
    .enum(['omit'])
    .optional()
    .describe(
      'omit: answer without the reporter, opening and recording nothing (the console shows a case so, and opens the reporter only when asked, with a reason).',
    ),
});

/** `GET /v1/cases/{caseId}`: why the caller looks, and whether the reporter is wanted at all. */
export function parseCaseViewQuery(query: QueryParameters): { reason: string; withReporter: boolean } {
  const parsed = caseViewQuerySchema.safeParse(query ?? {});
  if (!parsed.success) {
    const reasonOnly = parsed.error.issues.every((issue) => issue.path[0] === 'reason');
    throw new ValidationError(
      reasonOnly ? '查看原因过长。' : '查询参数不正确。',
      zodIssuesToDetails(parsed.error.issues),
    );
  }
  return { reason: parsed.data.reason, withReporter: parsed.data.reporter !== 'omit' };
}

/** The `reason` of `GET /v1/cases/{caseId}`, or the default when absent or blank. */
export function parseAuditReason(query: QueryParameters): string {
  return parseCaseViewQuery(query).reason;
}
