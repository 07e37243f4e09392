// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is the providers' template variable syntax, in plain strings on purpose.
/**
 * What an SMS of each notification kind is at a domestic provider (阿里云短信, 腾讯云短信, a government
 * SMS platform): a template registered and approved in advance (模板, fixed text around named
 * variables) sent under the registered signature (签名, e.g. 【常熟国土】), with the variables filled in.
 *
 * The notification's `sms` text stays the one source of what an officer reads: its variables are
 * taken from it by matching it against the kind's template, so the approved template filled with
 * them gives back exactly that text. A kind has specific templates (short variables: the case
 * number, the town, the deadline), tried in order, and always one general template
 * `<标签>：${detail}。请登录系统查看。` that any text of the kind fits, clipped to the provider's
 * variable length if it must be: so a reworded text degrades to the general template instead of
 * failing, and a kind with no entry here fails loudly (UnknownSmsKindError, and `tsc` for a
 * NotificationKind missing from the table).
 *
 * Variable names follow both providers' rules: letters and digits, starting with a letter, none
 * of the reserved words (id, email, mobile, nick, site). Tencent Cloud fills `{1}`, `{2}`, … in
 * the order the variables appear, which is the order given here.
 */
import type { NotificationKind } from './model.js';

export interface SmsTemplate {
  /** The template's key in configuration (its id per provider): the kind, or the kind and a variant. */
  readonly key: string;
  /** The text to register with the provider, without the signature; `${name}` marks a variable. */
  readonly text: string;
}

export interface SmsKindTemplates {
  /** Chinese label of the kind: the general template's lead, and what operators read in listings. */
  readonly label: string;
  /** Templates with short variables, tried in order before the general one. */
  readonly specific: readonly SmsTemplate[];
}

/** The name of the general template's single variable. */
export const GENERAL_DETAIL_VARIABLE = 'detail';
const generalTemplateText = (label: string) => `${label}：\${${GENERAL_DETAIL_VARIABLE}}。请登录系统查看。`;

/**
 * Every notification kind of the contract (section 5, and the kinds sections 7-10 add). A kind
 * missing here is a compile error once it is a NotificationKind, and UnknownSmsKindError at run
 * time before that.
 */
export const SMS_TEMPLATES = {
  assignment: {
    label: '交办',
    specific: [
      { key: 'assignment', text: '新交办案件${caseNo}（${place}），${due}。' },
      { key: 'assignment_triage', text: '待分派案件${caseNo}无法确定属地，${due}并分派。' },
    ],
  },
  joint_enforcement: {
    label: '联合执法',
    specific: [
      {
        key: 'joint_enforcement',
        text: '联合执法告知：案件${caseNo}（${place}）请${department}协同处置。',
      },
    ],
  },
  special_report: {
    label: '专报',
    specific: [{ key: 'special_report', text: '专报：重大/突发案件${caseNo}（${place}），请即关注。' }],
  },
  escalation: {
    label: '督办',
    specific: [{ key: 'escalation', text: '督办：案件${caseNo}（${place}）已超过${overdue}，请立即处置。' }],
  },
  reminder: {
    label: '时限提醒',
    specific: [{ key: 'reminder', text: '提醒：案件${caseNo}（${place}）${pending}即将到期，请按时处置。' }],
  },
  // Sections 7-10: their texts are written with their features; until a specific template is
  // registered for one, the general template carries it.
  patrol_reminder: { label: '巡查提醒', specific: [] },
  patrol_shortfall: { label: '巡查未达标', specific: [] },
  monthly_report: { label: '巡查月报', specific: [] },
  report_reminder: { label: '月报提醒', specific: [] },
  report_overdue: { label: '月报逾期', specific: [] },
  urge: { label: '催办', specific: [] },
  reopen: { label: '重新办理', specific: [] },
  supplement: { label: '补充线索', specific: [] },
  delivery_disabled: { label: '回复推送停用', specific: [] },
} as const satisfies Readonly<Record<NotificationKind, SmsKindTemplates>> &
  Readonly<Record<string, SmsKindTemplates>>;

export type SmsKind = keyof typeof SMS_TEMPLATES;
export const SMS_KINDS = Object.keys(SMS_TEMPLATES) as SmsKind[];

/** The general template of a kind: `<kind>_general`. */
export const generalTemplateKey = (kind: string): string => `${kind}_general`;

/** Every template an operator registers (specific ones and each kind's general one), in order. */
export function allSmsTemplates(): SmsTemplate[] {
  return SMS_KINDS.flatMap((kind) => {
    const entry: SmsKindTemplates = SMS_TEMPLATES[kind];
    return [...entry.specific, { key: generalTemplateKey(kind), text: generalTemplateText(entry.label) }];
  });
}

export const SMS_TEMPLATE_KEYS: readonly string[] = allSmsTemplates().map((t) => t.key);

export class UnknownSmsKindError extends Error {
  constructor(kind: string) {
    super(`No SMS template is defined for notification kind "${kind}" (shared/domain/sms-templates.ts)`);
    this.name = 'UnknownSmsKindError';
  }
}

export interface SmsVariable {
  readonly name: string;
  readonly value: string;
}

export interface SmsRendering {
  readonly template: SmsTemplate;
  /** In the template's order (Tencent's positional parameters). */
  readonly variables: readonly SmsVariable[];
  /** The text the template gives with these variables, without the signature. */
  readonly text: string;
  /** The general template had to clip the text to the provider's variable length. */
  readonly clipped: boolean;
}

/** A leading signature such as 【常熟国土】: the provider adds its registered one. */
const SIGNATURE = /^【[^】]*】/u;

export function stripSignature(text: string): string {
  return text.replace(SIGNATURE, '').trim();
}

const VARIABLE = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The variable names of a template, in order. */
export function templateVariables(template: SmsTemplate): string[] {
  return [...template.text.matchAll(VARIABLE)].map((match) => match[1] as string);
}

/** The template with its variables filled in. */
export function renderTemplate(template: SmsTemplate, variables: readonly SmsVariable[]): string {
  const values = new Map(variables.map((v) => [v.name, v.value]));
  return template.text.replace(VARIABLE, (_, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`Template ${template.key} needs variable ${name}`);
    return value;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The variables that make `template` give exactly `text`, or undefined when it cannot. */
export function matchTemplate(template: SmsTemplate, text: string): SmsVariable[] | undefined {
  const names = templateVariables(template);
  const pattern = template.text
    .split(VARIABLE)
    // split with a capturing group alternates fixed text and variable names
    .map((part, index) => (index % 2 === 0 ? escapeRegExp(part) : '(.+?)'))
    .join('');
  const match = new RegExp(`^${pattern}$`, 'su').exec(text);
  if (!match) return undefined;
  return names.map((name, index) => ({ name, value: match[index + 1] as string }));
}

const chars = (text: string) => Array.from(text).length;

function clipChars(text: string, max: number): string {
  const all = Array.from(text);
  if (all.length <= max) return text;
  return max <= 1 ? all.slice(0, max).join('') : `${all.slice(0, max - 1).join('')}…`;
}

export interface SmsLimits {
  /** The longest value a variable may have at the provider (Alibaba Cloud: 35 characters). */
  readonly maxVariableChars: number;
  /** Whether the provider has an approved template of this key; default: every template. */
  readonly hasTemplate?: (key: string) => boolean;
}

/**
 * The template and variables that send `sms` (a notification's text) as a notification of `kind`:
 * the first specific template it fits with every variable within the provider's length, else the
 * kind's general template. A specific template the provider has no id for is passed over.
 * Throws UnknownSmsKindError for a kind without templates.
 */
export function smsTemplateFor(kind: string, sms: string, limits: SmsLimits): SmsRendering {
  if (!Object.hasOwn(SMS_TEMPLATES, kind)) throw new UnknownSmsKindError(kind);
  const entry: SmsKindTemplates = SMS_TEMPLATES[kind as SmsKind];
  const text = stripSignature(sms);
  for (const template of entry.specific) {
    if (limits.hasTemplate && !limits.hasTemplate(template.key)) continue;
    const variables = matchTemplate(template, text);
    if (variables?.every((v) => chars(v.value) <= limits.maxVariableChars)) {
      return { template, variables, text, clipped: false };
    }
  }
  const template = { key: generalTemplateKey(kind), text: generalTemplateText(entry.label) };
  // The label and the closing full stop are the template's own: not repeated in the variable.
  let detail = text;
  for (const lead of [`${entry.label}：`, `${entry.label}:`]) {
    if (detail.startsWith(lead)) detail = detail.slice(lead.length);
  }
  detail = detail.replace(/[。.]+$/u, '').trim() || entry.label;
  const value = clipChars(detail, limits.maxVariableChars);
  const variables = [{ name: GENERAL_DETAIL_VARIABLE, value }];
  return { template, variables, text: renderTemplate(template, variables), clipped: value !== detail };
}
