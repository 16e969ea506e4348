/**
 * Runtime schemas of everything that crosses the process boundary. Objects are strict: an
 * unknown key is refused, so a renderer cannot smuggle data past the router.
 */
import { z } from 'zod';
import {
  CLIENT_IMPACTS,
  PRIORITIES,
  SEVERITIES,
  TECHNICAL_IMPACTS,
  TICKET_STATUSES,
  URGENCIES,
} from './domain.js';
import { SETTINGS_BOUNDS, baseUrlProblem } from './settings-rules.js';

const text = (max: number) => z.string().max(max, `At most ${max} characters`);
const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is at most ${max} characters`);
/** DataMiner identifiers are non-negative integers, carried as strings as hyperlinks pass them. */
const dmId = (label: string) =>
  requiredText(label, 20).regex(/^\d+$/, `${label} must be a number such as 123`);
const isoTime = z.iso.datetime({ offset: true });
const boundedInt = (label: string, b: { min: number; max: number }) =>
  z
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(b.min, `${label} must be at least ${b.min}`)
    .max(b.max, `${label} must be at most ${b.max}`);

export const alarmKeySchema = z.strictObject({
  dmaId: dmId('DMA ID'),
  alarmId: dmId('Alarm ID'),
});

export const alarmPropertiesSchema = z.record(z.string().max(200), z.string().max(2000));

export const alarmSchema = z.strictObject({
  dmaId: z.string(),
  elementId: z.string(),
  alarmId: z.string(),
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
});

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
});

/** Something the operator should be told: a ticket created or failed, a file recovered. */
export const noticeSchema = z.strictObject({
  id: z.string(),
  level: z.enum(['success', 'info', 'warning', 'error']),
  title: z.string(),
  message: z.string(),
  at: z.string(),
});

export const appInfoSchema = z.strictObject({
  version: z.string(),
  demoMode: z.boolean(),
  simulatorUrl: z.string().nullable(),
  notices: z.array(noticeSchema),
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
