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
});
