/**
 * `npm run sms:templates`: the SMS templates to register with a domestic provider (Alibaba Cloud:
 * 短信通知 templates with `${name}` variables; Tencent Cloud: the same text with `{1}`, `{2}`, … in
 * the order given), one per line, as a Markdown table. The ids the provider gives them go into
 * `infra/config.ts` (sms.templateIds, keyed by the first column). docs/operations.md holds the same
 * table, kept equal by a test.
 */
import { pathToFileURL } from 'node:url';
import {
  allSmsTemplates,
  generalTemplateKey,
  SMS_KINDS,
  SMS_TEMPLATES,
  templateVariables,
} from '../../shared/domain/sms-templates.js';

/** Tencent Cloud writes variables as `{1}`, `{2}`, … in order. */
export const tencentText = (text: string): string => {
  let index = 0;
  return text.replace(/\$\{[^}]+\}/g, () => `{${++index}}`);
};

export function templatesTable(): string {
  const kindOf = new Map<string, string>(
    SMS_KINDS.flatMap((kind): [string, string][] => [
      ...SMS_TEMPLATES[kind].specific.map((t): [string, string] => [t.key, kind]),
      [generalTemplateKey(kind), kind],
    ]),
  );
  const rows = allSmsTemplates().map((template) => [
    `\`${template.key}\``,
    `\`${kindOf.get(template.key)}\``,
    template.text,
    tencentText(template.text),
    templateVariables(template).join(', '),
  ]);
  const header = ['key', 'kind', 'Alibaba Cloud', 'Tencent Cloud', 'variables'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(templatesTable());
}
