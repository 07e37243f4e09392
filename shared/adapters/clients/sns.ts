/** The SNS client, once per execution environment and traced (see ./dynamodb.ts for why one module per service). */
import { SNSClient } from '@aws-sdk/client-sns';
import { tracer } from '../../observability.js';

export const snsClient = tracer.captureAWSv3Client(new SNSClient({}));
