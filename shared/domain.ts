/**
 * Domain vocabulary shared by the main process and the renderer: the enumerations of the
 * Oceane API profile (oceane-api.md section 2) and the data the app keeps (design.md "Data").
 * Every type here is inferred from its runtime schema in `schemas.ts`, so what crosses the
 * process boundary is checked against exactly what the code compiles against.
 */
import type { z } from 'zod';
import type * as s from './schemas.js';

/** Ticket priority, sent as TMF621 `priority`. */
export const PRIORITIES = ['Critical', 'High', 'Medium', 'Low'] as const;
/** Urgency, sent as the `urgency` characteristic. */
export const URGENCIES = ['High', 'Medium', 'Low'] as const;
/** Technical impact, sent as TMF621 `severity`. */
export const TECHNICAL_IMPACTS = ['Critical', 'Major', 'Minor', 'Warning'] as const;
/** Client impact, the optional `clientImpact` characteristic. */
export const CLIENT_IMPACTS = ['High', 'Medium', 'Low', 'None'] as const;
/** DataMiner alarm severities, most severe first. */
export const SEVERITIES = ['Critical', 'Major', 'Minor', 'Warning', 'Normal'] as const;
/** Life cycle of a row of the Tickets table. */
export const TICKET_STATUSES = ['Pending', 'Created', 'Failed'] as const;
/** The statuses of an Oceane ticket, TMF621 v5 (oceane-api.md section 7.2). */
export const OCEANE_TICKET_STATUSES = [
  'acknowledged',
  'inProgress',
  'pending',
  'held',
  'resolved',
  'closed',
  'cancelled',
  'rejected',
] as const;

/** The two alarm properties the connector writes back onto an alarm. */
export const PROPERTY_TICKET_ID = 'Oceane Ticket ID';
export const PROPERTY_TICKET_URL = 'Oceane Ticket URL';
/** The third alarm property, once tickets are followed (issue 13): the status in Oceane. */
export const PROPERTY_TICKET_STATUS = 'Oceane Ticket Status';

export type Priority = (typeof PRIORITIES)[number];
export type Urgency = (typeof URGENCIES)[number];
export type TechnicalImpact = (typeof TECHNICAL_IMPACTS)[number];
export type ClientImpact = (typeof CLIENT_IMPACTS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type OceaneTicketStatus = (typeof OCEANE_TICKET_STATUSES)[number];

export type Alarm = z.infer<typeof s.alarmSchema>;
export type AlarmState = z.infer<typeof s.alarmStateSchema>;
export type AlarmComment = z.infer<typeof s.alarmCommentSchema>;
export type AlarmAction = z.infer<typeof s.alarmActionSchema>;
export type AlarmActionKind = AlarmAction['action'];
export type AlarmActionOutcome = z.infer<typeof s.alarmActionOutcomeSchema>;
export type ConsoleSettings = z.infer<typeof s.consoleSettingsSchema>;
export type ConsoleSettingsUpdate = z.infer<typeof s.consoleSettingsUpdateSchema>;
export type AlarmKey = z.infer<typeof s.alarmKeySchema>;
export type AlarmProperties = z.infer<typeof s.alarmPropertiesSchema>;
export type AlarmsChanged = z.infer<typeof s.alarmsChangedSchema>;
export type CreateTicketRequest = z.infer<typeof s.createTicketRequestSchema>;
export type TicketRow = z.infer<typeof s.ticketRowSchema>;
export type FailedRequestRow = z.infer<typeof s.failedRequestRowSchema>;
export type QueueEntryView = z.infer<typeof s.queueEntryViewSchema>;
export type QueueStatus = z.infer<typeof s.queueStatusSchema>;
export type ElementSettings = z.infer<typeof s.elementSettingsSchema>;
export type ApiSettings = z.infer<typeof s.apiSettingsSchema>;
export type SettingsUpdate = z.infer<typeof s.settingsUpdateSchema>;
export type SettingsView = z.infer<typeof s.settingsViewSchema>;
export type SecretStorageStatus = z.infer<typeof s.secretStorageStatusSchema>;
export type AuthResult = z.infer<typeof s.authResultSchema>;
export type OceaneError = z.infer<typeof s.oceaneErrorSchema>;
export type ExistingTicket = z.infer<typeof s.existingTicketSchema>;
export type CreateTicketOutcome = z.infer<typeof s.createTicketOutcomeSchema>;
export type MenuItem = z.infer<typeof s.menuItemSchema>;
export type HyperLinkColumn = z.infer<typeof s.hyperLinkColumnSchema>;
export type Notice = z.infer<typeof s.noticeSchema>;
export type AppInfo = z.infer<typeof s.appInfoSchema>;
export type TicketsChanged = z.infer<typeof s.ticketsChangedSchema>;
export type FailedRequestsChanged = z.infer<typeof s.failedRequestsChangedSchema>;
export type IntegrationHealth = z.infer<typeof s.integrationHealthSchema>;
export type TicketAttempt = z.infer<typeof s.ticketAttemptSchema>;

/** The identity of an alarm across a DataMiner System: DMA ID and root alarm ID. */
export function alarmKeyString(key: { dmaId: string; alarmId: string }): string {
  return `${key.dmaId}/${key.alarmId}`;
}
