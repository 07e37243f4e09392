/**
 * Each function's timeout in seconds: the CDK stack deploys these, and the local run gives its HTTP
 * functions the same time, so that a slow (busy) machine behaves like the cloud, not like a cloud
 * with one-second functions. Plain numbers, so the local run loads no CDK code.
 */
export const FUNCTION_TIMEOUT_SECONDS = {
  intake: 10,
  route: 10,
  notify: 15,
  api: 10,
  sweep: 50,
  // Reports read a month's (an assessment: a year's) cases of every area and may write a spreadsheet.
  reports: 25,
  receipts: 60,
  // A batch of feedback attempts, each at most 15 s (contract 9), made side by side.
  feedback: 60,
} as const;
