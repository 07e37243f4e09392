/** The SQS client, once per execution environment and traced (see ./dynamodb.ts for why one module per service). */
import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from '../../observability.js';

export const sqsClient = traced(new SQSClient({}));
