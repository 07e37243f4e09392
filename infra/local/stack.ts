/**
 * The whole pipeline on one machine: emulators, provisioning, the real handlers behind the local
 * gateway, queue pollers and the sweeper timer. Handlers are imported only after `process.env`
 * holds the local wiring, because they read their configuration once, when loaded.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { setLocalRunClock } from '../../shared/adapters/clock.js';
import { reminderLeadMsFromEnv } from '../../shared/config/env.js';
import { feedbackSecretVariable, feedbackUrlVariable } from '../../shared/config/feedback-variables.js';
import { sourceSecretVariable } from '../../shared/config/source-secret-names.js';
import { AREA_IDS, SOURCES, type Source } from '../../shared/domain/model.js';
import { CASE_API_ROUTES, splitRouteKey } from '../../shared/http/case-api-routes.js';
import { REPORTS_API_ROUTES, splitReportsRouteKey } from '../../shared/http/reports-api-routes.js';
import type { Clock } from '../../shared/ports/index.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../function-timeouts.js';
import { CONSOLE_DIST } from './console-build.js';
import { consoleSite } from './console-site.js';
import { DEFAULT_FEEDBACK_RELAY_INTERVAL_S, DEV_CURSOR_KEY, DEV_FEEDBACK_SECRETS } from './dev-defaults.js';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type RunningEmulator,
  startDynamoDbLocal,
  startLocalSqs,
} from './emulators.js';
import { LocalRunError } from './errors.js';
import { type HttpHandler, type LocalGateway, type RouteSpec, startGateway } from './gateway.js';
import { lambdaContext } from './lambda-context.js';
import { createQueuePoller, type QueuePoller, type SqsBatchHandler } from './poller.js';
import {
  allQueueUrls,
  DEFAULT_VISIBILITY_TIMEOUT_S,
  type ProvisionedQueues,
  provision,
  type QueuePair,
} from './provision.js';
import { restoreQueueMessages, saveQueueMessages } from './queue-store.js';

export type ScheduledHandlerLike = (event: ScheduledEvent, context: Context) => unknown;

export interface LocalHandlers {
  intake: HttpHandler;
  api: HttpHandler;
  route: SqsBatchHandler;
  notify: SqsBatchHandler;
  /** Optional: the local run works without a sweeper. */
  sweep?: ScheduledHandlerLike;
  /** Optional: monthly reports and the assessment (`/v1/reports…`, `/v1/assessments…`). */
  reports?: HttpHandler;
  /** The feedback sender (contract 9): its queue's messages, and the relay on a timer. */
  feedback?: (event: Parameters<SqsBatchHandler>[0] | ScheduledEvent, context: Context) => unknown;
}

export type SourceSecrets = Record<Source, string>;

export interface LocalStackOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** `whsec_…` per source (several separated by spaces during a rotation). */
  secrets: SourceSecrets;
  /**
   * token → principal (`brigade`, `bureau:<area>`, `partner:<dept>`, `source:<source>`), or
   * `{principal, actor: {name, role?}}` when the token also names the person using it.
   */
  apiTokens: Record<
    string,
    string | { principal: string; actor?: { name: string; role?: 'chief' | 'officer' } }
  >;
  sweepIntervalS: number;
  /** Signs page cursors (default: the development key). */
  cursorKey?: string;
  /** Queue visibility timeout: also the delay before a failed message is retried (default 30 s). */
  visibilityTimeoutS?: number;
  /** Fixed emulator ports (default: free ports); a restart in the same process must reuse them. */
  dynamoDbPort?: number;
  sqsPort?: number;
  /** Keep DynamoDB in memory instead of `$DATA_DIR/dynamodb` (tests). */
  inMemoryDb?: boolean;
  /** How long stop() waits for queued work to finish (default 15 s). */
  drainTimeoutMs?: number;
  quiet?: boolean;
  log?: (line: string) => void;
  /** Replaces the real handlers (tests); missing ones are imported from functions/. */
  handlers?: Partial<LocalHandlers>;
  /**
   * What the functions take as "now" (default: the system clock): tests and `LOCAL_NOW` pin an
   * awkward instant with it. One process has one clock, so the last stack started sets it.
   */
  clock?: Clock;
  /**
   * Contract 9: each source's feedback endpoint (FEEDBACK_URL_<SOURCE>; absent: whatever the
   * environment says, and none there means no deliveries), its secret (default: the development
   * one), the retry schedule (FEEDBACK_RETRY_SCHEDULE_S) and the relay's interval (default 2 s).
   */
  feedback?: {
    urls?: Partial<Record<Source, string>>;
    secrets?: Partial<Record<Source, string>>;
    retryScheduleS?: readonly number[];
    relayIntervalS?: number;
  };
  /** The built console served at /console/ (default `console/dist`; console-build.ts builds it). */
  consoleDir?: string;
}

export interface LocalStack {
  url: string;
  dataDir: string;
  outboxFile: string;
  /** What the fake SMS provider sent (one JSON line per SMS, through its template). */
  smsFile: string;
  tableName: string;
  queues: ProvisionedQueues;
  assignmentQueueUrls: Record<string, string>;
  endpoints: { dynamodb: string; sqs: string };
  /** Runs one sweep now (tests, and what the timer calls). */
  sweepNow(): Promise<void>;
  /** Runs the feedback relay once now: queues every delivery whose time has come (contract 9). */
  relayFeedbackNow(): Promise<void>;
  /**
   * Local-run control for tests: resolves once every queue is empty (retries of failed messages
   * included) with no batch and no sweep running, i.e. the system has finished what it was given.
   * Rejects when that has not happened within `timeoutMs`.
   */
  settle(timeoutMs?: number): Promise<void>;
  /** Refuses new intake, drains queued work, saves leftover messages, stops everything. */
  stop(): Promise<void>;
}

const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

function handlerModulePath(name: string): string | undefined {
  for (const file of ['handler.ts', 'handler.js']) {
    const path = join(FUNCTIONS_DIR, name, file);
    if (existsSync(path)) return path;
  }
  return undefined;
}

async function importHandler<T>(name: string, optional: boolean): Promise<T | undefined> {
  const path = handlerModulePath(name);
  if (!path) {
    if (optional) return undefined;
    throw new LocalRunError(`functions/${name}/handler.ts is missing: the local run needs every handler.`);
  }
  // Imported through a variable so that the type checker does not tie this file to the handlers.
  const specifier = new URL(`../../functions/${name}/handler.js`, import.meta.url).href;
  const module = (await import(specifier)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new LocalRunError(`functions/${name}/handler.ts does not export a function named handler.`);
  }
  return module.handler as T;
}

/** Endpoints the real handlers were first loaded with: modules load once per process. */
let loadedWith: string | undefined;

async function loadHandlers(overrides: Partial<LocalHandlers>, endpoints: string): Promise<LocalHandlers> {
  // A run whose core handlers are all stand-ins (tests of the local run itself) gets no real feedback
  // sender unless it brings its own: the real one would bind this process to these emulators.
  const realRun = (['intake', 'api', 'route', 'notify'] as const).some((name) => !(name in overrides));
  const needsImport = realRun || (['sweep', 'reports'] as const).some((name) => !(name in overrides));
  if (needsImport) {
    if (loadedWith !== undefined && loadedWith !== endpoints) {
      throw new LocalRunError(
        'The handlers were already loaded in this process against other emulator ports; restart with the same dynamoDbPort and sqsPort.',
      );
    }
    loadedWith = endpoints;
  }
  const handlers: LocalHandlers = {
    intake: overrides.intake ?? (await importHandler<HttpHandler>('intake', false))!,
    api: overrides.api ?? (await importHandler<HttpHandler>('api', false))!,
    route: overrides.route ?? (await importHandler<SqsBatchHandler>('route', false))!,
    notify: overrides.notify ?? (await importHandler<SqsBatchHandler>('notify', false))!,
  };
  const sweep =
    'sweep' in overrides ? overrides.sweep : await importHandler<ScheduledHandlerLike>('sweep', true);
  if (sweep) handlers.sweep = sweep;
  const reports =
    'reports' in overrides ? overrides.reports : await importHandler<HttpHandler>('reports', true);
  if (reports) handlers.reports = reports;
  const feedback =
    'feedback' in overrides
      ? overrides.feedback
      : realRun
        ? await importHandler<NonNullable<LocalHandlers['feedback']>>('feedback', true)
        : undefined;
  if (feedback) handlers.feedback = feedback;
  return handlers;
}

export function httpRoutes(handlers: Pick<LocalHandlers, 'intake' | 'api' | 'reports'>): RouteSpec[] {
  const api = (method: string, path: string): RouteSpec => ({
    method,
    path,
    handler: handlers.api,
    functionName: 'api',
  });
  return [
    {
      method: 'POST',
      path: '/v1/tips/{source}',
      handler: handlers.intake,
      functionName: 'intake',
      refuseWhileStopping: true,
    },
    // The gateway answers /health itself (503 while the stack starts or stops).
    ...CASE_API_ROUTES.filter((key) => key !== 'GET /health').map((key) => api(...splitRouteKey(key))),
    ...(handlers.reports ? REPORTS_API_ROUTES.map((key) => reportsRoute(handlers.reports!, key)) : []),
  ];
}

function reportsRoute(handler: HttpHandler, key: (typeof REPORTS_API_ROUTES)[number]): RouteSpec {
  const [method, path] = splitReportsRouteKey(key);
  return { method, path, handler, functionName: 'reports' };
}

export function scheduledEvent(now: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:123456789012:rule/landline-sweep`],
    detail: {},
  };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  const outboxFile = join(dataDir, 'outbox.jsonl');
  const smsFile = join(dataDir, 'sms.jsonl');
  const queuesFile = join(dataDir, 'queues.json');
  const visibilityTimeoutS = options.visibilityTimeoutS ?? DEFAULT_VISIBILITY_TIMEOUT_S;
  // Cloud rule: visibility ≥ 6 × function timeout; the same ratio tells queue consumers their time
  // budget. The HTTP functions get their cloud timeout (intake and api: the same), whatever the
  // visibility: a test's short visibility must not turn a busy machine's slow request into a 503.
  const functionTimeoutMs = Math.max(1_000, (visibilityTimeoutS * 1_000) / 6);
  const httpFunctionTimeoutMs =
    Math.max(
      FUNCTION_TIMEOUT_SECONDS.intake,
      FUNCTION_TIMEOUT_SECONDS.api,
      FUNCTION_TIMEOUT_SECONDS.reports,
    ) * 1_000;
  const log = options.quiet ? () => {} : (options.log ?? ((line: string) => console.error(line)));
  await mkdir(dataDir, { recursive: true });

  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };

  try {
    // The port first: a taken port fails in milliseconds, before Java starts.
    const gateway: LocalGateway = await startGateway({
      port: options.port,
      functionTimeoutMs: httpFunctionTimeoutMs,
      log,
      site: consoleSite({
        distDir: options.consoleDir ?? CONSOLE_DIST,
        apiTokens: options.apiTokens,
        reminderLeadMinutes: reminderLeadMsFromEnv() / 60_000,
      }),
    });
    cleanups.push(() => gateway.close());

    const [dynamo, sqs] = await Promise.all([
      startDynamoDbLocal({
        ...(options.inMemoryDb ? {} : { dataDir: join(dataDir, 'dynamodb') }),
        ...(options.dynamoDbPort ? { port: options.dynamoDbPort } : {}),
      }).then((emulator: RunningEmulator) => {
        cleanups.push(() => emulator.stop());
        return emulator;
      }),
      startLocalSqs(options.sqsPort ? { port: options.sqsPort } : {}).then((emulator) => {
        cleanups.push(() => emulator.stop());
        return emulator;
      }),
    ]);

    const provisioned = await provision({
      dynamoDbEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      visibilityTimeoutS,
    });
    const queueUrls = allQueueUrls(provisioned.queues);
    const restored = await restoreQueueMessages({ sqsEndpoint: sqs.endpoint, queueUrls, file: queuesFile });
    if (restored > 0) log(`restored ${restored} queued message(s) from ${queuesFile}`);

    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      TABLE_NAME: provisioned.tableName,
      INTAKE_QUEUE_URL: provisioned.queues.intake.url,
      ASSIGNMENT_QUEUE_URLS: JSON.stringify(provisioned.assignmentQueueUrls),
      NOTIFY_MODE: 'outbox',
      OUTBOX_FILE: outboxFile,
      // SMS to the officers set with `npm run contacts -- --local`, through the fake provider.
      SMS_CHANNEL: 'fake',
      SMS_FAKE_FILE: smsFile,
      API_TOKENS: JSON.stringify(options.apiTokens),
      CURSOR_KEY: options.cursorKey ?? DEV_CURSOR_KEY,
      ...Object.fromEntries(SOURCES.map((source) => [sourceSecretVariable(source), options.secrets[source]])),
      REPORTER_KEY_FILE: join(dataDir, 'reporter.key'),
      SWEEP_INTERVAL_S: String(options.sweepIntervalS),
      POWERTOOLS_SERVICE_NAME: 'landline',
      // Contract 9: the feedback sender's queue and the sources' endpoints.
      FEEDBACK_QUEUE_URL: provisioned.queues.feedback.url,
      ...Object.fromEntries(
        SOURCES.map((source) => [
          feedbackSecretVariable(source),
          options.feedback?.secrets?.[source] ??
            (process.env[feedbackSecretVariable(source)] || DEV_FEEDBACK_SECRETS[source]),
        ]),
      ),
      ...Object.fromEntries(
        SOURCES.flatMap((source) => {
          const url = options.feedback?.urls?.[source];
          return url === undefined ? [] : [[feedbackUrlVariable(source), url]];
        }),
      ),
      ...(options.feedback?.retryScheduleS
        ? { FEEDBACK_RETRY_SCHEDULE_S: options.feedback.retryScheduleS.join(',') }
        : {}),
    });
    process.env.LOG_LEVEL ??= options.quiet ? 'ERROR' : 'INFO';
    // Metrics and traces have nowhere to go locally; EMF lines would only bury the logs.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'landline';
    process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';

    setLocalRunClock(options.clock);
    const handlers = await loadHandlers(options.handlers ?? {}, `${dynamo.endpoint} ${sqs.endpoint}`);

    const poller = (functionName: string, queue: QueuePair, handler: SqsBatchHandler) =>
      createQueuePoller({
        functionName,
        queueUrl: queue.url,
        queueArn: queue.arn,
        sqsEndpoint: sqs.endpoint,
        handler,
        functionTimeoutMs,
        log,
      });
    const intakePoller = poller('route', provisioned.queues.intake, handlers.route);
    const assignmentPollers = [
      ...AREA_IDS.map((area) => poller('notify', provisioned.queues.bureaus[area], handlers.notify)),
      poller('notify', provisioned.queues.triage, handlers.notify),
    ];
    const feedbackHandler = handlers.feedback;
    const feedbackPollers = feedbackHandler
      ? [poller('feedback', provisioned.queues.feedback, feedbackHandler as SqsBatchHandler)]
      : [];
    const pollers: QueuePoller[] = [intakePoller, ...assignmentPollers, ...feedbackPollers];
    for (const each of pollers) each.start();
    let pollersStopped = false;
    const stopPollers = async () => {
      if (pollersStopped) return;
      pollersStopped = true;
      await Promise.all(pollers.map((each) => each.stop()));
    };
    cleanups.push(stopPollers);

    let sweeping: Promise<void> | undefined;
    const sweepNow = async () => {
      if (!handlers.sweep) return;
      if (sweeping) return sweeping;
      const sweep = handlers.sweep;
      sweeping = (async () => {
        try {
          await sweep(scheduledEvent(options.clock?.now() ?? new Date()), lambdaContext('sweep', 60_000));
        } catch (error) {
          log(`sweep failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        } finally {
          sweeping = undefined;
        }
      })();
      return sweeping;
    };
    const sweepTimer = handlers.sweep
      ? setInterval(() => void sweepNow(), Math.max(1, options.sweepIntervalS) * 1_000)
      : undefined;
    sweepTimer?.unref();

    // The feedback relay: the cloud runs it every minute; locally every few seconds.
    let relaying: Promise<void> | undefined;
    const relayFeedbackNow = async () => {
      if (!feedbackHandler) return;
      if (relaying) return relaying;
      relaying = (async () => {
        try {
          await feedbackHandler(
            scheduledEvent(options.clock?.now() ?? new Date()),
            lambdaContext('feedback', 60_000),
          );
        } catch (error) {
          log(
            `feedback relay failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        } finally {
          relaying = undefined;
        }
      })();
      return relaying;
    };
    const relayIntervalS = options.feedback?.relayIntervalS ?? DEFAULT_FEEDBACK_RELAY_INTERVAL_S;
    const relayTimer = feedbackHandler
      ? setInterval(() => void relayFeedbackNow(), Math.max(0.1, relayIntervalS) * 1_000)
      : undefined;
    relayTimer?.unref();

    gateway.setRoutes(httpRoutes(handlers));
    gateway.setState('ready');

    /** Intake feeds the assignment queues, so drain in flow order and confirm with a second pass. */
    const drainAll = async (timeoutMs: number, untilEmpty: boolean): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      for (let pass = 0; ; pass += 1) {
        let drained = true;
        for (const each of pollers) {
          if (!(await each.drain(Math.max(0, deadline - Date.now()), { untilEmpty }))) drained = false;
        }
        if (drained && pass > 0) return true;
        if (Date.now() >= deadline || (!untilEmpty && pass >= 2)) return false;
      }
    };

    const settle = async (timeoutMs = 60_000) => {
      await sweeping;
      if (!(await drainAll(timeoutMs, true)))
        throw new LocalRunError(`the local run still had work queued after ${timeoutMs} ms`);
    };

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        gateway.setState('stopping');
        await drainAll(options.drainTimeoutMs ?? 15_000, false);
        if (sweepTimer) clearInterval(sweepTimer);
        if (relayTimer) clearInterval(relayTimer);
        await sweeping;
        await relaying;
        await stopPollers();
        const held = pollers.flatMap((each) => each.heldMessages());
        const saved = await saveQueueMessages({
          sqsEndpoint: sqs.endpoint,
          queueUrls,
          held,
          file: queuesFile,
        });
        if (saved > 0)
          log(`saved ${saved} queued message(s) to ${queuesFile}; they come back on the next start`);
        await cleanUp();
      })();
      return stopping;
    };

    return {
      url: gateway.url,
      dataDir,
      outboxFile,
      smsFile,
      tableName: provisioned.tableName,
      queues: provisioned.queues,
      assignmentQueueUrls: provisioned.assignmentQueueUrls,
      endpoints: { dynamodb: dynamo.endpoint, sqs: sqs.endpoint },
      sweepNow,
      relayFeedbackNow,
      settle,
      stop,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
