/**
 * Notices show text, never markup (issue 12): an error answer that carried a web page (a
 * proxy's "502 Bad Gateway" page) reaches the operator as a short sentence naming that page,
 * not as HTML source. Pure, for the renderer's toasts and the main process's desktop
 * notifications alike.
 */

/** The start of an HTML document or element, as proxies and web servers send them. */
const MARKUP_START =
  /<(?:!doctype\b|!--|\/?(?:html|head|body|title|meta|style|script|h[1-6]|p|div|span|center|hr|br|pre|table)\b)/i;
const TITLE = /<title[^>]*>([^<]*)/i;
const HEADING = /<h1[^>]*>([^<]*)/i;

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16) || 0xfffd);
    }
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)) || 0xfffd);
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * `text` with any web page inside it replaced by `a web page from the server ("<its title>")`.
 * Text without markup comes back unchanged.
 */
export function withoutMarkup(text: string): string {
  const start = text.search(MARKUP_START);
  if (start < 0) return text;
  const page = text.slice(start);
  const lastClose = page.lastIndexOf('>');
  // The page runs to its last '>', or to the end when it was cut inside a tag (a page that
  // starts with '<' and has no '>' at all is such a page).
  const cutInTag = page.lastIndexOf('<') > lastClose;
  const end = cutInTag ? page.length : lastClose + 1;
  const name = collapse(
    decodeEntities(
      TITLE.exec(page)?.[1] ??
        HEADING.exec(page)?.[1] ??
        page.slice(0, end).replace(/<[^>]*>?/g, ' '),
    ),
  ).slice(0, 120);
  const described = name ? `a web page from the server ("${name}")` : 'a web page from the server';
  const before = text.slice(0, start);
  const after = page.slice(end);
  return `${before}${described}${after}`;
}
