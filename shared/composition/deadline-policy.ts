/**
 * The deadline policy of a function that writes cases: the domain's, with the reminder lead
 * REMINDER_LEAD_MINUTES may set. The router, the case API, the sweeper and the calendar:load
 * command index cases with it; the notifier writes no case and reads neither. A module of its own
 * so that a command can take it without the functions' clients.
 */
import { reminderLeadMsFromEnv } from '../config/env.js';
import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicy } from '../domain/deadlines.js';

export function deadlinePolicyFromEnv(env: NodeJS.ProcessEnv): DeadlinePolicy {
  return { ...DEFAULT_DEADLINE_POLICY, reminderLeadMs: reminderLeadMsFromEnv(env) };
}
