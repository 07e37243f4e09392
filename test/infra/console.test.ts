/**
 * The console in the cloud: the user pool (retained, MFA available, groups per principal), the site
 * (private bucket behind CloudFront, the API on the same origin, strict headers), the app client
 * (code flow with PKCE, no secret), the API's Cognito settings, and the files stack that copies the
 * bundle and its config.json.
 */
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LandlineApp } from '../../infra/app.js';
import { CONSOLE_GROUPS, CONSOLE_ROUTER } from '../../infra/constructs/console.js';
import { FUNCTION_NAMES } from '../../infra/stacks/stateless-stack.js';
import { AREA_IDS, DISTRICT_IDS, PARTNER_DEPARTMENTS } from '../../shared/domain/model.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

let built: LandlineApp;
let stateful: Template;
let stateless: Template;
let files: Template;

beforeAll(() => {
  built = buildApp({
    app: new App({ context: { 'aws:cdk:bundling-stacks': [] } }),
    envName: 'dev',
    entries: Object.fromEntries(FUNCTION_NAMES.map((name) => [name, FIXTURE])),
  });
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
  const filesStack = built.app.node.findChild('Landline-dev-ConsoleFiles');
  files = Template.fromStack(filesStack as never);
});

describe('the console’s user pool', () => {
  it('is retained, closed to sign-up, with strong passwords, MFA available and threat protection', () => {
    stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireUppercase: true,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        UserPoolTier: 'PLUS',
        DeletionProtection: 'ACTIVE',
      }),
    });
  });

  it('has one group per principal a person can be', () => {
    const groups = Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(
      [
        'brigade',
        ...AREA_IDS.map((area) => `bureau-${area}`),
        ...PARTNER_DEPARTMENTS.map((dept) => `partner-${dept}`),
        ...DISTRICT_IDS.map((district) => `leader-${district}`),
      ].sort(),
    );
    expect(CONSOLE_GROUPS).toHaveLength(groups.length);
  });

  it('has a managed-login domain', () => {
    stateful.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });
});

describe('the console’s site', () => {
  it('gives the console a public app client using the code flow, back to /console/signin', () => {
    stateless.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'profile'],
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', Match.anyValue(), '/console/signin']] }],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('keeps the files in a private bucket reached only through CloudFront', () => {
    stateless.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
    stateless.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  });

  it('serves the API on the same origin, uncached, with every viewer header', () => {
    const [distribution] = Object.values(stateless.findResources('AWS::CloudFront::Distribution'));
    const config = distribution!.Properties.DistributionConfig as {
      CacheBehaviors: Array<{ PathPattern: string; CachePolicyId: string; OriginRequestPolicyId: string }>;
      Logging: unknown;
      DefaultCacheBehavior: {
        FunctionAssociations: Array<{ EventType: string }>;
        ViewerProtocolPolicy: string;
      };
    };
    expect(config.CacheBehaviors.map((behavior) => behavior.PathPattern).sort()).toEqual([
      '/health',
      '/openapi.json',
      '/v1/*',
    ]);
    for (const behavior of config.CacheBehaviors) {
      // The managed CachingDisabled and AllViewerExceptHostHeader policies.
      expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
      expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    }
    expect(config.Logging).toBeDefined();
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      FunctionAssociations: [{ EventType: 'viewer-request' }],
    });
  });

  it('sends strict security headers with the console', () => {
    stateless.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
  });

  it('tells the case API which pool and client to accept tokens of', () => {
    const [, api] = Object.entries(stateless.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('ApiFunction'),
    )!;
    const variables = (api.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.COGNITO_USER_POOL_ID).toEqual({ 'Fn::ImportValue': expect.any(String) });
    expect(variables.COGNITO_CLIENT_ID).toEqual({ Ref: expect.stringMatching(/^ConsoleClient/) });
  });

  it('routes single-page paths to index.html and / to the console', () => {
    const handler = new Function(`${CONSOLE_ROUTER}; return handler;`)() as (event: unknown) => {
      uri?: string;
      statusCode?: number;
      headers?: { location: { value: string } };
    };
    const at = (uri: string) => handler({ request: { uri } });
    expect(at('/console/cases/case_x').uri).toBe('/console/index.html');
    expect(at('/console/').uri).toBe('/console/index.html');
    expect(at('/console/assets/index-abc.js').uri).toBe('/console/assets/index-abc.js');
    expect(at('/console/config.json').uri).toBe('/console/config.json');
    // The local run's development principals do not exist here: the page, never tokens.
    expect(at('/console/dev-principals').uri).toBe('/console/index.html');
    expect(at('/').headers?.location.value).toBe('/console/');
    expect(at('/console').statusCode).toBe(302);
  });
});

describe('the console’s files', () => {
  it('are copied under console/ with a config.json for Cognito sign-in, and the cache invalidated', () => {
    files.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'console/',
      DistributionPaths: ['/console/*'],
      SourceMarkers: Match.arrayWith([Match.objectLike({ '<<marker:0xbaba:0>>': Match.anyValue() })]),
    });
  });
});
