/** The SNS client, once per execution environment and traced (see ./dynamodb.ts for why one module per service). */
import { SNSClient } from '@aws-sdk/client-sns';
import { traced } from '../../observability.js';

export const snsClient = traced(new SNSClient({}));
