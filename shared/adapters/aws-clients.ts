/**
 * One SDK client of each kind per execution environment, created at module scope so warm
 * invocations reuse their connections. Endpoints come from the SDK's own AWS_ENDPOINT_URL_*
 * variables (the local run sets them), never from code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const sqsClient = new SQSClient({});

export const dynamoDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
});

export const snsClient = new SNSClient({});
