/**
 * The connector's settings (the seed's Element Settings and API Settings): defaults and bounds
 * from shared/settings-rules.ts, stored as one small document through the SettingsStorePort,
 * validated on read and on every change. A change is all or nothing: one bad field refuses the
 * whole update with a message per field, and what was stored stays as it was. The Client
 * Secret never enters the document: it goes to the SecretStorePort and comes back only as
 * "set" or "not set".
 */
import type { ApiSettings, ElementSettings, SettingsView } from '../../shared/domain.js';
import { fieldErrors, isRecord } from '../../shared/guards.js';
import { fail, ok, type Result } from '../../shared/result.js';
import {
  apiSettingsSchema,
  elementSettingsSchema,
  settingsUpdateSchema,
} from '../../shared/schemas.js';
import { SETTINGS_DEFAULTS, normalizeBaseUrl } from '../../shared/settings-rules.js';
import type { SecretStorePort, SettingsStorePort } from './ports.js';
import { caCertificateProblem, normalizePem } from './http-transport.js';
import { ticketUrlTemplateProblem } from './ticket-url.js';

/** The document kept in the settings store. */
export interface SettingsDocument {
  element: ElementSettings;
  api: ApiSettings;
}

/** The defaults of every setting. */
export function defaultSettings(): SettingsDocument {
  const d = SETTINGS_DEFAULTS;
  return {
    element: {
      ticketStorageDurationDays: d.ticketStorageDurationDays,
      ticketStorageCountLimit: d.ticketStorageCountLimit,
      ticketCreationRetryCount: d.ticketCreationRetryCount,
      displayDebugPage: d.displayDebugPage,
      desktopNotifications: d.desktopNotifications,
      ticketStatusPollSeconds: d.ticketStatusPollSeconds,
      clearAction: d.clearAction,
      eventListenerUrl: d.eventListenerUrl,
    },
    api: {
      baseUrl: d.baseUrl,
      clientId: d.clientId,
      userId: d.userId,
      ticketUrlTemplate: d.ticketUrlTemplate,
      requestTimeoutSeconds: d.requestTimeoutSeconds,
      extraCaCertificate: '',
    },
  };
}

/**
 * Reads a stored document: missing fields take their defaults (a first start, or an older
 * version), but any invalid value makes the whole document unusable.
 */
export function parseSettingsDocument(raw: unknown): SettingsDocument | null {
  if (!isRecord(raw)) return null;
  const defaults = defaultSettings();
  const element = raw.element ?? {};
  const api = raw.api ?? {};
  if (!isRecord(element) || !isRecord(api)) return null;
  const e = elementSettingsSchema.safeParse({ ...defaults.element, ...element });
  const a = apiSettingsSchema.safeParse({ ...defaults.api, ...api });
  if (!e.success || !a.success) return null;
  if (ticketUrlTemplateProblem(a.data.ticketUrlTemplate, a.data.baseUrl) !== null) return null;
  return { element: e.data, api: { ...a.data, baseUrl: normalizeBaseUrl(a.data.baseUrl.trim()) } };
}

/** What an accepted update changed, so that the connector can react. */
export interface SettingsChange {
  view: SettingsView;
  /** Base URL, Client ID or the secret changed: the cached token is no longer valid. */
  credentialsChanged: boolean;
  /** A retention limit changed: prune again. */
  limitsChanged: boolean;
}

/** Holds the current settings and applies changes. */
export class SettingsService {
  private doc: SettingsDocument;

  private constructor(
    private readonly store: SettingsStorePort,
    private readonly secrets: SecretStorePort,
    private readonly demoMode: boolean,
    doc: SettingsDocument,
  ) {
    this.doc = doc;
  }

  /**
   * Loads the settings. An unreadable or invalid document is set aside (when the store can)
   * and replaced by the defaults; the returned problem says so, for a notice.
   */
  static load(
    store: SettingsStorePort,
    secrets: SecretStorePort,
    demoMode: boolean,
  ): { service: SettingsService; problem: string | null } {
    let raw: unknown;
    let readError: string | null = null;
    try {
      raw = store.read();
    } catch (error) {
      readError = error instanceof Error ? error.message : String(error);
    }
    const empty = readError === null && isRecord(raw) && Object.keys(raw).length === 0;
    const parsed = readError === null ? parseSettingsDocument(raw) : null;
    if (parsed)
      return { service: new SettingsService(store, secrets, demoMode, parsed), problem: null };
    const defaults = defaultSettings();
    const service = new SettingsService(store, secrets, demoMode, defaults);
    if (empty) return { service, problem: null };
    let movedTo: string | null = null;
    try {
      movedTo = store.setAside?.() ?? null;
    } catch {
      movedTo = null;
    }
    let saved = true;
    try {
      store.write({ ...defaults });
    } catch {
      saved = false;
    }
    const problem =
      `Settings file was ${readError === null ? 'invalid' : 'damaged'}, defaults restored` +
      (movedTo ? `; the old file was moved aside to ${movedTo}` : '') +
      (saved ? '' : '; the defaults could not be saved');
    return { service, problem };
  }

  /** The settings as the renderer sees them (never the secret itself). */
  view(): SettingsView {
    return {
      element: { ...this.doc.element },
      api: { ...this.doc.api },
      clientSecretSet: this.secrets.get() !== undefined,
      secretStorage: this.secrets.status(),
      demoMode: this.demoMode,
    };
  }

  /** Element settings in force. */
  get element(): ElementSettings {
    return this.doc.element;
  }

  /** API settings in force. */
  get api(): ApiSettings {
    return this.doc.api;
  }

  /** The Client Secret, for the token call only. */
  clientSecret(): string | undefined {
    return this.secrets.get();
  }

  /** Validates and applies an update, all or nothing. */
  update(input: unknown): Result<SettingsChange> {
    const parsed = settingsUpdateSchema.safeParse(input);
    if (!parsed.success) {
      return fail('validation', 'Some settings are not valid', fieldErrors(parsed.error));
    }
    const update = parsed.data;
    const next: SettingsDocument = {
      element: { ...this.doc.element, ...update.element },
      api: { ...this.doc.api, ...update.api },
    };
    next.api.baseUrl = normalizeBaseUrl(next.api.baseUrl.trim());
    next.api.clientId = next.api.clientId.trim();
    next.api.userId = next.api.userId.trim();
    next.api.extraCaCertificate = normalizePem(next.api.extraCaCertificate);
    const fields: Record<string, string> = {};
    const caProblem = caCertificateProblem(next.api.extraCaCertificate);
    if (caProblem) fields['api.extraCaCertificate'] = caProblem;
    const templateProblem = ticketUrlTemplateProblem(next.api.ticketUrlTemplate, next.api.baseUrl);
    if (templateProblem) fields['api.ticketUrlTemplate'] = templateProblem;
    if (update.clientSecret !== undefined && update.clearClientSecret) {
      fields.clientSecret = 'Either set or clear the Client Secret, not both';
    }
    // The secret goes only to the server it was entered for: a new origin needs it again, so
    // that no renderer can send the stored secret to a host of its choice (review F12).
    if (
      originOf(next.api.baseUrl) !== originOf(this.doc.api.baseUrl) &&
      this.secrets.get() !== undefined &&
      update.clientSecret === undefined &&
      !update.clearClientSecret
    ) {
      fields.clientSecret = 'Enter the Client Secret again for the new Base URL';
    }
    if (Object.keys(fields).length > 0) {
      return fail('validation', 'Some settings are not valid', fields);
    }
    const previous = this.doc;
    try {
      this.store.write({ element: next.element, api: next.api });
    } catch (error) {
      return fail('storage', `The settings could not be saved: ${describe(error)}`);
    }
    const secretBefore = this.secrets.get();
    try {
      if (update.allowWeakSecretStorage !== undefined) {
        this.secrets.setWeakConsent(update.allowWeakSecretStorage);
      }
      if (update.clientSecret !== undefined) this.secrets.set(update.clientSecret);
      if (update.clearClientSecret) this.secrets.clear();
    } catch (error) {
      try {
        this.store.write({ element: previous.element, api: previous.api });
      } catch {
        // The document stays as written; the secret is unchanged and the view reports it.
      }
      return fail('storage', `The Client Secret could not be stored: ${describe(error)}`);
    }
    this.doc = next;
    const secretChanged = this.secrets.get() !== secretBefore;
    return ok({
      view: this.view(),
      credentialsChanged:
        secretChanged ||
        previous.api.baseUrl !== next.api.baseUrl ||
        previous.api.clientId !== next.api.clientId,
      limitsChanged:
        previous.element.ticketStorageCountLimit !== next.element.ticketStorageCountLimit ||
        previous.element.ticketStorageDurationDays !== next.element.ticketStorageDurationDays,
    });
  }
}

/** Scheme, host and port of a Base URL ('' when empty or unreadable). */
function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return '';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
