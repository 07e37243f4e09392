/**
 * Environment configuration, parsed with zod once per cold start. A function whose environment is
 * wrong fails at start-up with a message naming every bad variable, never mid-request.
 */
import { z } from 'zod';
import { DEFAULT_REMINDER_POLICY } from '../domain/attention.js';
import { CASE_BUDGET_RANGE, type CaseBudget, DEFAULT_CASE_BUDGET } from '../domain/case-size.js';
import { issuePath } from '../domain/validation-details.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses `source` (default: process.env) with `schema`, throwing one readable ConfigError. */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issuePath(issue.path)}: ${issue.message}`);
    throw new ConfigError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** A variable holding a JSON document, validated by `inner`. */
export const jsonVar = <T extends z.ZodType>(inner: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(inner);

export const nonEmpty = z.string().trim().min(1, 'is required');

/** ASSIGNMENT_QUEUE_URLS: `bureau:<area>` and `brigade` → the queue URL of their assignments. */
export const assignmentQueueUrls = jsonVar(z.record(z.string(), z.url()));

/**
 * REMINDER_LEAD_MINUTES: how long before a deadline its reminder goes out, when a deployment wants
 * another lead than the deadline policy's (DEFAULT_REMINDER_POLICY, two hours). The one parser of
 * it: the composition root puts the lead into the deadline policy that the case writers index
 * cases with and the sweeper reminds with.
 */
export function reminderLeadMsFromEnv(source: NodeJS.ProcessEnv = process.env): number {
  const { REMINDER_LEAD_MINUTES } = parseEnv(
    z.object({
      REMINDER_LEAD_MINUTES: z.coerce
        .number()
        .int()
        .min(0)
        .max(7 * 24 * 60)
        .default(DEFAULT_REMINDER_POLICY.reminderLeadMs / 60_000),
    }),
    source,
  );
  return REMINDER_LEAD_MINUTES * 60_000;
}

/**
 * CASE_BYTE_BUDGET: how large (estimated bytes of the case item) a request may make a case;
 * default the domain's 300 KB, bounded well below DynamoDB's 400 KB item limit.
 */
export function caseBudgetFromEnv(source: NodeJS.ProcessEnv = process.env): CaseBudget {
  const { CASE_BYTE_BUDGET } = parseEnv(
    z.object({
      CASE_BYTE_BUDGET: z.coerce
        .number()
        .int()
        .min(CASE_BUDGET_RANGE.min)
        .max(CASE_BUDGET_RANGE.max)
        .default(DEFAULT_CASE_BUDGET.maxCaseBytes),
    }),
    source,
  );
  return { maxCaseBytes: CASE_BYTE_BUDGET };
}
