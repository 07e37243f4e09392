/**
 * Every ReportableError class the code exports, found by reading the three error modules: a class
 * added to any of them is picked up by the tests that hold each class to the mapper and the document.
 */
import * as domainErrors from '../../shared/domain/errors.js';
import { ReportableError } from '../../shared/domain/errors.js';
import * as httpErrors from '../../shared/http/errors.js';
import * as useCaseErrors from '../../shared/usecases/errors.js';

export type ReportableErrorClass = new (message: string) => ReportableError;

export const REPORTABLE_ERROR_CLASSES: ReportableErrorClass[] = [domainErrors, useCaseErrors, httpErrors]
  .flatMap((module): unknown[] => Object.values(module))
  .filter(
    (value): value is ReportableErrorClass =>
      typeof value === 'function' && value.prototype instanceof ReportableError,
  );
