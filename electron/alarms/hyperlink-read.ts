/**
 * Reads HyperLinks.xml the way DataMiner does: one hyperlink at a time. A hyperlink this
 * console cannot read (an unknown `version`, a `filterElement` in a syntax it does not know,
 * a missing attribute, even bad XML inside that one entry) is skipped with the reason, and
 * the others still make the menu. Only a file that is not XML at all (or has no
 * `<HyperLinks>` root) is refused as a whole.
 *
 * Attributes honoured: `id`, `name`, `version` (absent/1: legacy, 2: typed), `type` (script,
 * url; others are left out), `menu` (`root` or a submenu path such as `Tickets/Oceane`),
 * `alarmColumn`, `filterElement`; and a script's options `NoConfirmation` and
 * `CloseWhenFinished`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseFilter, type FilterNode } from './hyperlink-filter.js';
import { parseScriptCommand, type ScriptCommand } from './hyperlink-placeholders.js';

/** Where and how a hyperlink shows, common to both kinds. */
interface HyperLinkBase {
  id: string;
  name: string;
  filter: FilterNode | null;
  /** Submenu path from the `menu` attribute; empty for the top level (`root`). */
  menu: string[];
  /** `alarmColumn="true"`: a column of the alarm console runs it for its row's alarm. */
  alarmColumn: boolean;
}

/** One hyperlink the console can show. */
export type HyperLinkDef =
  | (HyperLinkBase & { kind: 'url'; command: string })
  | (HyperLinkBase & { kind: 'script'; script: ScriptCommand });

/** A hyperlink left out of the menu, and why. */
export interface SkippedHyperLink {
  /** Its id, or a position ("the 3rd hyperlink") when it has none that can be read. */
  label: string;
  reason: string;
}

/** What a HyperLinks.xml gives: the hyperlinks to show and those skipped. */
export interface HyperLinksDocument {
  links: HyperLinkDef[];
  skipped: SkippedHyperLink[];
}

/** The `version` values this console reads (absent means 1, the legacy form). */
export const KNOWN_HYPERLINK_VERSIONS = ['1', '2'] as const;

type XmlNode = Record<string, unknown>;
const isNode = (v: unknown): v is XmlNode =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
};

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

const ENTRY = /<(?:\w+:)?HyperLink\b(?:[^>]*\/>|[\s\S]*?<\/(?:\w+:)?HyperLink\s*>)/g;
const ordinal = (n: number): string =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

function notWellFormed(xml: string): string | null {
  const valid = XMLValidator.validate(xml);
  if (valid === true) return null;
  const { msg, line, col } = valid.err;
  return `${msg} (line ${line}, column ${col})`;
}

/**
 * Reads HyperLinks.xml text. Throws an Error only when the file as a whole is not a
 * HyperLinks document; every problem of one hyperlink lands in `skipped`.
 */
export function readHyperLinks(xml: string): HyperLinksDocument {
  const skipped: SkippedHyperLink[] = [];
  const problem = notWellFormed(xml);
  let entries: unknown[];
  if (problem === null) {
    const root = (parser.parse(xml) as XmlNode).HyperLinks;
    if (root === undefined) throw new Error('HyperLinks.xml must have a <HyperLinks> root element');
    entries = isNode(root) && Array.isArray(root.HyperLink) ? (root.HyperLink as unknown[]) : [];
  } else {
    entries = readEntryByEntry(xml, problem, skipped);
  }
  const links: HyperLinkDef[] = [];
  const ids = new Set<string>();
  entries.forEach((node, i) => {
    if (!isNode(node)) return; // an entry skipped for bad XML
    const id = attr(node, 'id')?.trim() ?? '';
    const label = id === '' ? `the ${ordinal(i + 1)} hyperlink` : `hyperlink ${id}`;
    const named = attr(node, 'name')?.trim();
    const fullLabel = named ? `${label} ("${named}")` : label;
    try {
      if (id === '') throw new Error('it has no id attribute');
      if (ids.has(id)) throw new Error(`another hyperlink already has id="${id}"`);
      ids.add(id);
      const def = readLink(node, id);
      if (def) links.push(def);
    } catch (error) {
      skipped.push({ label: fullLabel, reason: (error as Error).message });
    }
  });
  return { links, skipped };
}

/**
 * A file that is not well-formed: each `<HyperLink>` entry is checked on its own, so that one
 * broken entry costs only itself. When the file is still broken without its entries, it is
 * not XML at all.
 */
function readEntryByEntry(xml: string, problem: string, skipped: SkippedHyperLink[]): unknown[] {
  const text = xml.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const entries = [...text.matchAll(ENTRY)];
  const shell = text.replace(ENTRY, '');
  if (entries.length === 0 || notWellFormed(shell) !== null) {
    throw new Error(`HyperLinks.xml is not well-formed XML: ${problem}`);
  }
  if ((parser.parse(shell) as XmlNode).HyperLinks === undefined) {
    throw new Error('HyperLinks.xml must have a <HyperLinks> root element');
  }
  return entries.map((m, i) => {
    const entry = m[0];
    const line = text.slice(0, m.index).split('\n').length;
    const entryProblem = notWellFormed(entry);
    if (entryProblem !== null) {
      const id = /\bid\s*=\s*"([^"]*)"/.exec(entry)?.[1];
      skipped.push({
        label: id ? `hyperlink ${id}` : `the ${ordinal(i + 1)} hyperlink`,
        reason: `its XML is not well-formed: ${entryProblem.replace(/line \d+/, `line ${line} of the entry`)}`,
      });
      return null;
    }
    const parsed = parser.parse(entry) as XmlNode;
    return Array.isArray(parsed.HyperLink) ? (parsed.HyperLink[0] as unknown) : null;
  });
}

function readLink(node: XmlNode, id: string): HyperLinkDef | null {
  const version = attr(node, 'version')?.trim() || '1';
  if (!(KNOWN_HYPERLINK_VERSIONS as readonly string[]).includes(version)) {
    throw new Error(
      `its version="${version}" is not one this console reads (${KNOWN_HYPERLINK_VERSIONS.join(' or ')})`,
    );
  }
  const name = attr(node, 'name')?.trim() || `Hyperlink ${id}`;
  const text = node['#text'];
  const command = typeof text === 'string' ? text.trim() : '';
  if (command === '') throw new Error('it has no command');
  const filterSource = attr(node, 'filterElement');
  let filter: FilterNode | null = null;
  if (filterSource !== undefined && filterSource.trim() !== '') {
    try {
      filter = parseFilter(filterSource);
    } catch (error) {
      throw new Error(
        `its filterElement "${filterSource.trim()}" cannot be read: ${(error as Error).message}`,
      );
    }
  }
  const base = {
    id,
    name,
    filter,
    menu: menuPath(attr(node, 'menu')),
    alarmColumn: attr(node, 'alarmColumn')?.trim().toLowerCase() === 'true',
  };
  const type = attr(node, 'type')?.trim().toLowerCase();
  if (type === 'script' || (type === undefined && /^Script:/i.test(command))) {
    return { ...base, kind: 'script', script: parseScriptCommand(command) };
  }
  if (type === 'url' || type === undefined) return { ...base, kind: 'url', command };
  return null; // openelement, opencard, ...: no meaning in this console
}

/** `root` (or nothing) is the top level; `Tickets/Oceane` is a submenu in a submenu. */
function menuPath(menu: string | undefined): string[] {
  const parts = (menu ?? '')
    .split(/[/\\]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return parts[0]?.toLowerCase() === 'root' ? parts.slice(1) : parts;
}
