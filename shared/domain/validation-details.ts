/**
 * Turns zod issues into the contract's error `details`: one entry per failing field, the path
 * dot-joined, the message built from the schema's rule only, so a submitted value is never echoed.
 * Neutral ground: use cases and the HTTP adapter report validation failures with it, and the
 * configuration names bad environment variables with `issuePath`.
 */
import type { z } from 'zod';

/** One failing field: where (dot-joined path) and which rule it broke. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Keeps an error response far below the Lambda payload limit even for a body full of bad items. */
export const MAX_DETAILS = 100;

export const ROOT_PATH = '(root)';

export function issuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return ROOT_PATH;
  return path
    .map((segment) => (typeof segment === 'symbol' ? (segment.description ?? '') : String(segment)))
    .join('.');
}

const plural = (count: number | bigint, unit: string) => `${count} ${unit}${Number(count) === 1 ? '' : 's'}`;

function sizeUnit(origin: string): string | undefined {
  switch (origin) {
    case 'string':
      return 'character';
    case 'array':
    case 'set':
      return 'item';
    case 'file':
      return 'byte';
    default:
      return undefined;
  }
}

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = /received (\w+)$/.exec(issue.message)?.[1];
      if (received === 'undefined') return 'is required';
      return received ? `must be ${issue.expected} (received ${received})` : `must be ${issue.expected}`;
    }
    case 'too_small': {
      const unit = sizeUnit(issue.origin);
      if (unit === 'character' && Number(issue.minimum) === 1) return 'must not be empty';
      if (unit) return `must have at least ${plural(issue.minimum, unit)}`;
      return issue.inclusive === false
        ? `must be greater than ${issue.minimum}`
        : `must be at least ${issue.minimum}`;
    }
    case 'too_big': {
      const unit = sizeUnit(issue.origin);
      if (unit) return `must have at most ${plural(issue.maximum, unit)}`;
      return issue.inclusive === false
        ? `must be less than ${issue.maximum}`
        : `must be at most ${issue.maximum}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'unrecognized_keys':
      // The default message lists the submitted keys; they are input too.
      return 'has unrecognized fields';
    case 'invalid_format':
    case 'custom':
    case 'not_multiple_of':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      // Messages of these come from the schema (ours, or zod's, which names the rule, not the input).
      return issue.message;
  }
}

export function zodIssuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  const details = issues
    .slice(0, MAX_DETAILS)
    .map((issue) => ({ path: issuePath(issue.path), message: issueMessage(issue) }));
  if (issues.length > MAX_DETAILS) {
    details.push({ path: ROOT_PATH, message: `${issues.length - MAX_DETAILS} more problems not listed` });
  }
  return details;
}
