import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createSourceSecrets,
  type SecretValueFetcher,
  SOURCE_SECRETS_MAX_AGE_SECONDS,
} from '../../shared/adapters/source-secrets.js';
import { TEST_SECRETS } from '../fixtures/tips.js';

const OLD = TEST_SECRETS['12336'];
const NEW = TEST_SECRETS['12345'];
const CITY = TEST_SECRETS['city-management'];
const arn = (name: string) => `arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:${name}`;

const ALL_BY_VALUE = {
  SOURCE_SECRET_12336: OLD,
  SOURCE_SECRET_12345: NEW,
  SOURCE_SECRET_CITY_MANAGEMENT: CITY,
};

function fakeFetcher(values: Record<string, string | Uint8Array | undefined>) {
  const calls: { name: string; maxAge: number }[] = [];
  const fetcher: SecretValueFetcher = {
    get: async (name, options) => {
      calls.push({ name, maxAge: options.maxAge });
      if (!(name in values)) throw new Error('ResourceNotFoundException');
      return values[name];
    },
  };
  return { fetcher, calls };
}

describe('source secrets from the environment (local run)', () => {
  it('returns each source its list, several during a rotation', async () => {
    const secrets = createSourceSecrets({ ...ALL_BY_VALUE, SOURCE_SECRET_12336: `${OLD} ${NEW}` });
    await expect(secrets('12336')).resolves.toEqual([OLD, NEW]);
    await expect(secrets('city-management')).resolves.toEqual([CITY]);
  });

  it('names every missing or malformed variable at start-up, never a value', () => {
    const attempt = () => createSourceSecrets({ SOURCE_SECRET_12336: 'plain-text-secret' });
    expect(attempt).toThrow(/SOURCE_SECRET_12336: a webhook secret must start with whsec_/);
    expect(attempt).toThrow(/SOURCE_SECRET_12345: is required \(or SOURCE_SECRET_ARN_12345\)/);
    expect(attempt).toThrow(/SOURCE_SECRET_CITY_MANAGEMENT/);
    expect(attempt).not.toThrow(/plain-text-secret/);
  });
});

describe('source secrets from Secrets Manager (cloud)', () => {
  const env = {
    ...ALL_BY_VALUE,
    SOURCE_SECRET_12336: undefined,
    SOURCE_SECRET_ARN_12336: arn('landline-dev/source/12336'),
  };

  it('reads the secret by ARN with a cache age and accepts both secrets of a rotation', async () => {
    const { fetcher, calls } = fakeFetcher({ [arn('landline-dev/source/12336')]: `${OLD}\n${NEW}` });
    const secrets = createSourceSecrets(env, fetcher);
    await expect(secrets('12336')).resolves.toEqual([OLD, NEW]);
    expect(calls).toEqual([
      { name: arn('landline-dev/source/12336'), maxAge: SOURCE_SECRETS_MAX_AGE_SECONDS },
    ]);
    // A source configured by value never touches Secrets Manager.
    await expect(secrets('12345')).resolves.toEqual([NEW]);
    expect(calls).toHaveLength(1);
  });

  it('accepts a binary secret value', async () => {
    const { fetcher } = fakeFetcher({ [arn('landline-dev/source/12336')]: Buffer.from(OLD, 'utf8') });
    await expect(createSourceSecrets(env, fetcher)('12336')).resolves.toEqual([OLD]);
  });

  it('accepts nothing while the secret still holds the generated placeholder', async () => {
    const { fetcher } = fakeFetcher({ [arn('landline-dev/source/12336')]: 'Xk3generatedPlaceholder48chars' });
    await expect(createSourceSecrets(env, fetcher)('12336')).resolves.toEqual([]);
  });

  it('lets a fetch failure propagate, so intake answers 503 instead of 401', async () => {
    const { fetcher } = fakeFetcher({});
    await expect(createSourceSecrets(env, fetcher)('12336')).rejects.toThrow(/ResourceNotFound/);
  });

  it('no longer requires the value variable of a source configured by ARN', () => {
    expect(() => createSourceSecrets(env)).not.toThrow();
  });
});

describe('source secrets through Powertools and the SDK', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeAll(() => vi.stubEnv('AWS_REGION', 'cn-north-1'));
  afterAll(() => {
    vi.unstubAllEnvs();
    sm.restore();
  });

  it('fetches AWSCURRENT once and serves the cached value afterwards', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: `${OLD} ${NEW}` });
    const secrets = createSourceSecrets({
      ...ALL_BY_VALUE,
      SOURCE_SECRET_ARN_CITY_MANAGEMENT: arn('landline-dev/source/city-management'),
    });
    await expect(secrets('city-management')).resolves.toEqual([OLD, NEW]);
    await expect(secrets('city-management')).resolves.toEqual([OLD, NEW]);
    const calls = sm.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.SecretId).toBe(arn('landline-dev/source/city-management'));
  });
});
