/**
 * The schemas of a ticket for several alarms (issue 11, oceane-api.md section 7.6): the other
 * alarms a Create Ticket request carries (bounded), and the same alarms as a stored row keeps
 * them.
 */
import './zod-setup.js';
import { z } from 'zod';
import { SEVERITIES } from './domain.js';
import { dmId, requiredText, text } from './schema-fields.js';

/** Most alarms one ticket may stand for (oceane-api.md section 7.6, issue 11). */
export const MAX_GROUP_ALARMS = 500;

/**
 * Another alarm of a ticket for several alarms (section 7.6). `includeTicketed`: the operator
 * chose to include it although it already has a ticket (never one with an open request).
 */
export const groupAlarmSchema = z.strictObject({
  dmaId: dmId('DMA ID'),
  elementId: dmId('Element ID'),
  alarmId: dmId('Alarm ID'),
  elementName: requiredText('Element Name', 200),
  parameter: text(200).optional(),
  severity: z.enum(SEVERITIES).optional(),
  includeTicketed: z.boolean().optional(),
});

/** The same alarm as a stored row keeps it (older rows have none). */
export const groupAlarmRowSchema = z.strictObject({
  dmaId: z.string(),
  elementId: z.string(),
  alarmId: z.string(),
  elementName: z.string(),
  parameter: z.string().optional(),
  severity: z.string().optional(),
  includeTicketed: z.boolean().optional(),
});

/** A group's alarms besides the request's own (the request's alarm is the primary one). */
export const otherAlarmsSchema = z
  .array(groupAlarmSchema)
  .max(MAX_GROUP_ALARMS - 1, {
    error: `One ticket can stand for at most ${MAX_GROUP_ALARMS} alarms; select fewer alarms`,
  })
  .optional();
