/**
 * The account's SMS settings in a global region, where SNS sends landline's SMS (SetSMSAttributes
 * at deploy time, through a custom resource):
 * - DefaultSMSType Transactional: delivered ahead of promotional traffic, also to numbers on
 *   do-not-disturb lists (the notifier sets it on every message as well);
 * - MonthlySpendLimit: the environment's limit (a new account starts in the SMS sandbox with US$1;
 *   leaving it and raising the limit above 1 is a support case, docs/operations.md);
 * - delivery-status logging: SNS writes every SMS's fate, delivered or failed with the carrier's
 *   reason, to CloudWatch Logs (`sns/<region>/<account>/DirectPublishToPhoneNumber[/Failure]`),
 *   through a role it assumes.
 * These settings are the account's and region's, not this stack's: another workload sending SMS
 * from the same account and region shares them (and the spend limit).
 */
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface SnsSmsSettingsProps {
  readonly monthlySpendLimitUsd: number;
  /** Share of successful deliveries logged, in percent (failures are always logged). */
  readonly successSamplingPercent?: number;
  readonly logRetention?: RetentionDays;
}

export class SnsSmsSettings extends Construct {
  readonly deliveryStatusRole: Role;

  constructor(scope: Construct, id: string, props: SnsSmsSettingsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const snsLogGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: 'sns/*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.deliveryStatusRole = new Role(this, 'DeliveryStatusRole', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com'),
      description: 'SNS writes SMS delivery status to CloudWatch Logs',
    });
    this.deliveryStatusRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:PutMetricFilter',
          'logs:PutRetentionPolicy',
        ],
        resources: [snsLogGroups, `${snsLogGroups}:*`],
      }),
    );
    const logGroupsOfSns = `arn:<AWS::Partition>:logs:${stack.region}:<AWS::AccountId>:log-group:sns/*`;
    for (const resource of [logGroupsOfSns, `${logGroupsOfSns}:*`]) {
      Validations.of(this.deliveryStatusRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          'SNS names its delivery-status log groups itself (sns/<region>/<account>/DirectPublishToPhoneNumber and …/Failure, created on first use); the grant is limited to log groups under sns/.',
      });
    }
    // The custom resource's own role: its log group and the two calls, no managed policy.
    const providerRole = new Role(this, 'ProviderRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'landline: sets the account SMS attributes at deploy time',
    });

    const logGroup = new LogGroup(this, 'ProviderLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    logGroup.grantWrite(providerRole);
    const attributes = {
      DefaultSMSType: 'Transactional',
      MonthlySpendLimit: String(props.monthlySpendLimitUsd),
      DeliveryStatusIAMRole: this.deliveryStatusRole.roleArn,
      DeliveryStatusSuccessSamplingRate: String(props.successSamplingPercent ?? 100),
    };
    const call = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes },
      physicalResourceId: PhysicalResourceId.of(`landline-sms-attributes-${stack.region}`),
    };
    const resource = new AwsCustomResource(this, 'Attributes', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      memorySize: 256,
      role: providerRole,
      logGroup,
      policy: AwsCustomResourcePolicy.fromStatements([
        // SetSMSAttributes acts on the account's settings: it has no resource.
        new PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
        new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.deliveryStatusRole.roleArn] }),
      ]),
    });
    resource.node.addDependency(this.deliveryStatusRole);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "sns:SetSMSAttributes changes the account's SMS settings in the region: it has no resource to name.",
    });
    // The provider function CDK adds for custom resources (one per stack), run only at deploy time.
    const provider = stack.node.tryFindChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (provider) {
      for (const [id, reason] of [
        [
          'Serverless-LambdaDLQ',
          'Invoked by CloudFormation during a deployment, which reports a failure itself.',
        ],
        ['Serverless-LambdaTracing', 'Runs once per deployment; there is nothing to trace.'],
        [
          'AwsSolutions-L1',
          "CDK's custom-resource provider; its runtime is CDK's choice and it runs only at deploy time.",
        ],
      ] as const) {
        Validations.of(provider).acknowledge({ id, reason });
      }
    }
  }
}
