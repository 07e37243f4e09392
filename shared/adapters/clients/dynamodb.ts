/**
 * The DynamoDB document client, created once per execution environment at module scope so warm
 * invocations reuse its connections, and captured by the tracer (an X-Ray subsegment per call).
 * One module per service: a function loads only the SDK clients it uses, which is most of a cold
 * start. Endpoints come from the SDK's own AWS_ENDPOINT_URL_* variables (the local run sets them),
 * never from code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../../observability.js';

// The document client shares the captured client's middleware, so its calls are traced too.
export const dynamoDocumentClient = DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
