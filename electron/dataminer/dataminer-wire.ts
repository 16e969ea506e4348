/**
 * The wire contract between the mock DataMiner process (`npm run dataminer`) and the consoles
 * of a team (issue 14, point 5), as DataMiner Cube talks to a DataMiner Agent: HTTP requests
 * for the operators' actions, the connector's alarm properties and the system's own alarms,
 * and one server-sent events stream that starts with every alarm and goes on with each change.
 * Both sides validate every message with these schemas: a console never trusts the network.
 */
import '../../shared/zod-setup.js';
import { z } from 'zod';
import { SEVERITIES } from '../../shared/domain.js';
import {
  alarmActionSchema,
  alarmKeySchema,
  alarmPropertiesSchema,
  alarmSchema,
  alarmsChangedSchema,
} from '../../shared/schemas.js';

/** Paths of the DataMiner's HTTP interface. */
export const DATAMINER_PATHS = {
  stream: '/dataminer/v1/stream',
  actions: '/dataminer/v1/actions',
  properties: '/dataminer/v1/properties',
  systemAlarm: '/dataminer/v1/system-alarm',
  health: '/dataminer/v1/health',
} as const;

/** POST actions: an operator action on alarms, with the operator's name. */
export const actionRequestSchema = z.strictObject({
  action: alarmActionSchema,
  operator: z.string().trim().min(1).max(100),
});

/** POST properties: properties merged onto one alarm (DMA ID/root Alarm ID). */
export const propertiesRequestSchema = z.strictObject({
  key: alarmKeySchema,
  properties: alarmPropertiesSchema,
});

/** POST system-alarm: an alarm of the system's own elements ("Oceane Connector"). */
export const systemAlarmRequestSchema = z.strictObject({
  elementId: z.string().regex(/^\d{1,9}$/),
  elementName: z.string().min(1).max(200),
  parameter: z.string().min(1).max(200),
  severity: z.enum(SEVERITIES),
  value: z.string().max(1000),
});

/** The answer to an action: what changed and which keys were not found. */
export const actionOutcomeSchema = z.strictObject({
  changed: z.number().int().min(0),
  missing: z.array(z.string()),
});

/** Stream event `snapshot`: every alarm, first on each connection. */
export const snapshotEventSchema = z.strictObject({ alarms: z.array(alarmSchema) });
/** Stream event `changed`: a batch of changes, each alarm once in its latest state. */
export const changedEventSchema = alarmsChangedSchema;
/** Stream event `alarm`: one change in an alarm's life, as the mock DataMiner emits it. */
export const alarmEventSchema = z.strictObject({
  kind: z.enum(['raised', 'updated', 'cleared', 'removed', 'state']),
  key: z.string(),
  alarm: alarmSchema,
  previous: alarmSchema.nullable(),
});

/** An error answer: a sentence for the operator. */
export const errorAnswerSchema = z.strictObject({ error: z.string() });

/** Largest request body the DataMiner accepts (an action on 200,000 alarms fits). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
