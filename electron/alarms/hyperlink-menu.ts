/**
 * The alarm context menu from HyperLinks.xml: parsed once with a real XML parser
 * (fast-xml-parser), then evaluated per alarm: `filterElement` decides whether a hyperlink
 * shows, placeholders are filled, the Create Ticket parameters are checked.
 *
 * Supported hyperlinks: second-generation (`version="2"`) of type `script` and `url`, and
 * legacy ones (no type: a `Script:` command or a URL). Other types (openelement, ...) have
 * no meaning in this console and are left out of the menu.
 */
import { promises as fsp } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Alarm, MenuItem } from '../../shared/domain.js';
import { evaluateFilter, parseFilter, type FilterNode } from './hyperlink-filter.js';
import {
  fillPlaceholders,
  parseScriptCommand,
  type ScriptCommand,
} from './hyperlink-placeholders.js';

/** The Automation script whose hyperlink opens the Create Ticket dialog. */
export const CREATE_TICKET_SCRIPT = 'Orange Oceane Ticketing System';
/** Parameters without which no ticket may be created (seed, "Required Parameters"). */
export const REQUIRED_TICKET_PARAMETERS = ['DMA ID', 'Element ID', 'Alarm ID', 'Element Name'];

type HyperLinkDef =
  | { kind: 'url'; id: string; name: string; filter: FilterNode | null; command: string }
  | { kind: 'script'; id: string; name: string; filter: FilterNode | null; script: ScriptCommand };

/** Path of assets/HyperLinks.xml, two folders above this module (source or bundle alike). */
export function defaultHyperLinksPath(moduleUrl: string = import.meta.url): string {
  return fileURLToPath(new URL('../../assets/HyperLinks.xml', moduleUrl));
}

type XmlNode = Record<string, unknown>;
const isNode = (v: unknown): v is XmlNode =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
};

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
  private constructor(private readonly links: readonly HyperLinkDef[]) {}

  /** Parses HyperLinks.xml text; throws an Error saying what is wrong (and where). */
  static parse(xml: string): HyperLinkMenu {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      const { msg, line, col } = valid.err;
      throw new Error(
        `HyperLinks.xml is not well-formed XML: ${msg} (line ${line}, column ${col})`,
      );
    }
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      alwaysCreateTextNode: true,
      textNodeName: '#text',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      isArray: (name) => name === 'HyperLink',
    });
    const doc = parser.parse(xml) as XmlNode;
    const root = doc.HyperLinks;
    if (root === undefined) {
      throw new Error('HyperLinks.xml must have a <HyperLinks> root element');
    }
    const nodes =
      isNode(root) && Array.isArray(root.HyperLink) ? (root.HyperLink as unknown[]) : [];
    const links: HyperLinkDef[] = [];
    const ids = new Set<string>();
    for (const node of nodes) {
      if (!isNode(node)) continue;
      const link = HyperLinkMenu.readLink(node);
      if (ids.has(link.id))
        throw new Error(`HyperLinks.xml has two hyperlinks with id="${link.id}"`);
      ids.add(link.id);
      if (link.def) links.push(link.def);
    }
    return new HyperLinkMenu(links);
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

  private static readLink(node: XmlNode): { id: string; def: HyperLinkDef | null } {
    const id = attr(node, 'id')?.trim() ?? '';
    if (id === '') throw new Error('Every <HyperLink> needs an id attribute');
    const name = attr(node, 'name')?.trim() || `Hyperlink ${id}`;
    const text = node['#text'];
    const command = typeof text === 'string' ? text.trim() : '';
    if (command === '') throw new Error(`HyperLink ${id} has no command`);
    const filterSource = attr(node, 'filterElement');
    let filter: FilterNode | null = null;
    if (filterSource !== undefined && filterSource.trim() !== '') {
      try {
        filter = parseFilter(filterSource);
      } catch (error) {
        throw new Error(
          `HyperLink ${id} ("${name}") has an invalid filterElement: ${(error as Error).message}`,
        );
      }
    }
    const type = attr(node, 'type')?.trim().toLowerCase();
    const legacyScript = type === undefined && /^Script:/i.test(command);
    if (type === 'script' || legacyScript) {
      return { id, def: { kind: 'script', id, name, filter, script: parseScriptCommand(command) } };
    }
    if (type === 'url' || type === undefined) {
      return { id, def: { kind: 'url', id, name, filter, command } };
    }
    return { id, def: null };
  }

  /** The menu of `alarm`: hyperlinks whose filter passes, placeholders filled. */
  menuFor(alarm: Alarm): MenuItem[] {
    const items: MenuItem[] = [];
    for (const link of this.links) {
      if (link.filter && !evaluateFilter(link.filter, alarm)) continue;
      items.push(link.kind === 'url' ? urlItem(link, alarm) : scriptItem(link, alarm));
    }
    return items;
  }
}

function urlItem(link: Extract<HyperLinkDef, { kind: 'url' }>, alarm: Alarm): MenuItem {
  const resolved = fillPlaceholders(link.command, alarm).trim();
  const base = { id: link.id, name: link.name, kind: 'url' as const, params: {} };
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

function scriptItem(link: Extract<HyperLinkDef, { kind: 'script' }>, alarm: Alarm): MenuItem {
  const { script } = link;
  const params = Object.fromEntries(
    script.parameters.map(([name, template]) => [name, fillPlaceholders(template, alarm)]),
  );
  const isCreateTicket = scriptName(script.script) === CREATE_TICKET_SCRIPT;
  let error: string | null = null;
  if (isCreateTicket) {
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
  };
}
