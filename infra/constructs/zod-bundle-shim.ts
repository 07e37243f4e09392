/**
 * What `import { z } from 'zod'` resolves to inside the Lambda bundles (an esbuild alias set in
 * LANDLINE_BUNDLING). zod's own `z` is a namespace object holding every locale, the JSON-schema
 * importer and the compiler, and esbuild cannot tree-shake a namespace that is re-exported as a
 * value: it put ~450 KB of zod into each bundle. This `z` holds only the members listed below, so
 * esbuild keeps just what they reach; every named export is passed through unchanged.
 *
 * Only bundling uses this file; type checking and tests use zod itself. A member used by the
 * functions but missing here would be `undefined` in Lambda, so test/infra/zod-bundle-shim.test.ts
 * fails when code under functions/ or shared/ uses one.
 */
// Relative file paths: zod's exports map does not expose this module, and `zod` itself would
// resolve back to this file through the alias.
import * as zod from '../../node_modules/zod/v4/classic/external.js';

export * from '../../node_modules/zod/v4/classic/external.js';

export const z = {
  any: zod.any,
  array: zod.array,
  boolean: zod.boolean,
  coerce: zod.coerce,
  config: zod.config,
  custom: zod.custom,
  date: zod.date,
  discriminatedUnion: zod.discriminatedUnion,
  email: zod.email,
  enum: zod.enum,
  flattenError: zod.flattenError,
  formatError: zod.formatError,
  httpUrl: zod.httpUrl,
  input: zod.input,
  instanceof: zod.instanceof,
  int: zod.int,
  iso: zod.iso,
  literal: zod.literal,
  looseObject: zod.looseObject,
  nativeEnum: zod.nativeEnum,
  never: zod.never,
  NEVER: zod.NEVER,
  null: zod.null,
  nullable: zod.nullable,
  nullish: zod.nullish,
  number: zod.number,
  object: zod.object,
  optional: zod.optional,
  output: zod.output,
  parse: zod.parse,
  parseAsync: zod.parseAsync,
  partialRecord: zod.partialRecord,
  pipe: zod.pipe,
  preprocess: zod.preprocess,
  prettifyError: zod.prettifyError,
  record: zod.record,
  refine: zod.refine,
  safeParse: zod.safeParse,
  safeParseAsync: zod.safeParseAsync,
  strictObject: zod.strictObject,
  string: zod.string,
  superRefine: zod.superRefine,
  toJSONSchema: zod.toJSONSchema,
  transform: zod.transform,
  treeifyError: zod.treeifyError,
  tuple: zod.tuple,
  undefined: zod.undefined,
  union: zod.union,
  unknown: zod.unknown,
  url: zod.url,
  uuid: zod.uuid,
  ZodError: zod.ZodError,
  ZodObject: zod.ZodObject,
  ZodType: zod.ZodType,
};

export default z;
