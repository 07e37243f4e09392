/**
 * The console in the cloud (contract section 11), in two parts because one of them holds people:
 *
 * - ConsoleUserPool (stateful stack): the Amazon Cognito user pool people sign in with (user name
 *   and password, TOTP MFA available), its groups `brigade`, `bureau-<area>`, `partner-<dept>`,
 *   `leader-<district>` (shared/http/cognito-auth.ts maps them to principals) and the managed
 *   login's domain. Retained: its users outlive any redeployment.
 * - ConsoleSite (stateless stack): the built console in a private S3 bucket behind CloudFront (origin
 *   access control), the HTTP API behind the same distribution (same origin: no CORS at all), the
 *   pool's app client for the console (authorization code with PKCE, no secret) and the console's
 *   `config.json` (how to sign in).
 *
 * The bundle is built at synth time by local bundling (`vite build`, offline); a synth that skips
 * bundling (the infra tests) never builds it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  Aws,
  DockerImage,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { DEFAULT_REMINDER_POLICY } from '../../shared/domain/attention.js';
import { AREA_IDS, DISTRICT_IDS, PARTNER_DEPARTMENTS } from '../../shared/domain/model.js';
import type { Partition } from '../config.js';
import { consoleBuildCommand } from '../local/console-build.js';
import { consoleContentSecurityPolicy } from '../local/console-site.js';
import { PROJECT_ROOT } from './landline-function.js';

/**
 * Where the cloud console is served in a partition:
 * - `cloudfront` (global regions): the user pool, the S3 + CloudFront site and the files stack below.
 * - `none` (the China regions): none of it. Amazon Cognito user pools, CloudFront Functions and
 *   origin access control are not offered in cn-north-1/cn-northwest-1 (CloudFormation has no such
 *   resource types there), and CloudFront in China is a separate service that needs an ICP-filed
 *   domain and its own certificate. The API there serves the sources and token holders; how a bureau
 *   gets a console in China is in docs/console.md ("The console in the China regions").
 */
export type ConsoleHosting = 'cloudfront' | 'none';

export const consoleHosting = (partition: Partition): ConsoleHosting =>
  partition === 'aws' ? 'cloudfront' : 'none';

/** The console's groups: one per principal a person can be (contract section 11). */
export const CONSOLE_GROUPS: readonly { name: string; description: string }[] = [
  { name: 'brigade', description: '国土资源监察大队' },
  ...AREA_IDS.map((area) => ({ name: `bureau-${area}`, description: `国土分局 ${area}` })),
  ...PARTNER_DEPARTMENTS.map((dept) => ({ name: `partner-${dept}`, description: `协作部门 ${dept}` })),
  ...DISTRICT_IDS.map((district) => ({ name: `leader-${district}`, description: `局领导 ${district}` })),
];

export interface ConsoleUserPoolProps {
  readonly envName: string;
}

export class ConsoleUserPool extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: ConsoleUserPoolProps) {
    super(scope, id);
    const userPool = new UserPool(this, 'UserPool', {
      userPoolName: `landline-${props.envName}-console`,
      // Accounts are created by the brigade's administrators, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // A forgotten password is reset by an administrator: there is no e-mail or phone to recover with.
      accountRecovery: AccountRecovery.NONE,
      standardAttributes: { fullname: { required: false, mutable: true } },
      // `chief` (负责人) or `officer` (执法人员): what the accountability ledger names the person as.
      customAttributes: { role: new StringAttribute({ minLen: 4, maxLen: 10, mutable: true }) },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is available to every user (TOTP) but not required, as the issue asks: field officers sign in on shared duty phones; the Plus plan’s threat protection blocks risky sign-ins meanwhile.',
    });
    for (const group of CONSOLE_GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group.name}`, {
        userPoolId: userPool.userPoolId,
        groupName: group.name,
        description: group.description,
      });
    }
    this.domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `landline-${props.envName}-${Aws.ACCOUNT_ID}` },
    });
    this.userPool = userPool;
  }
}

export interface ConsoleSiteProps {
  readonly envName: string;
  /** The HTTP API, served behind the same distribution under /v1/*, /openapi.json and /health. */
  readonly api: IHttpApi;
  readonly users: ConsoleUserPool;
  /** When the countdowns turn yellow; the deadline policy's reminder lead by default. */
  readonly reminderLeadMinutes?: number;
}

/** SPA paths under /console/ load its index.html; / and /console go to /console/. */
export const CONSOLE_ROUTER = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/console') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/console/' } } };
  }
  if (uri.indexOf('/console/') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '/console/index.html';
  }
  return request;
}`;

/** Builds the console into `outputDir` with the project's Vite (offline); throws when that fails. */
function buildConsoleInto(outputDir: string): boolean {
  const { command, args, cwd } = consoleBuildCommand(outputDir);
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`the console could not be built:\n${result.stdout}${result.stderr}`);
  return true;
}

/**
 * The console bucket's name, fixed so that the files stack names it without a cross-stack export
 * (and its deployment's grants read the same in every synth).
 */
const consoleBucketName = (envName: string) => `landline-${envName}-console-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export class ConsoleSite extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  readonly client: UserPoolClient;
  /** The host name of the user pool's managed login. */
  readonly hostedUi: string;
  readonly reminderLeadMinutes: number;
  readonly envName: string;
  /** `https://<distribution>/console/` */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the console bucket and its distribution; logging it into itself would loop.',
    });
    const bucket = new Bucket(this, 'Files', {
      bucketName: consoleBucketName(props.envName),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const hostedUi = Fn.select(2, Fn.split('/', props.users.domain.baseUrl()));
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `landline ${props.envName} console security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy(`https://${hostedUi}`),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const router = new CloudFrontFunction(this, 'Router', {
      comment: 'landline console: single-page paths to index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(CONSOLE_ROUTER),
    });
    const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    });
    // The API answers no-store itself; nothing of it is cached, and every viewer header (the bearer
    // token included, which CloudFront forwards when caching is off) reaches it.
    const apiBehavior = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    const distribution = new Distribution(this, 'Distribution', {
      comment: `landline ${props.envName} console and API`,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: router, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: { '/v1/*': apiBehavior, '/openapi.json': apiBehavior, '/health': apiBehavior },
    });
    Validations.of(distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: every page and API call needs a signed-in person or a token, and officers travelling must still reach their cases.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL by default: the API limits its own rate (stage throttling) and every call is authenticated; a deployment that wants one attaches its ACL to this distribution.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default CloudFront certificate (*.cloudfront.net) allows no minimum TLS version setting; a deployment with its own domain and certificate sets TLSv1.2_2021 (docs/console.md).',
      },
    );
    this.url = `https://${distribution.distributionDomainName}/console/`;

    const signIn = `https://${distribution.distributionDomainName}/console/signin`;
    // In this stack, not the pool's: the client names the distribution, which lives here.
    this.client = new UserPoolClient(this, 'Client', {
      userPool: props.users.userPool,
      userPoolClientName: `landline-${props.envName}-console`,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE],
        callbackUrls: [signIn],
        logoutUrls: [signIn],
      },
      preventUserExistenceErrors: true,
      // A working day; then people sign in again.
      idTokenValidity: Duration.hours(8),
      accessTokenValidity: Duration.hours(8),
      refreshTokenValidity: Duration.days(1),
    });

    this.distribution = distribution;
    this.bucket = bucket;
    this.envName = props.envName;
    this.hostedUi = hostedUi;
    this.reminderLeadMinutes = props.reminderLeadMinutes ?? DEFAULT_REMINDER_POLICY.reminderLeadMs / 60_000;
  }
}

export interface ConsoleFilesStackProps extends StackProps {
  readonly site: ConsoleSite;
}

/**
 * The console's files and `config.json`, copied into the site's bucket at deploy time by CDK's
 * BucketDeployment (whose handler is the only function here), then the distribution's cache of
 * /console/* invalidated. A stack of its own, after the stateless one: the copy needs the bucket, the
 * distribution and the app client, and nothing depends on it.
 */
export class ConsoleFilesStack extends Stack {
  constructor(scope: Construct, id: string, props: ConsoleFilesStackProps) {
    super(scope, id, props);
    const { site } = props;
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: Bucket.fromBucketName(this, 'Files', consoleBucketName(site.envName)),
      destinationKeyPrefix: 'console/',
      distribution: site.distribution,
      distributionPaths: ['/console/*'],
      sources: [
        Source.asset(path.join(PROJECT_ROOT, 'console'), {
          exclude: ['dist', 'dist.*'],
          bundling: {
            // Never used: local bundling builds the console or fails the synth.
            image: DockerImage.fromRegistry('node:22'),
            local: { tryBundle: buildConsoleInto },
          },
        }),
        Source.jsonData('config.json', {
          auth: 'cognito',
          reminderLeadMinutes: site.reminderLeadMinutes,
          cognito: {
            domain: site.hostedUi,
            clientId: site.client.userPoolClientId,
            region: this.region,
          },
        }),
      ],
    });
    // The deployment's handler is one function per stack, created by CDK at the stack's root.
    // The stacks name their region, so the asset bucket's name carries it literally.
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const cdkHandlerGrants = [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*`,
      `Resource::arn:<AWS::Partition>:s3:::landline-${site.envName}-console-<AWS::AccountId>-<AWS::Region>/*`,
      'Resource::*',
    ];
    for (const child of this.node.children)
      if (child.node.id.startsWith('Custom::CDKBucketDeployment'))
        Validations.of(child).acknowledge(
          {
            id: 'AwsSolutions-L1',
            reason:
              'The runtime of CDK’s own BucketDeployment handler is chosen by aws-cdk-lib; it runs only at deploy time.',
          },
          {
            id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
            reason:
              'CDK’s own BucketDeployment handler writes its logs with the basic execution role; it runs only at deploy time.',
          },
          ...cdkHandlerGrants.map((finding) => ({
            id: `AwsSolutions-IAM5[${finding}]`,
            reason:
              'CDK’s own BucketDeployment handler copies the console from the CDK asset bucket into its bucket (object-level wildcards on those two buckets) and invalidates the distribution (CloudFront has no resource-level permission for that).',
          })),
          {
            id: 'Serverless-LambdaDLQ',
            reason:
              'CDK’s own BucketDeployment handler is invoked synchronously by CloudFormation during a deploy: a failure fails (and rolls back) the deployment, so there is no event to dead-letter.',
          },
          {
            id: 'Serverless-LambdaLatestVersion',
            reason:
              'The runtime of CDK’s own BucketDeployment handler is chosen by aws-cdk-lib and follows its upgrades; it runs only at deploy time and handles no case data.',
          },
          {
            id: 'Serverless-LambdaTracing',
            reason:
              'CDK’s own BucketDeployment handler runs only at deploy time; its outcome is the deployment’s, in CloudFormation’s events and its log group.',
          },
        );
  }
}
