// Refusals of services: the AppError a call rejects with.
import { AppError } from '../platform/errors.js';

/** The AppError `promise` rejects with; throws if it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** The code of the AppError `promise` rejects with. */
export async function refusalCode(promise: Promise<unknown>): Promise<string> {
  return (await refusal(promise)).code;
}
