/**
 * The files a browser test downloads (the table exports): the file saved when a button is
 * clicked, and a CSV read back by RFC 4180's rules, so that a test compares cells rather than
 * the formatter's own output.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from '@playwright/test';

/** Clicks `button` and answers the file it downloads: its suggested name and its text. */
export async function download(
  page: Page,
  button: Locator,
): Promise<{ name: string; text: string }> {
  const [file] = (await Promise.all([page.waitForEvent('download'), button.click()])) as [
    Download,
    unknown,
  ];
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/**
 * The records of an RFC 4180 text (CRLF between records, the last one ended by CRLF too):
 * a quoted field may hold commas, line breaks and doubled quotes.
 */
export function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (quoted || field !== '' || record.length > 0) throw new Error('The CSV does not end a record');
  return records;
}
