/**
 * The OpenAPI 3.1 document of the external contract, generated so that it cannot drift from the
 * code: bodies, responses, query parameters and webhook headers from the zod schemas that validate
 * or shape them; every error status, code and Retry-After from the error mapper's table; the
 * intake paths from the source modules; the case API paths from CASE_API_ROUTES (its type makes
 * every route have an operation here). What is written by hand is prose. Built once per process.
 */
import { z } from 'zod';
import { caseEventBodySchema } from '../domain/case-events.js';
import {
  auditPageSchema,
  caseListSchema,
  caseViewSchema,
  ledgerViewSchema,
  tipStatusSchema,
} from '../domain/case-view-schema.js';
import { InvalidTransitionError, UnsupportedEventError } from '../domain/errors.js';
import { FEEDBACK_TYPES } from '../domain/feedback.js';
import { deliveryListSchema, deliveryViewSchema, feedbackBodySchema } from '../domain/feedback-schema.js';
import { SOURCES, type Source } from '../domain/model.js';
import { patrolBodySchema } from '../domain/patrol-input.js';
import { complianceViewSchema, patrolListSchema, patrolViewSchema } from '../domain/patrol-view-schema.js';
import { SOURCE_MODULES } from '../domain/sources/index.js';
import type { AcceptedTip } from '../usecases/accept-tip.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ThrottledError,
  TooLateError,
  UnavailableError,
  UnknownTipError,
  ValidationError,
} from '../usecases/errors.js';
import { CASE_API_ROUTES, type CaseApiRoute, splitRouteKey } from './case-api-routes.js';
import { deliveryListQuerySchema } from './delivery-query.js';
import { ERROR_ANSWERS, ERROR_CODES, type ErrorClass } from './error-responses.js';
import {
  InvalidCursorError,
  InvalidJsonError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnknownSourceError,
  UnsupportedMediaTypeError,
} from './errors.js';
import { MAX_BODY_BYTES } from './intake.js';
import { complianceQuerySchema, MAX_PATROL_BODY_BYTES, patrolListQueryFields } from './patrol-routes.js';
import { auditQuerySchema, caseListQuerySchema, caseViewQuerySchema, ledgerQuerySchema } from './query.js';
import { type OpenApiHelpers, reportsPaths, reportsSchemas } from './reports-openapi.js';
import { webhookHeadersSchema } from './webhook.js';

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
}

const errorSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string().describe('Human-readable; never echoes submitted values.'),
    details: z
      .array(
        z.object({
          path: z.string().describe('Dot-joined field path, e.g. location.address'),
          message: z.string(),
        }),
      )
      .optional()
      .describe('For validation_failed: one entry per failing field.'),
  }),
});

const tipAcceptedSchema = z.object({
  tipId: z.string().regex(/^tip_[a-z2-7]{26}$/),
  status: z.literal('queued'),
}) satisfies z.ZodType<AcceptedTip>;

const healthSchema = z.object({ status: z.literal('ok') });

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (name: 'Unauthenticated' | 'Forbidden') => ({ $ref: `#/components/responses/${name}` });
const json = (schema: JsonObject) => ({ 'application/json': { schema } });

/** `city-management` → `TipCityManagement`: the component name of a source's body. */
const tipSchemaName = (source: Source) =>
  `Tip${source.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase())}`;

/** The source schemas' future-timestamp rule needs a clock; the document's is the system's. */
const documentationClock = { now: () => new Date() };

function answerOf(errorClass: ErrorClass) {
  const answer = ERROR_ANSWERS.get(errorClass);
  if (!answer) throw new Error(`${errorClass.name} has no row in the error table`);
  return answer;
}

/** One documented error status: its errors must share the status the mapper gives them. */
function errorResponse(description: string, errors: readonly ErrorClass[]): [status: string, JsonObject] {
  const answers = errors.map(answerOf);
  const statuses = new Set(answers.map((answer) => answer.status));
  if (statuses.size !== 1) throw new Error(`"${description}" mixes statuses ${[...statuses].join(', ')}`);
  const retryAfter = answers.some((answer) => answer.retryAfterSeconds !== undefined);
  return [
    String([...statuses][0]),
    {
      description: `${description} (code: ${answers.map((answer) => answer.code).join(' or ')})`,
      ...(retryAfter
        ? {
            headers: {
              'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
            },
          }
        : {}),
      content: json(ref('Error')),
    },
  ];
}

/** The error responses of an operation, each as `[description, the errors answered with it]`. */
const errorResponses = (...responses: Array<[string, readonly ErrorClass[]]>): JsonObject =>
  Object.fromEntries(responses.map(([description, errors]) => errorResponse(description, errors)));

const authenticationFailures: JsonObject = {
  [answerOf(UnauthenticatedError).status]: errorRef('Unauthenticated'),
  [answerOf(ForbiddenError).status]: errorRef('Forbidden'),
};

/** For one tip: a tip the caller may not see is answered 404 like one that does not exist. */
const unauthenticatedOnly: JsonObject = {
  [answerOf(UnauthenticatedError).status]: errorRef('Unauthenticated'),
};

/** An object schema's members as OpenAPI parameters: type, limits and description from the schema. */
function parameters(
  schema: z.ZodObject,
  location: 'query' | 'header',
  options: { required?: readonly string[] } = {},
): JsonObject[] {
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...member }]) => ({
    name,
    in: location,
    ...(required.includes(name) || options.required?.includes(name) ? { required: true } : {}),
    ...(description === undefined ? {} : { description }),
    schema: member,
  }));
}

const pathParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

const bearer = [{ bearerAuth: [] }];
const MAX_BODY_KIB = MAX_BODY_BYTES / 1024;

const unsupportedEventResponse = (description: string): [string, readonly ErrorClass[]] => [
  description,
  [UnsupportedEventError],
];

/** `city-management` → `FollowUpCityManagement`: the component name of a source's follow-up body. */
const followUpSchemaName = (source: Source) => tipSchemaName(source).replace(/^Tip/, 'FollowUp');

function intakeOperation(source: Source): JsonObject {
  const { documentation, example, unsupportedEvents, followUps } = SOURCE_MODULES[source];
  const body = followUps
    ? { oneOf: [ref(tipSchemaName(source)), ref(followUpSchemaName(source))] }
    : ref(tipSchemaName(source));
  return {
    post: {
      operationId: `submitTip_${source.replace(/-/g, '_')}`,
      tags: ['intake'],
      summary: documentation.summary,
      description:
        `Body: JSON, UTF-8, at most ${MAX_BODY_KIB} KiB. Unknown fields are ignored. The tip id is derived from the source and its external id: a retry answers 202 with the same tipId and never makes a second case; a later submission with the same external id and different content is an amendment.` +
        (followUps
          ? ' A follow-up (contract 9: urge, callback, withdrawal) names the source’s own id of an earlier tip; it answers 202 with that tip’s id, is applied to its case in order with the tip, once per webhook-id (a new urge with a new webhook-id counts again), and answers 404 unknown_tip for an id landline has no case for yet.'
          : ''),
      parameters: parameters(webhookHeadersSchema, 'header'),
      requestBody: {
        required: true,
        content: { 'application/json': { schema: body, example } },
      },
      responses: {
        '202': { description: 'The tip is durably queued.', content: json(ref('TipAccepted')) },
        ...errorResponses(
          [
            'Body is not a JSON object, or does not match the source format',
            [InvalidJsonError, ValidationError],
          ],
          ['Missing, malformed or wrong signature, or stale timestamp', [UnauthenticatedError]],
          followUps
            ? [
                'Unknown source, or a follow-up naming an id landline has no case for',
                [UnknownSourceError, UnknownTipError],
              ]
            : ['Unknown source', [UnknownSourceError]],
          [`Body larger than ${MAX_BODY_KIB} KiB`, [PayloadTooLargeError]],
          ['Content-Type is not application/json (charset utf-8)', [UnsupportedMediaTypeError]],
          ...(unsupportedEvents ? [unsupportedEventResponse(unsupportedEvents.documentation)] : []),
          ['Throttled; nothing was queued, safe to retry', [ThrottledError]],
          ['Temporarily unavailable; nothing was queued, safe to retry', [UnavailableError]],
        ),
      },
    },
  };
}

const PATROL_BODY_KIB = MAX_PATROL_BODY_BYTES / 1024;

/** The patrol endpoints (contract section 7). */
const PATROL_OPERATIONS = {
  'POST /v1/patrols': {
    operationId: 'recordPatrol',
    tags: ['patrols'],
    summary: 'Record one patrol (巡查); each finding becomes a case of source patrol',
    description: `A bureau records only \`bureau\` patrols of its own area, a district leader only \`leader\` patrols in its district, the brigade \`brigade\`, \`spot_check\` and \`supervision\` patrols of any area. Body: JSON, at most ${PATROL_BODY_KIB} KiB; unknown fields are ignored. A patrol may be recorded until 23:59:59 of the second working day after it ended (holidays and 调休 counted). Each finding becomes a case in the patrol's area, already acknowledged and inspected with a confirmed violation, its stop deadline counted from \`endedAt\` (met at once with \`stopped: true\`), assigned to the bureau like a routed tip. A \`clientId\` makes the request idempotent per caller: the same clientId again answers 200 with the patrol stored the first time (its content as stored then).`,
    security: bearer,
    requestBody: { required: true, content: json(ref('PatrolInput')) },
    responses: {
      '201': { description: 'The stored patrol.', content: json(ref('Patrol')) },
      '200': {
        description: 'This clientId was recorded before by the caller: that patrol, unchanged.',
        content: json(ref('Patrol')),
      },
      ...errorResponses([
        'Body is not valid (every failing field named)',
        [InvalidJsonError, ValidationError],
      ]),
      ...authenticationFailures,
      ...errorResponses(
        [`Body larger than ${PATROL_BODY_KIB} KiB`, [PayloadTooLargeError]],
        ['Content-Type is not application/json', [UnsupportedMediaTypeError]],
        ['Recorded after 23:59:59 of the second working day after the patrol ended', [TooLateError]],
      ),
    },
  },
  'GET /v1/patrols': {
    operationId: 'listPatrols',
    tags: ['patrols'],
    summary:
      "Patrols the caller may see, newest first: the brigade all, a bureau its own area's, a leader its district's",
    security: bearer,
    parameters: parameters(patrolListQueryFields, 'query'),
    responses: {
      '200': { description: 'One page.', content: json(ref('PatrolList')) },
      ...errorResponses([
        'Invalid query, or a cursor this API did not hand to this caller for this query',
        [ValidationError, InvalidCursorError],
      ]),
      ...authenticationFailures,
    },
  },
  'GET /v1/patrols/compliance': {
    operationId: 'getPatrolCompliance',
    tags: ['patrols'],
    summary: 'Patrol frequency of a week (bureaus), month (brigade) or quarter (leaders): met, open or short',
    description:
      'A patrol counts in the period of its startedAt (Asia/Shanghai). `met` as soon as done ≥ required; `open` while below and not yet decided; `short` once decided below, at the end of the grace (the second working day after the period). The brigade sees every row, a bureau its own, a leader its own and those about its district.',
    security: bearer,
    parameters: parameters(complianceQuerySchema, 'query', { required: ['period'] }),
    responses: {
      '200': { description: 'The period.', content: json(ref('PatrolCompliance')) },
      ...errorResponses(['period missing or not a week, month or quarter', [ValidationError]]),
      ...authenticationFailures,
    },
  },
} satisfies Record<string, JsonObject>;

/** Every route of the case API and its operation: the record's type makes each route documented. */
const CASE_API_OPERATIONS: Record<CaseApiRoute, JsonObject> = {
  'GET /health': {
    operationId: 'health',
    tags: ['operations'],
    summary: 'Liveness: 200 once every part of the pipeline is ready',
    responses: { '200': { description: 'Ready.', content: json(jsonSchema(healthSchema, 'output')) } },
  },
  'GET /openapi.json': {
    operationId: 'openApiDocument',
    tags: ['operations'],
    summary: 'This document',
    responses: { '200': { description: 'OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
  },
  'GET /v1/tips/{tipId}': {
    operationId: 'getTipStatus',
    tags: ['cases'],
    summary: 'Status of a tip: routed, triage or merged, and its case',
    security: bearer,
    parameters: [pathParameter('tipId', 'The tipId returned by intake.')],
    responses: {
      '200': { description: 'The tip.', content: json(ref('TipStatus')) },
      ...unauthenticatedOnly,
      ...errorResponses([
        "Unknown tip, still queued, not a tip id, or not the caller's to see (the same answer for each)",
        [NotFoundError],
      ]),
    },
  },
  'GET /v1/cases': {
    operationId: 'listCases',
    tags: ['cases'],
    summary: "Cases the caller may see, newest first; a bureau sees its own area's only",
    security: bearer,
    parameters: parameters(caseListQuerySchema, 'query'),
    responses: {
      '200': { description: 'One page.', content: json(ref('CaseList')) },
      ...errorResponses([
        'Invalid query, or a cursor this API did not hand to this caller for this query',
        [ValidationError, InvalidCursorError],
      ]),
      ...authenticationFailures,
    },
  },
  'GET /v1/cases/{caseId}': {
    operationId: 'getCase',
    tags: ['cases'],
    summary: 'One case; reporter contact data only for principals allowed to see it (audited)',
    security: bearer,
    parameters: [pathParameter('caseId', 'The case id.'), ...parameters(caseViewQuerySchema, 'query')],
    responses: {
      '200': { description: 'The case.', content: json(ref('Case')) },
      ...errorResponses(['reason too long', [ValidationError]]),
      // Contract 3: a case that exists outside the caller's area or role is 403, on purpose.
      ...authenticationFailures,
      ...errorResponses(
        ['Unknown case, or not a case id', [NotFoundError]],
        ['The audit record could not be written, so nothing was decrypted; retry', [UnavailableError]],
      ),
    },
  },
  'POST /v1/cases/{caseId}/events': {
    operationId: 'postCaseEvent',
    tags: ['cases'],
    summary:
      'Record what was done on a case (acknowledge, inspect, stop, notify_town, close, reassign, comment, request_extension, approve_extension, reject_extension, return, split, merge)',
    description:
      '`stop` only after an inspection confirmed a violation; `notify_town` only after a failed stop or a passed stop deadline; only `comment` after `close`; `reassign`, `split` and `merge` are for the brigade only. Contract 9: `request_extension` (the bureau; `dueAt` later than the current close deadline, else 400 naming dueAt; while the close deadline is unmet and no request is pending) and `approve_extension` / `reject_extension` (the brigade; the close deadline moves only on approval); `return` (退单, the brigade, before inspection; closes the case with outcome `returned`); `close` takes `reply` (答复内容) and `resolution` (default resolved). What the sources hear of each: see the webhooks. Contract 10: `split {tipId}` makes a tip that joined this case its own case, routed as new (deadlines from its own receipt, its own assignment) and never matched again; the tip that opened the case cannot be split off. `merge {intoCaseId}` closes this case with outcome `merged` and moves its tips to that open case of the same area (their status then says `merged`); the answer is this case.',
    security: bearer,
    parameters: [pathParameter('caseId', 'The case id.')],
    requestBody: { required: true, content: json(ref('CaseEvent')) },
    responses: {
      '200': { description: 'The updated case.', content: json(ref('Case')) },
      ...errorResponses([
        'Body is not valid, or a field does not fit the case (an extension not after the deadline)',
        [InvalidJsonError, ValidationError],
      ]),
      ...authenticationFailures,
      ...errorResponses(
        ['Unknown case, or not a case id', [NotFoundError]],
        [
          "The case's state does not allow this event, or its eventId was used for another event",
          [InvalidTransitionError, ConflictError],
        ],
      ),
    },
  },
  'GET /v1/ledger': {
    operationId: 'getLedger',
    tags: ['cases'],
    summary: 'The accountability ledger of one year: admonishments, criticisms and one-vote vetoes',
    description:
      'A breached acknowledge, inspect, stop or notify_town deadline is an admonishment (诫勉谈话) of the bureau; a confirmed violation still not stopped when its close deadline passes is a criticism (通报批评); the second criticism of a bureau in a calendar year is a one-vote veto (一票否决). Brigade only.',
    security: bearer,
    parameters: parameters(ledgerQuerySchema, 'query'),
    responses: {
      '200': { description: 'The ledger.', content: json(ref('Ledger')) },
      ...errorResponses(['Invalid query', [ValidationError]]),
      ...authenticationFailures,
    },
  },
  'GET /v1/deliveries': {
    operationId: 'listDeliveries',
    tags: ['feedback'],
    summary: 'Feedback deliveries to the sources, newest first, with every attempt. Brigade only.',
    description:
      'One delivery per feedback event and tip (its deliveryId is the webhook-id of every attempt). Attempts record status, latency and response code. Without `source`, every source’s deliveries in turn.',
    security: bearer,
    parameters: parameters(deliveryListQuerySchema, 'query'),
    responses: {
      '200': { description: 'One page.', content: json(ref('DeliveryList')) },
      ...errorResponses([
        'Invalid query, or a cursor this API did not hand to this caller for this query',
        [ValidationError, InvalidCursorError],
      ]),
      ...authenticationFailures,
    },
  },
  'POST /v1/deliveries/{deliveryId}/retry': {
    operationId: 'retryDelivery',
    tags: ['feedback'],
    summary: 'Send a settled delivery (failed, disabled, skipped or succeeded) once more. Brigade only.',
    description:
      'One more attempt, within a minute (the sender’s relay queues it), even to an endpoint disabled after a 410: a 2xx answer enables the endpoint again. The webhook-id and body stay those of the delivery.',
    security: bearer,
    parameters: [pathParameter('deliveryId', 'The delivery id (msg_…).')],
    responses: {
      '202': { description: 'The delivery, pending its attempt.', content: json(ref('Delivery')) },
      ...authenticationFailures,
      ...errorResponses(
        ['Unknown delivery, or not a delivery id', [NotFoundError]],
        ['The delivery is still on its retry schedule, or changed meanwhile', [ConflictError]],
      ),
    },
  },
  'GET /v1/audit': {
    operationId: 'listAuditRecords',
    tags: ['cases'],
    summary: "Who opened a case's reporter identity, when and why (oldest first). Brigade only.",
    security: bearer,
    // caseId is required; the use case says so only after the role check, so its schema cannot.
    parameters: parameters(auditQuerySchema, 'query', { required: ['caseId'] }),
    responses: {
      '200': { description: 'One page.', content: json(ref('AuditPage')) },
      ...errorResponses([
        'caseId missing or invalid query, or a cursor this API did not hand to this caller for this query',
        [ValidationError, InvalidCursorError],
      ]),
      ...authenticationFailures,
      ...errorResponses(['Unknown case', [NotFoundError]]),
    },
  },
  ...PATROL_OPERATIONS,
};

/** What the reports API's part of the document (reports-openapi.ts) builds with. */
const reportsHelpers: OpenApiHelpers = {
  jsonSchema: (schema, io) => jsonSchema(schema as z.ZodType, io),
  errorResponses,
  queryParameters: (schema) => parameters(schema as z.ZodObject, 'query'),
  authenticationFailures,
};

function build(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const source of SOURCES) paths[`/v1/tips/${source}`] = intakeOperation(source);
  for (const route of CASE_API_ROUTES) {
    const [method, path] = splitRouteKey(route);
    paths[path] = { ...paths[path], [method.toLowerCase()]: CASE_API_OPERATIONS[route] };
  }
  Object.assign(paths, reportsPaths(reportsHelpers));

  const sourceSchemas = Object.fromEntries(
    SOURCES.map((source) => {
      const { documentation, schema } = SOURCE_MODULES[source];
      return [
        tipSchemaName(source),
        { title: documentation.title, ...jsonSchema(schema(documentationClock), 'input') },
      ];
    }),
  );
  const followUpSchemas = Object.fromEntries(
    SOURCES.flatMap((source) => {
      const followUps = SOURCE_MODULES[source].followUps;
      if (!followUps) return [];
      return [
        [
          followUpSchemaName(source),
          {
            title: followUps.documentation.title,
            ...jsonSchema(followUps.schema(documentationClock), 'input'),
          },
        ],
      ];
    }),
  );
  // Contract 9: what landline sends each source's feedback endpoint (OpenAPI 3.1 webhooks).
  const webhooks = Object.fromEntries(
    FEEDBACK_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `feedback_${type.replace('.', '_')}`,
          tags: ['feedback'],
          summary: `Feedback ${type} to the source’s endpoint`,
          description:
            'Signed like intake (Standard Webhooks headers, the source’s feedback secret); webhook-id stable across retries. 2xx is success; anything else, a timeout (15 s) or a refused connection is retried on the Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, with jitter; Retry-After honoured on 429/503); 410 disables the endpoint. Never carries reporter data.',
          parameters: parameters(webhookHeadersSchema, 'header'),
          requestBody: { required: true, content: json(jsonSchema(feedbackBodySchema(type), 'output')) },
          responses: {
            '2XX': { description: 'Received.' },
            '410': { description: 'The endpoint is gone: landline stops sending and tells the brigade.' },
          },
        },
      },
    ]),
  );

  return {
    openapi: '3.1.0',
    info: {
      title: 'landline',
      version: '1',
      description:
        'Intake of tips about illegal land use from 12336, 12345 and 数字城管, and the case API of the land enforcement bureau of 常熟市.',
    },
    tags: [
      { name: 'intake' },
      { name: 'cases' },
      { name: 'patrols' },
      { name: 'reports' },
      { name: 'feedback' },
      { name: 'operations' },
    ],
    paths,
    webhooks,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            "Token issued per principal, or (cloud) a JWT of the console's Cognito user pool, whose group names the principal.",
        },
      },
      schemas: {
        ...sourceSchemas,
        ...followUpSchemas,
        TipAccepted: jsonSchema(tipAcceptedSchema, 'output'),
        TipStatus: jsonSchema(tipStatusSchema, 'output'),
        Case: jsonSchema(caseViewSchema, 'output'),
        CaseList: jsonSchema(caseListSchema, 'output'),
        CaseEvent: jsonSchema(caseEventBodySchema, 'input'),
        AuditPage: jsonSchema(auditPageSchema, 'output'),
        Ledger: jsonSchema(ledgerViewSchema, 'output'),
        PatrolInput: jsonSchema(patrolBodySchema, 'input'),
        Patrol: jsonSchema(patrolViewSchema, 'output'),
        PatrolList: jsonSchema(patrolListSchema, 'output'),
        PatrolCompliance: jsonSchema(complianceViewSchema, 'output'),
        Delivery: jsonSchema(deliveryViewSchema, 'output'),
        DeliveryList: jsonSchema(deliveryListSchema, 'output'),
        Error: jsonSchema(errorSchema, 'output'),
        ...reportsSchemas(reportsHelpers),
      },
      responses: {
        Unauthenticated: errorResponse('Missing or invalid bearer token', [UnauthenticatedError])[1],
        Forbidden: errorResponse("Outside the caller's area or role", [ForbiddenError])[1],
      },
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

let document: JsonObject | undefined;

/** The OpenAPI document, built on first use and shared (frozen) afterwards. */
export function buildOpenApiDocument(): JsonObject {
  document ??= deepFreeze(build());
  return document;
}
