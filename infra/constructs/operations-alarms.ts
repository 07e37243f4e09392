/**
 * The alarms of a deployment and where they go: every alarm is named `<prefix>-<id>` (the
 * operations topic lets CloudWatch publish only for alarms of that name, see the stack) and
 * notifies the operations topic. A new function or queue gets its alarms with one call
 * (`watchFunction`, `watchQueue`); docs/operations.md has a runbook entry for each alarm id.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmSettings } from '../config.js';

export interface AlarmOptions {
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly comparisonOperator?: ComparisonOperator;
  readonly treatMissingData?: TreatMissingData;
  /** Also notify when the alarm returns to OK (default yes; no for alarms on a moment's change). */
  readonly notifyOk?: boolean;
}

export interface OperationsAlarmsProps {
  readonly topic: ITopic;
  /** Every alarm's name starts with it (`landline-<env>`). */
  readonly prefix: string;
  readonly settings: AlarmSettings;
  readonly oldestMessageAlarmSeconds: number;
}

const ONE_MINUTE = Duration.minutes(1);
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export class OperationsAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: OperationsAlarmsProps,
  ) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
  }

  /** The ARN pattern of this deployment's alarms (what CloudWatch may publish for). */
  get alarmNamePattern(): string {
    return `${this.props.prefix}-*`;
  }

  /** An alarm on `metric` above `threshold` (by default: once, missing data fine). */
  add(
    id: string,
    metric: IMetric,
    threshold: number,
    description: string,
    options: AlarmOptions = {},
  ): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.props.prefix}-${id}`,
      metric,
      threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      ...(options.datapointsToAlarm !== undefined ? { datapointsToAlarm: options.datapointsToAlarm } : {}),
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    // Back to OK is worth a message too: the person paged knows it is over.
    if (options.notifyOk ?? true) alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /**
   * A function's error rate (errors ÷ invocations, in percent) above the settings' threshold in M
   * of N minutes, and throttles in M of N minutes: one failed invocation among many is retried by
   * its queue and is no reason to wake anyone.
   */
  watchFunction(name: string, fn: IFunction): void {
    const { errorRatePercent, datapointsToAlarm, evaluationPeriods } = this.props.settings;
    const mOfN = { datapointsToAlarm, evaluationPeriods };
    this.add(
      `${capitalize(name)}ErrorRateAlarm`,
      new MathExpression({
        expression: '100 * FILL(errors, 0) / invocations',
        usingMetrics: {
          errors: fn.metricErrors({ period: ONE_MINUTE, statistic: 'Sum' }),
          invocations: fn.metricInvocations({ period: ONE_MINUTE, statistic: 'Sum' }),
        },
        period: ONE_MINUTE,
        label: `${name} error rate (%)`,
      }),
      errorRatePercent,
      `${name}: more than ${errorRatePercent} % of invocations failed in ${datapointsToAlarm} of ${evaluationPeriods} minutes`,
      mOfN,
    );
    this.add(
      `${capitalize(name)}ThrottlesAlarm`,
      fn.metricThrottles({ period: ONE_MINUTE, statistic: 'Sum' }),
      0,
      `${name}: Lambda refused invocations (throttled) in ${datapointsToAlarm} of ${evaluationPeriods} minutes`,
      mOfN,
    );
  }

  /**
   * A queue's dead-letter queue growing (the visible count rose since the previous minute: a new
   * message failed five times), and its oldest message waiting too long.
   */
  watchQueue(name: string, queue: IQueue, dlq: IQueue): void {
    this.add(
      `${name}DlqGrowthAlarm`,
      new MathExpression({
        expression: 'DIFF(FILL(visible, 0))',
        usingMetrics: {
          visible: dlq.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum' }),
        },
        period: ONE_MINUTE,
        label: `${dlq.node.id} growth`,
      }),
      0,
      `Messages were dead-lettered from ${queue.node.id} (its DLQ grew); inspect and redrive.`,
      { notifyOk: false },
    );
    this.add(
      `${name}OldestMessageAlarm`,
      queue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, statistic: 'Maximum' }),
      this.props.oldestMessageAlarmSeconds,
      `${queue.node.id} is falling behind (oldest message older than ${this.props.oldestMessageAlarmSeconds} s).`,
    );
  }

  /**
   * A scheduled function that stopped succeeding: fewer than one successful invocation (invocations
   * minus errors) in each of the last periods, where no data at all (the schedule stopped, the
   * function was never invoked) counts as failing.
   */
  watchHeartbeat(name: string, fn: IFunction, silenceMinutes: number): void {
    const period = Duration.minutes(Math.max(1, Math.floor(silenceMinutes / 2)));
    this.add(
      `${capitalize(name)}HeartbeatAlarm`,
      new MathExpression({
        expression: 'invocations - FILL(errors, 0)',
        usingMetrics: {
          invocations: fn.metricInvocations({ period, statistic: 'Sum' }),
          errors: fn.metricErrors({ period, statistic: 'Sum' }),
        },
        period,
        label: `${name} successful runs`,
      }),
      1,
      `${name} has not completed a run for ${silenceMinutes} minutes (schedule stopped, or every run failing).`,
      {
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      },
    );
  }
}
