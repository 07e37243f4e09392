/** `/console/config.json`: written by the local run, or deployed beside the console in the cloud. */
import type { ConsoleConfig } from './api/types.js';

let loaded: Promise<ConsoleConfig> | undefined;

const FALLBACK: ConsoleConfig = { auth: 'dev', reminderLeadMinutes: 120 };

export function consoleConfig(): Promise<ConsoleConfig> {
  loaded ??= fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' })
    .then((response) => (response.ok ? (response.json() as Promise<ConsoleConfig>) : FALLBACK))
    .catch(() => FALLBACK);
  return loaded;
}
