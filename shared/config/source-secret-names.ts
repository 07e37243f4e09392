/**
 * The variables that carry each source's webhook secrets (WIRING.md): `SOURCE_SECRET_<SOURCE>` holds
 * the secrets themselves (local run, tests), `SOURCE_SECRET_ARN_<SOURCE>` names a Secrets Manager
 * secret (cloud). `city-management` → `CITY_MANAGEMENT`. Intake reads them, the CDK construct and the
 * local run set them: all three use these functions, so they cannot drift apart.
 */
import type { Source } from '../domain/model.js';

const suffixOf = (source: Source): string => source.toUpperCase().replace(/[^A-Z0-9]/g, '_');
export const sourceSecretVariable = (source: Source): string => `SOURCE_SECRET_${suffixOf(source)}`;
export const sourceSecretArnVariable = (source: Source): string => `SOURCE_SECRET_ARN_${suffixOf(source)}`;
