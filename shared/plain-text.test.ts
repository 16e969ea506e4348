import { describe, expect, it } from 'vitest';
import { withoutMarkup } from './plain-text.js';

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>';

describe('notices without markup', () => {
  it('leaves a plain sentence as it is, angle brackets in prose included', () => {
    const plain = 'Oceane refused the ticket for SW-1: Bad Request (400): priority must be < 5';
    expect(withoutMarkup(plain)).toBe(plain);
  });

  it("names a proxy's 502 page by its title instead of showing its source", () => {
    const sentence = `Oceane failed while creating the ticket for SW-1: Bad Gateway (502): ${NGINX_502}. Retry looks the alarm up first.`;
    expect(withoutMarkup(sentence)).toBe(
      'Oceane failed while creating the ticket for SW-1: Bad Gateway (502): a web page from the server ("502 Bad Gateway"). Retry looks the alarm up first.',
    );
  });

  it('handles a page cut short inside a tag, as the 200-character excerpt leaves it', () => {
    const cut = `Failed: <!DOCTYPE html><html><head><title>Service &amp; Gateway down</title><sty`;
    expect(withoutMarkup(cut)).toBe(
      'Failed: a web page from the server ("Service & Gateway down")',
    );
  });

  it('uses the first heading, or the page text, when there is no title', () => {
    expect(withoutMarkup('x: <body><h1>Proxy error</h1><p>later</p></body>')).toBe(
      'x: a web page from the server ("Proxy error")',
    );
    expect(withoutMarkup('x: <p>Gateway <b>timeout</b></p>')).toBe(
      'x: a web page from the server ("Gateway timeout")',
    );
  });

  it('never leaves a tag behind', () => {
    const out = withoutMarkup(`a <div><script>alert(1)</script><span>b</span></div> c`);
    expect(out).not.toMatch(/<[a-z/!]/i);
  });

  it.each([
    '<!DOCTYPE html>',
    '<!-- a comment -->',
    '<html>',
    '</HTML>',
    '<head>',
    '<body class="e">',
    '<title>',
    '<meta charset="utf-8">',
    '<style>',
    '<script>',
    '<h1>',
    '<h6>',
    '<p>',
    '<div>',
    '<span>',
    '<center>',
    '<hr/>',
    '<br>',
    '<pre>',
    '<table>',
  ])('takes %s as the start of a web page', (tag) => {
    expect(withoutMarkup(`x: ${tag}`)).toBe('x: a web page from the server');
  });

  it.each(['<h7>', '<h0>', '<pretty>', '<bodyguard>', '<a href="x">', '<!doc>', '< p>'])(
    'takes %s in prose for no web page',
    (text) => {
      expect(withoutMarkup(`x: ${text} y`)).toBe(`x: ${text} y`);
    },
  );

  it('reads a title or a heading that has attributes', () => {
    expect(
      withoutMarkup('<html><title lang="en">Maintenance</title><body>Back soon</body></html>'),
    ).toBe('a web page from the server ("Maintenance")');
    expect(withoutMarkup('<body><h1 class="big">Proxy error</h1><p>details</p></body>')).toBe(
      'a web page from the server ("Proxy error")',
    );
    expect(withoutMarkup('<p>Gateway</p><p>timeout</p>')).toBe(
      'a web page from the server ("Gateway timeout")',
    );
  });

  it('decodes character references in the name it shows', () => {
    expect(
      withoutMarkup(
        '<title>&#65;&#x42;&#X43; &lt;&gt; &quot;&apos; a&nbsp;b &AMP; &copy; &#0; &#x0;</title>',
      ),
    ).toBe('a web page from the server ("ABC <> "\' a b & &copy; \ufffd \ufffd")');
  });

  it('keeps the text after the page, and cuts a long name at 120 characters', () => {
    expect(withoutMarkup('before <p>middle</p> after')).toBe(
      'before a web page from the server ("middle") after',
    );
    const long = 'word '.repeat(40).trim();
    expect(withoutMarkup(`<title>${long}</title>`)).toBe(
      `a web page from the server ("${long.slice(0, 120)}")`,
    );
  });

  it('names no title when the page has no text, even cut before its first >', () => {
    expect(withoutMarkup('x: <p')).toBe('x: a web page from the server');
    expect(withoutMarkup('x: <div></div>!')).toBe('x: a web page from the server!');
  });
});
