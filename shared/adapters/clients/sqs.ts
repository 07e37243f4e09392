/** The SQS client, once per execution environment (see ./dynamodb.ts for why one module per service). */
import { SQSClient } from '@aws-sdk/client-sqs';

export const sqsClient = new SQSClient({});
