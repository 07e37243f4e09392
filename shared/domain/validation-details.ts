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

/** zod's type names as the Chinese message says them; anything else keeps its name. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: '字符串',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: '空值',
  date: '日期',
  bigint: '整数',
  nan: '非数字',
};
const typeName = (name: string): string => TYPE_NAMES[name] ?? name;

function sizeUnit(origin: string): string | undefined {
  switch (origin) {
    case 'string':
      return '个字符';
    case 'array':
    case 'set':
      return '项';
    case 'file':
      return '字节';
    default:
      return undefined;
  }
}

/** The rule an issue broke, in Chinese, built from the schema only (never the submitted value). */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const received = /received (\w+)$/.exec(issue.message)?.[1];
      if (received === 'undefined') return '为必填项';
      const expected = typeName(issue.expected);
      return received ? `须为${expected}（收到${typeName(received)}）` : `须为${expected}`;
    }
    case 'too_small': {
      const unit = sizeUnit(issue.origin);
      if (unit === '个字符' && Number(issue.minimum) === 1) return '不得为空';
      if (unit) return `${issue.origin === 'string' ? '长度' : '数量'}至少为${issue.minimum}${unit}`;
      return issue.inclusive === false ? `须大于${issue.minimum}` : `不得小于${issue.minimum}`;
    }
    case 'too_big': {
      const unit = sizeUnit(issue.origin);
      if (unit) return `${issue.origin === 'string' ? '长度' : '数量'}不得超过${issue.maximum}${unit}`;
      return issue.inclusive === false ? `须小于${issue.maximum}` : `不得大于${issue.maximum}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `须为${JSON.stringify(issue.values[0])}`
        : `须为以下之一：${issue.values.map((value) => String(value)).join(', ')}`;
    case 'unrecognized_keys':
      // The default message lists the submitted keys; they are input too.
      return '含有无法识别的字段';
    case 'invalid_format':
      // Our schemas give their own (Chinese) messages; zod's default names the format only.
      return issue.message.startsWith('Invalid') ? '格式不符' : issue.message;
    case 'invalid_union':
      return issue.message.startsWith('Invalid') ? '不符合任何允许的形式' : issue.message;
    case 'custom':
    case 'not_multiple_of':
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
    details.push({ path: ROOT_PATH, message: `另有${issues.length - MAX_DETAILS}个问题未列出` });
  }
  return details;
}
