/**
 * The OpenAPI 3.1 document of the external contract, generated from the same zod schemas that
 * validate requests, so the document cannot drift from the code. Built once per process.
 */
import { z } from 'zod';
import { caseEventBodySchema } from '../domain/case-events.js';
import {
  auditPageSchema,
  caseListSchema,
  caseViewSchema,
  tipStatusSchema,
} from '../domain/case-view-schema.js';
import { AREA_IDS, CASE_STATUSES, DEADLINE_KINDS, SOURCES, type Source } from '../domain/model.js';
import { SOURCE_MODULES } from '../domain/sources/index.js';
import { MAX_AUDIT_REASON_CHARS } from '../usecases/audit.js';
import { ERROR_CODES } from './error-responses.js';
import { WEBHOOK_TOLERANCE_SECONDS } from './webhook.js';

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
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** `city-management` → `TipCityManagement`: the component name of a source's body. */
const tipSchemaName = (source: Source) =>
  `Tip${source.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase())}`;

/** The source schemas' future-timestamp rule needs a clock; the document's is the system's. */
const documentationClock = { now: () => new Date() };

function errorResponse(description: string, codes: readonly string[], retryAfter = false): JsonObject {
  return {
    description: `${description} (code: ${codes.join(' or ')})`,
    ...(retryAfter
      ? {
          headers: {
            'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
          },
        }
      : {}),
    content: { 'application/json': { schema: ref('Error') } },
  };
}

const webhookHeaders = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'Unique id of this delivery (Standard Webhooks). A retry of the same tip may use a new id.',
    schema: { type: 'string', maxLength: 256 },
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: `Unix seconds when the delivery was signed; rejected when more than ${WEBHOOK_TOLERANCE_SECONDS} s from the server time.`,
    schema: { type: 'string', pattern: '^[0-9]{1,12}$' },
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'Space-separated list of `v1,<base64 HMAC-SHA256>` over `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed with the base64-decoded part of the source secret `whsec_<base64>`. Any one valid signature is enough (secret rotation).',
    schema: { type: 'string' },
  },
];

function intakeOperation(source: Source): JsonObject {
  const { documentation, example, unsupportedEvents } = SOURCE_MODULES[source];
  return {
    post: {
      operationId: `submitTip_${source.replace(/-/g, '_')}`,
      tags: ['intake'],
      summary: documentation.summary,
      description:
        'Body: JSON, UTF-8, at most 256 KiB. Unknown fields are ignored. The tip id is derived from the source and its external id: a retry answers 202 with the same tipId and never makes a second case; a later submission with the same external id and different content is an amendment.',
      parameters: webhookHeaders,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref(tipSchemaName(source)), example } },
      },
      responses: {
        '202': {
          description: 'The tip is durably queued.',
          content: { 'application/json': { schema: ref('TipAccepted') } },
        },
        '400': errorResponse('Body is not a JSON object, or does not match the source format', [
          'invalid_json',
          'validation_failed',
        ]),
        '401': errorResponse('Missing, malformed or wrong signature, or stale timestamp', [
          'unauthenticated',
        ]),
        '404': errorResponse('Unknown source', ['unknown_source']),
        '413': errorResponse('Body larger than 256 KiB', ['payload_too_large']),
        '415': errorResponse('Content-Type is not application/json (charset utf-8)', [
          'unsupported_media_type',
        ]),
        ...(unsupportedEvents
          ? { '422': errorResponse(unsupportedEvents.documentation, ['unsupported_event']) }
          : {}),
        '429': errorResponse('Throttled; nothing was queued, safe to retry', ['throttled'], true),
        '503': errorResponse(
          'Temporarily unavailable; nothing was queued, safe to retry',
          ['unavailable'],
          true,
        ),
      },
    },
  };
}

const bearer = [{ bearerAuth: [] }];

/** `GET /v1/ledger` (issue 4): the accountability ledger, brigade only. */
function ledgerPath(): JsonObject {
  const text = { type: 'string' };
  const entry = {
    type: 'object',
    required: ['entryId', 'year', 'bureau', 'kind', 'caseId', 'caseNo', 'deadline', 'dueAt', 'breachedAt'],
    properties: {
      entryId: { ...text, description: '<caseId>#<deadline>#<kind>: one entry per breach' },
      year: { type: 'integer' },
      bureau: { ...text, description: 'bureau:<area>' },
      kind: { type: 'string', enum: ['admonishment', 'criticism'], description: '诫勉谈话 or 通报批评' },
      caseId: text,
      caseNo: text,
      deadline: { type: 'string', enum: [...DEADLINE_KINDS] },
      dueAt: { type: 'string', format: 'date-time' },
      breachedAt: { type: 'string', format: 'date-time' },
      chief: { ...text, description: "The bureau's chief, from the acting tokens, or unknown" },
      officer: { ...text, description: 'The officer directly in charge, or unknown' },
      reason: text,
      recordedAt: { type: 'string', format: 'date-time' },
    },
  };
  return {
    get: {
      operationId: 'getLedger',
      tags: ['cases'],
      summary: 'The accountability ledger of one year: admonishments, criticisms and one-vote vetoes',
      description:
        'A breached acknowledge, inspect, stop or notify_town deadline is an admonishment (诫勉谈话) of the bureau; a confirmed violation still not stopped when its close deadline passes is a criticism (通报批评); the second criticism of a bureau in a calendar year is a one-vote veto (一票否决). Brigade only.',
      security: bearer,
      parameters: [
        {
          name: 'year',
          in: 'query',
          description: 'Calendar year of the missed deadlines; default: the current year in Asia/Shanghai.',
          schema: { type: 'integer', minimum: 2000, maximum: 2100 },
        },
        {
          name: 'bureau',
          in: 'query',
          description: 'Only this bureau: an area id or bureau:<area>.',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': {
          description: 'The ledger.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['year', 'entries', 'vetoes'],
                properties: {
                  year: { type: 'integer' },
                  entries: { type: 'array', items: entry },
                  vetoes: { type: 'array', items: { ...text, description: 'bureau:<area>' } },
                },
              },
            },
          },
        },
        '400': errorResponse('Invalid query', ['validation_failed']),
        '401': errorRef('Unauthenticated'),
        '403': errorRef('Forbidden'),
      },
    },
  };
}

const pathParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

function build(): JsonObject {
  const paths: JsonObject = {
    '/health': {
      get: {
        operationId: 'health',
        tags: ['operations'],
        summary: 'Liveness: 200 once every part of the pipeline is ready',
        responses: {
          '200': {
            description: 'Ready.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] },
              },
            },
          },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        tags: ['operations'],
        summary: 'This document',
        responses: {
          '200': {
            description: 'OpenAPI 3.1 document.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  };
  for (const source of SOURCES) {
    paths[`/v1/tips/${source}`] = intakeOperation(source);
  }
  paths['/v1/tips/{tipId}'] = {
    get: {
      operationId: 'getTipStatus',
      tags: ['cases'],
      summary: 'Status of a tip: routed, triage or merged, and its case',
      security: bearer,
      parameters: [pathParameter('tipId', 'The tipId returned by intake.')],
      responses: {
        '200': { description: 'The tip.', content: { 'application/json': { schema: ref('TipStatus') } } },
        '401': errorRef('Unauthenticated'),
        '403': errorRef('Forbidden'),
        '404': errorResponse('Unknown tip, or still queued', ['not_found']),
      },
    },
  };
  paths['/v1/cases'] = {
    get: {
      operationId: 'listCases',
      tags: ['cases'],
      summary: "Cases the caller may see, newest first; a bureau sees its own area's only",
      security: bearer,
      parameters: [
        { name: 'area', in: 'query', schema: { type: 'string', enum: [...AREA_IDS, 'triage'] } },
        { name: 'status', in: 'query', schema: { type: 'string', enum: [...CASE_STATUSES] } },
        {
          name: 'overdue',
          in: 'query',
          description:
            'true: only cases not closed with at least one unmet deadline past its due instant (breached deadlines included, escalated or not).',
          schema: { type: 'string', enum: ['true', 'false'] },
        },
        { name: 'cursor', in: 'query', description: 'From the previous page.', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      ],
      responses: {
        '200': { description: 'One page.', content: { 'application/json': { schema: ref('CaseList') } } },
        '400': errorResponse('Invalid query', ['validation_failed']),
        '401': errorRef('Unauthenticated'),
        '403': errorRef('Forbidden'),
      },
    },
  };
  paths['/v1/cases/{caseId}'] = {
    get: {
      operationId: 'getCase',
      tags: ['cases'],
      summary: 'One case; reporter contact data only for principals allowed to see it (audited)',
      security: bearer,
      parameters: [
        pathParameter('caseId', 'The case id.'),
        {
          name: 'reason',
          in: 'query',
          description: `Why the caller looks, recorded in the audit trail when the reporter is shown; default "case view". Whitespace is collapsed.`,
          schema: { type: 'string', maxLength: MAX_AUDIT_REASON_CHARS },
        },
      ],
      responses: {
        '200': { description: 'The case.', content: { 'application/json': { schema: ref('Case') } } },
        '400': errorResponse('reason too long', ['validation_failed']),
        '401': errorRef('Unauthenticated'),
        '403': errorRef('Forbidden'),
        '404': errorResponse('Unknown case', ['not_found']),
        '503': errorResponse(
          'The audit record could not be written, so nothing was decrypted; retry',
          ['unavailable'],
          true,
        ),
      },
    },
  };
  paths['/v1/cases/{caseId}/events'] = {
    post: {
      operationId: 'postCaseEvent',
      tags: ['cases'],
      summary:
        'Record what was done on a case (acknowledge, inspect, stop, notify_town, close, reassign, comment)',
      description:
        '`stop` only after an inspection confirmed a violation; `notify_town` only after a failed stop or a passed stop deadline; only `comment` after `close`; `reassign` is for the brigade only.',
      security: bearer,
      parameters: [pathParameter('caseId', 'The case id.')],
      requestBody: { required: true, content: { 'application/json': { schema: ref('CaseEvent') } } },
      responses: {
        '200': { description: 'The updated case.', content: { 'application/json': { schema: ref('Case') } } },
        '400': errorResponse('Body is not valid', ['invalid_json', 'validation_failed']),
        '401': errorRef('Unauthenticated'),
        '403': errorRef('Forbidden'),
        '404': errorResponse('Unknown case', ['not_found']),
        '409': errorResponse(
          "The case's state does not allow this event, or its eventId was used for another event",
          ['invalid_transition', 'conflict'],
        ),
      },
    },
  };
  paths['/v1/ledger'] = ledgerPath();
  paths['/v1/audit'] = {
    get: {
      operationId: 'listAuditRecords',
      tags: ['cases'],
      summary: "Who opened a case's reporter identity, when and why (oldest first). Brigade only.",
      security: bearer,
      parameters: [
        { name: 'caseId', in: 'query', required: true, description: 'The case.', schema: { type: 'string' } },
        { name: 'cursor', in: 'query', description: 'From the previous page.', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
      ],
      responses: {
        '200': { description: 'One page.', content: { 'application/json': { schema: ref('AuditPage') } } },
        '400': errorResponse('caseId missing or invalid query', ['validation_failed']),
        '401': errorRef('Unauthenticated'),
        '403': errorRef('Forbidden'),
        '404': errorResponse('Unknown case', ['not_found']),
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'landline',
      version: '1',
      description:
        'Intake of tips about illegal land use from 12336, 12345 and 数字城管, and the case API of the land enforcement bureau of 常熟市.',
    },
    tags: [{ name: 'intake' }, { name: 'cases' }, { name: 'operations' }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Token issued per principal.' },
      },
      schemas: {
        ...Object.fromEntries(
          SOURCES.map((source) => {
            const { documentation, schema } = SOURCE_MODULES[source];
            const body = jsonSchema(schema(documentationClock), 'input');
            return [tipSchemaName(source), { title: documentation.title, ...body }];
          }),
        ),
        TipAccepted: jsonSchema(tipAcceptedSchema, 'output'),
        TipStatus: jsonSchema(tipStatusSchema, 'output'),
        Case: jsonSchema(caseViewSchema, 'output'),
        CaseList: jsonSchema(caseListSchema, 'output'),
        CaseEvent: jsonSchema(caseEventBodySchema, 'input'),
        AuditPage: jsonSchema(auditPageSchema, 'output'),
        Error: jsonSchema(errorSchema, 'output'),
      },
      responses: {
        Unauthenticated: errorResponse('Missing or invalid bearer token', ['unauthenticated']),
        Forbidden: errorResponse("Outside the caller's area or role", ['forbidden']),
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
