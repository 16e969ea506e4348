/**
 * Small checks shared by the main process and the renderer: a plain-object guard for
 * untrusted JSON, and zod issues turned into one message per field.
 */
import type { z } from 'zod';

/** True for a non-null object that is not an array (parsed JSON, untrusted input). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns zod issues into one message per field, keyed by its path (`api.baseUrl`). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '(payload)';
    fields[key] ??= issue.message;
  }
  return fields;
}
