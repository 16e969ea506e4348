/**
 * The alarm context menu from HyperLinks.xml (read by hyperlink-read.ts), evaluated per
 * alarm: `filterElement` decides whether a hyperlink shows, placeholders are filled, the
 * Create Ticket parameters are checked, and the Root Time it passes becomes a time the
 * ticket can carry (or is left out, with a log line, never blocking the ticket).
 */
import { promises as fsp } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Alarm, HyperLinkColumn, MenuItem } from '../../shared/domain.js';
import type { Logger } from '../connector/ports.js';
import { parseDataMinerTime } from './dataminer-time.js';
import { evaluateFilter } from './hyperlink-filter.js';
import { DEFAULT_TIME_FORMAT, fillPlaceholders } from './hyperlink-placeholders.js';
import { readHyperLinks, type HyperLinkDef, type SkippedHyperLink } from './hyperlink-read.js';

/** The Automation script whose hyperlink opens the Create Ticket dialog. */
export const CREATE_TICKET_SCRIPT = 'Orange Oceane Ticketing System';
/** Parameters without which no ticket may be created (seed, "Required Parameters"). */
export const REQUIRED_TICKET_PARAMETERS = ['DMA ID', 'Element ID', 'Alarm ID', 'Element Name'];
/** The Create Ticket parameter that carries the alarm's root time. */
const ROOT_TIME_PARAM = 'Root Time';

/**
 * The built-in menu, used when HyperLinks.xml is not XML at all: the seed's Create Ticket and
 * Go To Ticket hyperlinks, as assets/HyperLinks.xml ships them.
 */
export const BUILT_IN_HYPERLINKS_XML = `<HyperLinks xmlns="http://www.skyline.be/config/hyperlinks">
  <HyperLink id="1" version="2" name="Create Ticket" menu="root" type="script" filterElement="[PROPERTY:ALARM:Oceane Ticket ID] == '' AND [PROPERTY:ALARM:Oceane Ticket URL] == ''">Orange Oceane Ticketing System||DMA ID=[DMAID];Element ID=[EID];Alarm ID=[ROOTKEY];Element Name=[ENAME];Alarm Value=[VALUE];Root Time=[ROOTTIME:yyyy-MM-ddTHH:mm:ssZ]||Create ticket in Oceane Ticketing Tool|NoConfirmation,CloseWhenFinished</HyperLink>
  <HyperLink id="2" version="2" name="Go To Ticket" menu="root" type="url" filterElement="[PROPERTY:ALARM:Oceane Ticket ID] != '' OR [PROPERTY:ALARM:Oceane Ticket URL] != ''">[PROPERTY:ALARM:Oceane Ticket URL]</HyperLink>
</HyperLinks>`;

/** Path of assets/HyperLinks.xml, two folders above this module (source or bundle alike). */
export function defaultHyperLinksPath(moduleUrl: string = import.meta.url): string {
  return fileURLToPath(new URL('../../assets/HyperLinks.xml', moduleUrl));
}

function scriptName(script: string): string {
  // A script may sit in a folder of the Automation module ("Tickets/Orange Oceane ...").
  const parts = script.split(/[/\\]/);
  return (parts[parts.length - 1] ?? '').trim();
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The hyperlinks of one HyperLinks.xml, ready to build any alarm's menu. */
export class HyperLinkMenu {
  private constructor(
    private readonly links: readonly HyperLinkDef[],
    /** Hyperlinks left out because they could not be read, with the reason. */
    readonly skipped: readonly SkippedHyperLink[],
  ) {}

  /**
   * Parses HyperLinks.xml text. Throws an Error only when the text is not a HyperLinks
   * document at all; a hyperlink that cannot be read is left out and listed in `skipped`.
   */
  static parse(xml: string): HyperLinkMenu {
    const { links, skipped } = readHyperLinks(xml);
    return new HyperLinkMenu(links, skipped);
  }

  /** The built-in Create Ticket and Go To Ticket menu. */
  static builtIn(): HyperLinkMenu {
    return HyperLinkMenu.parse(BUILT_IN_HYPERLINKS_XML);
  }

  /** Reads and parses a HyperLinks.xml file. */
  static async load(file: string): Promise<HyperLinkMenu> {
    let xml: string;
    try {
      xml = await fsp.readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the hyperlinks file ${file}: ${(error as Error).message}`);
    }
    try {
      return HyperLinkMenu.parse(xml);
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  }

  /** The hyperlinks shown as alarm console columns, in file order. */
  columns(): HyperLinkColumn[] {
    return this.links.filter((l) => l.alarmColumn).map((l) => ({ id: l.id, name: l.name }));
  }

  /**
   * The menu of `alarm`: hyperlinks whose filter passes, placeholders filled. `logger` hears
   * of a Root Time left out of a ticket.
   */
  menuFor(alarm: Alarm, logger?: Pick<Logger, 'warn'>): MenuItem[] {
    const items: MenuItem[] = [];
    for (const link of this.links) {
      if (link.filter && !evaluateFilter(link.filter, alarm)) continue;
      items.push(link.kind === 'url' ? urlItem(link, alarm) : scriptItem(link, alarm, logger));
    }
    return items;
  }
}

function placement(link: HyperLinkDef): Pick<MenuItem, 'menu' | 'alarmColumn'> {
  return { menu: link.menu, alarmColumn: link.alarmColumn };
}

function urlItem(link: Extract<HyperLinkDef, { kind: 'url' }>, alarm: Alarm): MenuItem {
  const resolved = fillPlaceholders(link.command, alarm).trim();
  const base = {
    id: link.id,
    name: link.name,
    kind: 'url' as const,
    params: {},
    ...placement(link),
    confirm: false,
    closeWhenFinished: true,
  };
  if (resolved === '') {
    return {
      ...base,
      tooltip: link.name,
      url: null,
      error: `${link.name}: this alarm has no link to open.`,
    };
  }
  let protocol = '';
  try {
    protocol = new URL(resolved).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    return {
      ...base,
      tooltip: link.name,
      url: null,
      error: `${link.name}: refusing to open "${resolved}", only http and https links can be opened.`,
    };
  }
  return { ...base, tooltip: resolved, url: resolved, error: null };
}

function scriptItem(
  link: Extract<HyperLinkDef, { kind: 'script' }>,
  alarm: Alarm,
  logger: Pick<Logger, 'warn'> | undefined,
): MenuItem {
  const { script } = link;
  const params = Object.fromEntries(
    script.parameters.map(([name, template]) => [name, fillPlaceholders(template, alarm)]),
  );
  const isCreateTicket = scriptName(script.script) === CREATE_TICKET_SCRIPT;
  let error: string | null = null;
  if (isCreateTicket) {
    settleRootTime(link, params, alarm, logger);
    const passed = new Set(script.parameters.map(([name]) => name));
    const notPassed = REQUIRED_TICKET_PARAMETERS.filter((p) => !passed.has(p));
    const empty = REQUIRED_TICKET_PARAMETERS.filter(
      (p) => passed.has(p) && (params[p] ?? '').trim() === '',
    );
    if (notPassed.length > 0) {
      error = `${link.name} cannot run: the hyperlink does not pass the required ${joinNames(notPassed)} parameter${notPassed.length > 1 ? 's' : ''} (check HyperLinks.xml).`;
    } else if (empty.length > 0) {
      error = `${link.name} cannot run: this alarm has no ${joinNames(empty)}, which a ticket requires.`;
    }
  }
  return {
    id: link.id,
    name: link.name,
    kind: isCreateTicket ? 'create-ticket' : 'script',
    tooltip: script.tooltip || link.name,
    url: null,
    params,
    error,
    ...placement(link),
    confirm: !hasOption(script.options, 'NoConfirmation'),
    closeWhenFinished: hasOption(script.options, 'CloseWhenFinished'),
  };
}

const hasOption = (options: readonly string[], wanted: string): boolean =>
  options.some((o) => o.toLowerCase() === wanted.toLowerCase());

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const TIME_PLACEHOLDER = /^\[(?:ROOTTIME|TIME)(?::([^\]]*))?\]$/i;

/**
 * Turns the Root Time the hyperlink passed (written in its .NET format) into an ISO time the
 * ticket can carry. A value that cannot be produced or read is left out of the ticket (the
 * root time is optional) with a log line: it never blocks the ticket.
 */
function settleRootTime(
  link: Extract<HyperLinkDef, { kind: 'script' }>,
  params: Record<string, string>,
  alarm: Alarm,
  logger: Pick<Logger, 'warn'> | undefined,
): void {
  const value = params[ROOT_TIME_PARAM];
  if (value === undefined) return;
  const template = link.script.parameters.find(([n]) => n === ROOT_TIME_PARAM)?.[1] ?? '';
  const leaveOut = (reason: string): void => {
    delete params[ROOT_TIME_PARAM];
    logger?.warn('Root Time left out of the ticket', {
      hyperlink: link.id,
      alarm: `${alarm.dmaId}/${alarm.alarmId}`,
      template,
      reason,
    });
  };
  if (value.trim() === '') return leaveOut('the alarm has no root time that can be written');
  if (ISO_TIME.test(value.trim()) && Number.isFinite(Date.parse(value))) return;
  const format = TIME_PLACEHOLDER.exec(template.trim());
  if (!format) return leaveOut(`"${value}" is not an ISO 8601 time`);
  const ms = parseDataMinerTime(value, format[1] || DEFAULT_TIME_FORMAT);
  if (!Number.isFinite(ms)) {
    return leaveOut(`"${value}" names no full date and time in the format "${format[1] ?? ''}"`);
  }
  params[ROOT_TIME_PARAM] = new Date(ms).toISOString();
}
