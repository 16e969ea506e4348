/**
 * The schemas of what an operator asks for a selection of alarms: the key of an alarm, an
 * operator action on many alarms (acknowledge, own, comment) and its outcome, and the check
 * of every alarm of a Create Ticket dialog for a selection (issue 11). Re-exported by
 * schemas.ts.
 */
import './zod-setup.js';
import { z } from 'zod';
import { MAX_GROUP_ALARMS } from './group-ticket-schemas.js';
import { dmId } from './schema-fields.js';

export const alarmKeySchema = z.strictObject({
  dmaId: dmId('DMA ID'),
  alarmId: dmId('Alarm ID'),
});

/** What an operator does to alarms from the console. */
export const ALARM_ACTIONS = [
  'acknowledge',
  'unacknowledge',
  'take-ownership',
  'release',
  'comment',
] as const;

/** Most alarms one operator action may cover (a selection of the whole console). */
export const MAX_ACTION_ALARMS = 200_000;

/** An operator action on one or more alarms (the operator's name comes from the settings). */
export const alarmActionSchema = z
  .strictObject({
    keys: z
      .array(alarmKeySchema)
      .min(1, 'Select at least one alarm')
      .max(MAX_ACTION_ALARMS, `At most ${MAX_ACTION_ALARMS} alarms at once`),
    action: z.enum(ALARM_ACTIONS, { error: 'Unknown alarm action' }),
    comment: z.string().trim().max(2000, 'A comment is at most 2000 characters').optional(),
  })
  .refine((a) => a.action !== 'comment' || (a.comment ?? '') !== '', {
    message: 'Write a comment',
    path: ['comment'],
  });

/** What an operator action did: how many alarms changed and which keys were not found. */
export const alarmActionOutcomeSchema = z.strictObject({
  changed: z.number(),
  missing: z.array(z.string()),
});

/** The alarms of a Create Ticket dialog for a selection, checked at once (issue 11). */
export const groupCheckSchema = z.strictObject({
  keys: z
    .array(alarmKeySchema)
    .min(1)
    .max(MAX_GROUP_ALARMS, {
      error: `One ticket can stand for at most ${MAX_GROUP_ALARMS} alarms; select fewer alarms`,
    }),
});
