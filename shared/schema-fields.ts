/**
 * The field schemas the IPC schemas are built from (text bounds, required text, DataMiner
 * identifiers), apart so that the schema modules of shared/ can use them without importing
 * one another.
 */
import { z } from 'zod';

export const text = (max: number) => z.string().max(max, `At most ${max} characters`);
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is at most ${max} characters`);
/** DataMiner identifiers are non-negative integers, carried as strings as hyperlinks pass them. */
export const dmId = (label: string) =>
  requiredText(label, 20).regex(/^\d+$/, `${label} must be a number such as 123`);
