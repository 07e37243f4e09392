/**
 * The variables that configure each source's feedback endpoint (contract 9): `FEEDBACK_URL_<SOURCE>`
 * and `FEEDBACK_SECRET_<SOURCE>` on a local run, `FEEDBACK_ENDPOINT_ARN_<SOURCE>` (a Secrets Manager
 * secret holding both) in the cloud. `city-management` → `CITY_MANAGEMENT`. The sender reads them, the
 * CDK construct and the local run set them: all use these functions.
 */
import type { Source } from '../domain/model.js';

const suffixOf = (source: Source): string => source.toUpperCase().replace(/[^A-Z0-9]/g, '_');
export const feedbackUrlVariable = (source: Source): string => `FEEDBACK_URL_${suffixOf(source)}`;
export const feedbackSecretVariable = (source: Source): string => `FEEDBACK_SECRET_${suffixOf(source)}`;
export const feedbackEndpointArnVariable = (source: Source): string =>
  `FEEDBACK_ENDPOINT_ARN_${suffixOf(source)}`;
