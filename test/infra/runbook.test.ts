/**
 * docs/operations.md keeps up with the code: a runbook row for every alarm a China or a global
 * deployment has, and the SMS template table an operator registers, as `npm run sms:templates`
 * prints it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { type EnvConfig, loadConfig } from '../../infra/config.js';
import { templatesTable } from '../../infra/ops/sms-templates.js';
import { FUNCTION_NAMES } from '../../infra/stacks/stateless-stack.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));
const entries = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, FIXTURE]));
const operations = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

/** Alarm ids repeated per queue, function or topic group are documented by their common suffix. */
const FAMILIES = [
  'DlqGrowthAlarm',
  'OldestMessageAlarm',
  'ErrorRateAlarm',
  'ThrottlesAlarm',
  'TopicDeliveryFailuresAlarm',
];

function alarmIds(config: EnvConfig): string[] {
  const app = buildApp({
    app: new App({ context: { 'aws:cdk:bundling-stacks': [], operationsSubscribers: 'ops@example.org' } }),
    config,
    entries,
  });
  const prefix = `landline-${config.envName}-`;
  return Object.values(Template.fromStack(app.stateless).findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => String(alarm.Properties.AlarmName).slice(prefix.length),
  );
}

describe('docs/operations.md', () => {
  it('has a runbook row for every alarm of a China and a global deployment', () => {
    const china: EnvConfig = {
      ...loadConfig('prod-cn'),
      sms: { channel: 'aliyun', signName: '常熟国土', templateIds: { assignment: 'SMS_1' } },
    };
    const ids = new Set([...alarmIds(china), ...alarmIds(loadConfig('prod'))]);
    const runbook = operations.slice(operations.indexOf('## Read the alarms'));
    for (const id of ids) {
      const family = FAMILIES.find((suffix) => id.replace(/\d+$/, '').endsWith(suffix));
      expect(runbook, id).toContain(family ? family : `\`${id}\``);
    }
  });

  it('lists the SMS templates exactly as npm run sms:templates prints them', () => {
    // Markdown tables compared cell by cell: the formatter may pad the columns.
    const cells = (text: string) => text.replace(/ *\| */g, '|').replace(/\|-+(?=\|)/g, '|-');
    expect(cells(operations)).toContain(cells(templatesTable()));
  });
});
