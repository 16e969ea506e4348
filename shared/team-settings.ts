/**
 * The Team settings (issue 14): the PostgreSQL that a team of consoles shares, its TLS options
 * and the schemas of what crosses to and from the renderer about them. The password is
 * write-only, like the Client Secret: the renderer sends it, and learns only whether one is
 * set. Empty URL = no team mode (one console, nothing changes).
 */
import './zod-setup.js';
import { z } from 'zod';
import { secretStorageStatusSchema } from './schemas.js';

/** How the connection to PostgreSQL is protected. */
export const TEAM_TLS_MODES = ['off', 'require', 'verify-ca'] as const;
export type TeamTlsMode = (typeof TEAM_TLS_MODES)[number];

/**
 * Checks a PostgreSQL URL: postgres:// or postgresql://, a host, a database, no password (it
 * has its own field) and no parameters (TLS has its own options). Returns a sentence for the
 * operator, or null. Empty means "no team mode" and is accepted.
 */
export function postgresUrlProblem(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a URL such as postgres://console@db.example.com:5432/oceane';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return 'The PostgreSQL URL must start with postgres:// or postgresql://';
  }
  if (url.hostname === '') return 'The PostgreSQL URL needs a host, such as db.example.com';
  if (url.password) {
    return 'Do not put the password in the URL: enter it in the Password field, where it is kept encrypted';
  }
  if (url.pathname.replace(/^\//, '') === '') {
    return 'The PostgreSQL URL needs a database name at its end, such as /oceane';
  }
  if (url.search || url.hash) {
    return 'The PostgreSQL URL cannot have parameters (?…): choose TLS with the options below';
  }
  return null;
}

const postgresUrl = z
  .string({ error: 'The PostgreSQL URL must be text' })
  .trim()
  .max(2000, 'The PostgreSQL URL is at most 2000 characters')
  .superRefine((v, ctx) => {
    const problem = postgresUrlProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The stored Team settings (without the password). */
export const teamSettingsSchema = z.strictObject({
  postgresUrl,
  tls: z.enum(TEAM_TLS_MODES, { error: 'Choose how the connection is protected' }),
  /** The CA certificate file (PEM) that signed the server's certificate, for verify-ca. */
  caFile: z.string().trim().max(4096, 'The CA file path is at most 4096 characters'),
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;

/**
 * A change of the Team settings, or a draft to test: any of the fields, and the password,
 * which is set, kept (absent) or removed (`clearPassword`).
 */
export const teamSettingsUpdateSchema = teamSettingsSchema.partial().extend({
  password: z
    .string({ error: 'The password must be text' })
    .min(1, 'The password cannot be empty')
    .max(1000, 'The password is at most 1000 characters')
    .optional(),
  clearPassword: z.literal(true).optional(),
});
export type TeamSettingsUpdate = z.infer<typeof teamSettingsUpdateSchema>;

/** What the renderer learns: the settings, whether a password is set and where it is kept. */
export const teamSettingsViewSchema = z.strictObject({
  settings: teamSettingsSchema,
  passwordSet: z.boolean(),
  passwordStorage: secretStorageStatusSchema,
  /** True when a PostgreSQL URL is set. */
  teamMode: z.boolean(),
});
export type TeamSettingsView = z.infer<typeof teamSettingsViewSchema>;

/** A successful "Test connection": the server's version and whether TLS protected the link. */
export const teamConnectionCheckSchema = z.strictObject({
  serverVersion: z.string(),
  tls: z.boolean(),
});
export type TeamConnectionCheck = z.infer<typeof teamConnectionCheckSchema>;

/** The settings of a console that is not in a team. */
export const NO_TEAM: TeamSettings = { postgresUrl: '', tls: 'require', caFile: '' };
