/** The SNS client, once per execution environment (see ./dynamodb.ts for why one module per service). */
import { SNSClient } from '@aws-sdk/client-sns';

export const snsClient = new SNSClient({});
