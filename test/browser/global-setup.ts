/** Once per run of the browser tests: the console's bundle, built if missing or stale. */
import { ensureConsoleBuilt } from '../../infra/local/console-build.js';

export default async function setup(): Promise<void> {
  await ensureConsoleBuilt();
}
