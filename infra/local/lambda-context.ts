/** The Lambda context the local run hands to handlers: enough for Powertools and timeouts. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { LOCAL_REGION } from './emulators.js';

const LOCAL_ACCOUNT = '123456789012';

export function lambdaContext(functionName: string, timeoutMs: number): Context {
  const startedAt = Date.now();
  const awsRequestId = randomUUID();
  const unsupported = () => {
    throw new Error('callback-style completion is not supported by the local run; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `landline-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:landline-${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/landline-${functionName}`,
    logStreamName: `local/${awsRequestId}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - startedAt)),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
