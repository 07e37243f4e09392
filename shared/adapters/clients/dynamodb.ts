/**
 * The DynamoDB document client, created once per execution environment at module scope so warm
 * invocations reuse its connections. One module per service: a function loads only the SDK
 * clients it uses, which is most of a cold start. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_* variables (the local run sets them), never from code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const dynamoDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});
