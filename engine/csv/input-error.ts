/** Errors for CSV files that cannot be read at all (missing, a folder, binary, a workbook, empty). */
import { AppError } from '../../shared/errors/errors';
import type { ErrorCode, ErrorPayload } from '../../shared/errors/payload';

const INPUT_ERROR_CODE: ErrorCode = 'input';

export function inputError(message: string, nextStep: string, cause?: unknown): AppError {
  return new AppError(
    INPUT_ERROR_CODE,
    message,
    { nextStep },
    cause === undefined ? undefined : { cause },
  );
}

/** An `input` error about where the table starts, with the read options that fix it. */
export function layoutError(
  message: string,
  nextStep: string,
  csvFix: NonNullable<ErrorPayload['csvFix']>,
): AppError {
  return new AppError(INPUT_ERROR_CODE, message, { nextStep, csvFix });
}
