/**
 * Deadline sweeper, run on a schedule (every minute in the cloud, SWEEP_INTERVAL_S locally): sends
 * the reminders before deadlines, marks passed deadlines breached once, writes them to the
 * accountability ledger and hands their escalations to the notifier. Shortly after an operator
 * loaded an official holiday schedule it also recounts open provisional deadlines, to catch cases a
 * function created while its cached calendar still lacked the schedule.
 */
import type { ScheduledHandler } from 'aws-lambda';
import { buildSweeper } from '../../shared/composition/sweep.js';
import { publishMetrics } from '../../shared/observability.js';

const sweeper = buildSweeper();

export const handler: ScheduledHandler = async () => {
  try {
    await sweeper.sweep();
  } finally {
    publishMetrics();
  }
};
