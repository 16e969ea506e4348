/**
 * The human page of a ticket, served at `{base}/ticket/{id}` (oceane-api.md section 2: the
 * "Oceane Ticket URL" written onto the alarm). Every value from a ticket is HTML-escaped.
 */
import type { TroubleTicket } from './types.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Headers for the pages: no scripts, no external resources, no framing. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2rem;color:#222}' +
  'table{border-collapse:collapse}th,td{text-align:left;padding:.3rem .8rem;border-bottom:1px solid #ddd}' +
  'th{color:#555;font-weight:600}';

function page(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n` +
    `<body>${body}</body></html>\n`
  );
}

function text(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The page of one ticket. */
export function renderTicketPage(ticket: TroubleTicket): string {
  const characteristic = (name: string): string =>
    text(ticket.troubleTicketCharacteristic.find((c) => c.name === name)?.value);
  const alarms = ticket.externalIdentifier.filter((x) => x.owner === 'DataMiner').map((x) => x.id);
  const elements = ticket.relatedEntity
    .filter((x) => x.role === 'alarmedElement')
    .map((x) => `${text(x.entity.name)} (${x.entity.id})`);
  const originator = ticket.relatedParty?.find((x) => x.role === 'originator')?.partyOrPartyRole;
  const rows: [string, string][] = [
    ['Ticket ID', ticket.id],
    ['Name', text(ticket.name)],
    ['Status', ticket.status],
    ['Status changed', ticket.statusChangeDate ?? ''],
    ['Status reason', ticket.statusChangeReason ?? ''],
    ['Resolved', ticket.resolutionDate ?? ''],
    ['Priority', ticket.priority],
    ['Urgency', characteristic('urgency')],
    ['Technical Impact', ticket.severity],
    ['Client Impact', characteristic('clientImpact')],
    [alarms.length > 1 ? 'Alarms (DMA ID/Alarm ID)' : 'Alarm (DMA ID/Alarm ID)', alarms.join(', ')],
    [elements.length > 1 ? 'Elements' : 'Element', elements.join(', ')],
    ['Alarm Value', characteristic('alarmValue')],
    ['Root Time', characteristic('rootTime')],
    ['Originator', originator?.id ?? ''],
    ['Created', ticket.creationDate],
    ['Description', ticket.description],
    ...(ticket.note ?? []).map((n): [string, string] => [
      `Note ${n.date ?? ''}`.trim(),
      `${n.author ? `${n.author}: ` : ''}${n.text}`,
    ]),
  ];
  const table = rows
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');
  return page(
    `Oceane ticket ${ticket.id}`,
    `<h1>Oceane ticket ${escapeHtml(ticket.id)}</h1>\n<table>\n${table}\n</table>\n` +
      `<p>Served by the Oceane simulator.</p>`,
  );
}

/** The page for an unknown ticket (sent with status 404). */
export function renderMissingTicketPage(id: string): string {
  return page(
    'Ticket not found',
    `<h1>Ticket not found</h1>\n<p>No Oceane ticket has the ID ${escapeHtml(id)}.</p>`,
  );
}
