/**
 * Runtime schemas of everything that crosses the process boundary. Objects are strict: an
 * unknown key is refused, so a renderer cannot smuggle data past the router.
 */
import './zod-setup.js';
import { z } from 'zod';
import {
  CLIENT_IMPACTS,
  OCEANE_TICKET_STATUSES,
  PRIORITIES,
  SEVERITIES,
  TECHNICAL_IMPACTS,
  TICKET_STATUSES,
  URGENCIES,
} from './domain.js';
import {
  CLEAR_ACTION_CHOICES,
  SETTINGS_BOUNDS,
  baseUrlProblem,
  dataMinerUrlProblem,
  eventListenerUrlProblem,
} from './settings-rules.js';
import { dmId, requiredText, text } from './schema-fields.js';
import { groupAlarmRowSchema, otherAlarmsSchema } from './group-ticket-schemas.js';

export { MAX_GROUP_ALARMS, groupAlarmSchema } from './group-ticket-schemas.js';
export {
  ALARM_ACTIONS,
  MAX_ACTION_ALARMS,
  alarmActionOutcomeSchema,
  alarmActionSchema,
  alarmKeySchema,
  groupCheckSchema,
} from './alarm-selection-schemas.js';

const isoTime = z.iso.datetime({ offset: true });
const boundedInt = (label: string, b: { min: number; max: number }) =>
  z
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(b.min, `${label} must be at least ${b.min}`)
    .max(b.max, `${label} must be at most ${b.max}`);

export const alarmPropertiesSchema = z.record(z.string().max(200), z.string().max(2000));

/** An operator's comment on an alarm. */
export const alarmCommentSchema = z.strictObject({
  at: z.string(),
  by: z.string(),
  text: z.string(),
});

/**
 * What operators did with an alarm and whether it cleared, kept by the (mock) DataMiner.
 * `clearedAt` is set once the alarm returned to normal: it shows as Cleared for a while, then
 * goes.
 */
export const alarmStateSchema = z.strictObject({
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  owner: z.string().nullable(),
  comments: z.array(alarmCommentSchema),
  clearedAt: z.string().nullable(),
});

/**
 * An alarm tree as the console shows it. `alarmId` is the root alarm ID (what `[ROOTKEY]`
 * carries, the alarm's identity for tickets and properties); `latestAlarmId` is the Alarm ID
 * of the tree's latest update (absent: the root itself). `state` is absent while nobody has
 * touched the alarm and it has not cleared.
 */
export const alarmSchema = z.strictObject({
  dmaId: z.string(),
  elementId: z.string(),
  alarmId: z.string(),
  latestAlarmId: z.string().optional(),
  state: alarmStateSchema.optional(),
  elementName: z.string(),
  parameter: z.string(),
  value: z.string(),
  severity: z.enum(SEVERITIES),
  time: z.string(),
  rootTime: z.string(),
  properties: alarmPropertiesSchema,
});

/** A batch of alarm changes; `removed` holds `dmaId/alarmId` keys of cleared alarms. */
export const alarmsChangedSchema = z.strictObject({
  upserted: z.array(alarmSchema),
  removed: z.array(z.string()),
});

/** Technical Impact preselected in the Create Ticket dialog, per alarm severity. */
export const impactBySeveritySchema = z.strictObject({
  Critical: z.enum(TECHNICAL_IMPACTS),
  Major: z.enum(TECHNICAL_IMPACTS),
  Minor: z.enum(TECHNICAL_IMPACTS),
  Warning: z.enum(TECHNICAL_IMPACTS),
  Normal: z.enum(TECHNICAL_IMPACTS),
});

/** The console's own settings: who the operator is and the Create Ticket defaults. */
export const consoleSettingsSchema = z.strictObject({
  operatorName: requiredText('Operator name', 100),
  defaultPriority: z.enum(PRIORITIES, { error: 'Choose a default Priority' }),
  defaultUrgency: z.enum(URGENCIES, { error: 'Choose a default Urgency' }),
  impactBySeverity: impactBySeveritySchema,
  /** How long a cleared alarm stays in the console, in seconds. */
  clearedVisibleSeconds: boundedInt('Cleared alarms stay', { min: 0, max: 86_400 }),
  /** Oceane unreachable this long raises the "Oceane Connector" alarm (issue 12), minutes. */
  connectorAlarmMinutes: boundedInt('Oceane Connector alarm after', { min: 1, max: 1440 }),
  /** The team's DataMiner process (issue 14); empty = the built-in mock DataMiner. */
  dataMinerUrl: text(500).superRefine((v, ctx) => {
    const problem = dataMinerUrlProblem(v.trim());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

/** A change to the console settings: any of its fields. */
export const consoleSettingsUpdateSchema = consoleSettingsSchema.partial().strict();

/** What the Create Ticket dialog submits: the hyperlink's alarm context plus the form. */
export const createTicketRequestSchema = z.strictObject({
  dmaId: dmId('DMA ID'),
  elementId: dmId('Element ID'),
  alarmId: dmId('Alarm ID'),
  elementName: requiredText('Element Name', 200),
  alarmValue: text(1000).optional(),
  rootTime: isoTime.optional(),
  priority: z.enum(PRIORITIES, { error: 'Choose a Priority' }),
  urgency: z.enum(URGENCIES, { error: 'Choose an Urgency' }),
  technicalImpact: z.enum(TECHNICAL_IMPACTS, { error: 'Choose a Technical Impact' }),
  clientImpact: z
    .enum(CLIENT_IMPACTS, { error: 'Choose a Client Impact or leave it empty' })
    .optional(),
  description: text(4000).optional(),
  /** The alarm's parameter and severity when the operator asked (shown in detail panes). */
  parameter: text(200).optional(),
  severity: z.enum(SEVERITIES).optional(),
  /** The other alarms of a ticket for several alarms (section 7.6, issue 11). */
  otherAlarms: otherAlarmsSchema,
});

/**
 * One attempt of a ticket request (issue 12): when, which call, and what came of it. Rows keep
 * the last ATTEMPTS_KEPT attempts of this run and of the runs before it that recorded them.
 */
export const ticketAttemptSchema = z.strictObject({
  at: z.string(),
  call: z.enum(['create', 'look-up']),
  /** "Created", "Found", "Not found", or the error as one line. */
  outcome: z.string(),
  httpStatus: z.number().nullable(),
});

/** The most attempts a row keeps. */
export const ATTEMPTS_KEPT = 20;

/** The alarm facts a row keeps beside its ticket (issue 12): optional, absent on older rows. */
const alarmFacts = {
  parameter: z.string().optional(),
  severity: z.string().optional(),
  attempts: z.array(ticketAttemptSchema).optional(),
};

export const ticketRowSchema = z.strictObject({
  instance: z.string(),
  ticketId: z.string(),
  alarmId: z.string(),
  dmaId: z.string(),
  elementId: z.string(),
  elementName: z.string(),
  createdAt: z.string(),
  priority: z.enum(PRIORITIES),
  urgency: z.enum(URGENCIES),
  technicalImpact: z.enum(TECHNICAL_IMPACTS),
  clientImpact: z.string(),
  rootCause: z.string(),
  rootTime: z.string(),
  description: z.string(),
  status: z.enum(TICKET_STATUSES),
  ticketUrl: z.string(),
  /** 'found': an existing ticket found in Oceane and adopted, not created by this request. */
  origin: z.enum(['created', 'found']).optional(),
  /** The ticket's status in Oceane, once followed (issue 13). */
  oceaneStatus: z.enum(OCEANE_TICKET_STATUSES).optional(),
  /** When Oceane last changed the ticket (a status or a note), once followed. */
  oceaneLastUpdate: z.string().optional(),
  ...alarmFacts,
  /** The other alarms of a ticket for several alarms (issue 11); absent for one alarm. */
  otherAlarms: z.array(groupAlarmRowSchema).optional(),
});

export const failedRequestRowSchema = z.strictObject({
  instance: z.string(),
  ticketInstance: z.string(),
  httpErrorCode: z.number().nullable(),
  appErrorCode: z.string(),
  errorMessage: z.string(),
  errorDescription: z.string(),
  failedAt: z.string(),
  /** Which call failed: the create, or the look-up of the alarm in Oceane (issue 10). */
  failedCall: z.enum(['create', 'look-up']).optional(),
  /** The alarm of the ticket, as it was when the request failed (issue 12). */
  elementName: z.string().optional(),
  dmaId: z.string().optional(),
  alarmId: z.string().optional(),
  ...alarmFacts,
});

export const queueEntryViewSchema = z.strictObject({
  instance: z.string(),
  dmaId: z.string(),
  alarmId: z.string(),
  elementName: z.string(),
  enqueuedAt: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

/** The Debug page: the processing lock and the Pending Ticket Creation Queue. */
export const queueStatusSchema = z.strictObject({
  locked: z.boolean(),
  lockedBy: z.string().nullable(),
  pending: z.array(queueEntryViewSchema),
});

export const elementSettingsSchema = z.strictObject({
  ticketStorageDurationDays: boundedInt(
    'Ticket Storage Duration Limit',
    SETTINGS_BOUNDS.ticketStorageDurationDays,
  ),
  ticketStorageCountLimit: boundedInt(
    'Ticket Storage Count Limit',
    SETTINGS_BOUNDS.ticketStorageCountLimit,
  ),
  ticketCreationRetryCount: boundedInt(
    'Ticket Creation Retry Count',
    SETTINGS_BOUNDS.ticketCreationRetryCount,
  ),
  displayDebugPage: z.boolean({ error: 'Display Debug Page must be on or off' }),
  /** Failed tickets and Oceane's reachability as desktop notifications (issue 12). */
  desktopNotifications: z.boolean({ error: 'Desktop notifications must be on or off' }),
  /** How often Oceane is asked for ticket changes (issue 13, 7.1). */
  ticketStatusPollSeconds: boundedInt(
    'Ticket status poll interval',
    SETTINGS_BOUNDS.ticketStatusPollSeconds,
  ),
  /** What happens to an open ticket when its alarms clear (issue 13). */
  clearAction: z.enum(CLEAR_ACTION_CHOICES, {
    error: 'When an alarm clears: choose nothing, add a note or resolve the ticket',
  }),
  /** Where the console listens for Oceane's events (7.5); empty: polling only. */
  eventListenerUrl: text(500).superRefine((v, ctx) => {
    const problem = eventListenerUrlProblem(v.trim());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

export const apiSettingsSchema = z.strictObject({
  baseUrl: text(2000).superRefine((v, ctx) => {
    const problem = baseUrlProblem(v.trim());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  clientId: text(200),
  userId: text(200),
  ticketUrlTemplate: text(2000).refine((v) => v.includes('{id}'), {
    message: 'The ticket URL template must contain {id}',
  }),
  requestTimeoutSeconds: boundedInt('Request time-out', SETTINGS_BOUNDS.requestTimeoutSeconds),
  /** A CA certificate (PEM) trusted besides the system's, for an Oceane behind a private CA. */
  extraCaCertificate: text(20_000),
});

/**
 * A change to the settings. Every field is optional; the Client Secret is write-only:
 * `clientSecret` sets it, `clearClientSecret` removes it, and it is never sent back.
 * `allowWeakSecretStorage` records the user's consent to keep the secret on disk where the
 * OS offers no real key store.
 */
export const settingsUpdateSchema = z.strictObject({
  element: elementSettingsSchema.partial().optional(),
  api: apiSettingsSchema.partial().optional(),
  clientSecret: z.string().min(1, 'Client Secret cannot be empty').max(1000).optional(),
  clearClientSecret: z.literal(true).optional(),
  allowWeakSecretStorage: z.boolean().optional(),
});

/** Where and how the Client Secret is kept; the renderer learns this, never the secret. */
export const secretStorageStatusSchema = z.strictObject({
  /** OS encryption available (safeStorage). */
  encryptionAvailable: z.boolean(),
  /** The OS key store backend, e.g. `gnome_libsecret`, `basic_text`, `dpapi`, `keychain`. */
  backend: z.string(),
  /** True when the backend offers no real protection (Linux `basic_text`). */
  weak: z.boolean(),
  /** The user accepted storing the secret weakly protected. */
  weakConsent: z.boolean(),
  /** The secret survives a restart (stored on disk), as opposed to kept in memory only. */
  persisted: z.boolean(),
});

export const settingsViewSchema = z.strictObject({
  element: elementSettingsSchema,
  api: apiSettingsSchema,
  clientSecretSet: z.boolean(),
  secretStorage: secretStorageStatusSchema,
  demoMode: z.boolean(),
});

/** A failure reported by Oceane or by the network, in the columns of oceane-api.md §4. */
export const oceaneErrorSchema = z.strictObject({
  httpStatus: z.number().nullable(),
  appCode: z.string(),
  message: z.string(),
  description: z.string(),
});

export const authResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), validUntil: z.string(), tokenType: z.string() }),
  z.strictObject({ ok: z.literal(false), error: oceaneErrorSchema }),
]);

/** A ticket that an alarm already has, and where the app learned of it. */
export const existingTicketSchema = z.strictObject({
  source: z.enum(['property', 'table', 'queue', 'oceane']),
  status: z.enum(TICKET_STATUSES),
  ticketId: z.string().nullable(),
  ticketUrl: z.string().nullable(),
  instance: z.string().nullable(),
});

export const createTicketOutcomeSchema = z.strictObject({
  instance: z.string(),
  status: z.literal('Pending'),
});

/** One entry of an alarm's context menu, from HyperLinks.xml with placeholders filled in. */
export const menuItemSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['create-ticket', 'url', 'script']),
  tooltip: z.string(),
  /** For `url` items: the resolved URL. */
  url: z.string().nullable(),
  /** For script items: the parameters the hyperlink passes (e.g. "DMA ID" -> "123"). */
  params: z.record(z.string(), z.string()),
  /** Why the item cannot run (a required parameter missing), or null. */
  error: z.string().nullable(),
  /** The submenu it sits in (HyperLinks.xml `menu`, split on "/"); empty at the top level. */
  menu: z.array(z.string()),
  /** Also a column of the alarm console (`alarmColumn="true"`). */
  alarmColumn: z.boolean(),
  /** The operator confirms before it runs (a script without the `NoConfirmation` option). */
  confirm: z.boolean(),
  /** Its dialog closes by itself once done (the `CloseWhenFinished` option). */
  closeWhenFinished: z.boolean(),
});

/** A hyperlink shown as a column of the alarm console: its cells run it for their alarm. */
export const hyperLinkColumnSchema = z.strictObject({ id: z.string(), name: z.string() });

/** Something the operator should be told: a ticket created or failed, a file recovered. */
export const noticeSchema = z.strictObject({
  id: z.string(),
  level: z.enum(['success', 'info', 'warning', 'error']),
  title: z.string(),
  message: z.string(),
  at: z.string(),
  /** The ticket request the notice is about: the UI keeps one notice per ticket. */
  ticketInstance: z.string().optional(),
});

export const appInfoSchema = z.strictObject({
  version: z.string(),
  demoMode: z.boolean(),
  simulatorUrl: z.string().nullable(),
  notices: z.array(noticeSchema),
  /** The HyperLinks menu file the app reads (in packaged builds, the copy in the data folder). */
  hyperLinksFile: z.string(),
});

export const ticketsChangedSchema = z.strictObject({
  upserted: z.array(ticketRowSchema),
  removed: z.array(z.string()),
});

export const failedRequestsChangedSchema = z.strictObject({
  upserted: z.array(failedRequestRowSchema),
  removed: z.array(z.string()),
});

export const instanceRefSchema = z.strictObject({ instance: z.string().min(1).max(100) });
export const openUrlSchema = z.strictObject({ url: z.string().min(1).max(4000) });

/**
 * The integration health light beside the navigation (issue 12): green when the token is
 * valid and the last call succeeded, amber while requests wait for a retry, red when Oceane
 * is unreachable or refuses the credentials, unknown before the first call.
 */
export const integrationHealthSchema = z.strictObject({
  level: z.enum(['green', 'amber', 'red', 'unknown']),
  /** One sentence saying why the light has its colour. */
  summary: z.string(),
  /** False after a call got no answer (or a gateway error), true after any answer. */
  reachable: z.boolean().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.strictObject({ at: z.string(), message: z.string() }).nullable(),
  /** Requests in the Pending Ticket Creation Queue, and how many of them wait for a retry. */
  queueDepth: z.number(),
  waitingForRetry: z.number(),
  tokenExpiresAt: z.string().nullable(),
  /** Team mode only (issue 14): whether the team's PostgreSQL answers, and why not. */
  teamDatabase: z
    .strictObject({
      state: z.enum(['connecting', 'reachable', 'unreachable']),
      /** The sentence the light shows (where the database is, pg's reason, the reconnecting). */
      message: z.string(),
    })
    .optional(),
});
