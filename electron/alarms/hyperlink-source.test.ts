import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alarm, HyperLinkColumn, Notice } from '../../shared/domain.js';
import { silentLogger } from '../connector/ports.js';
import { HyperLinkSource } from './hyperlink-source.js';
import { sampleAlarm } from './test-support.js';

const alarm: Alarm = sampleAlarm();

const wrap = (...links: string[]): string =>
  `<HyperLinks xmlns="http://www.skyline.be/config/hyperlinks">${links.join('\n')}</HyperLinks>`;
const urlLink = (id: string, name: string, extra = ''): string =>
  `<HyperLink id="${id}" version="2" name="${name}" type="url"${extra}>https://x.example/${id}</HyperLink>`;

/** Waits until `check` passes (the watcher is real, so its events take real time). */
async function eventually(check: () => void, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('HyperLinkSource', () => {
  let dir: string;
  let file: string;
  let source: HyperLinkSource | null = null;
  const names = (): string[] => source?.menu.menuFor(alarm).map((i) => i.name) ?? [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hyperlinks-'));
    file = path.join(dir, 'HyperLinks.xml');
  });
  afterEach(async () => {
    await source?.close();
    source = null;
    await rm(dir, { recursive: true, force: true });
  });

  const open = async (): Promise<{ notices: Notice[]; columns: HyperLinkColumn[][] }> => {
    source = await HyperLinkSource.open({ file, logger: silentLogger, settleMs: 30 });
    const notices: Notice[] = [];
    const columns: HyperLinkColumn[][] = [];
    source.onNotice((n) => notices.push(n));
    source.onColumnsChanged((c) => columns.push(c));
    return { notices, columns };
  };

  it('names every skipped hyperlink and why in a start-up notice, and keeps the rest', async () => {
    await writeFile(
      file,
      wrap(urlLink('1', 'Wiki'), urlLink('2', 'Ping', ' filterElement="protocol:Generic Ping"')),
    );
    await open();
    expect(names()).toEqual(['Wiki']);
    expect(source?.startupNotices.map((n) => [n.level, n.title])).toEqual([
      ['warning', '1 hyperlink skipped'],
    ]);
    expect(source?.startupNotices[0]?.message).toMatch(
      /hyperlink 2 \("Ping"\): its filterElement "protocol:Generic Ping" cannot be read/,
    );
  });

  it('uses the built-in items, with a notice, when the file is not XML at all or is missing', async () => {
    await writeFile(file, 'not xml, a text file saved by mistake');
    await open();
    expect(names()).toEqual(['Create Ticket']);
    expect(source?.startupNotices[0]).toMatchObject({
      level: 'error',
      title: 'HyperLinks.xml is not usable',
    });
    expect(source?.startupNotices[0]?.message).toContain('built-in Create Ticket and Go To Ticket');
    await source?.close();
    await rm(file);
    await open();
    expect(names()).toEqual(['Create Ticket']);
    expect(source?.startupNotices[0]?.title).toBe('HyperLinks.xml not found');
  });

  it('applies an edit without a restart, and tells of new columns', async () => {
    await writeFile(file, wrap(urlLink('1', 'Wiki')));
    const { notices, columns } = await open();
    expect(source?.startupNotices).toEqual([]);
    // Saved the way many editors do: a new file renamed over the old one.
    await writeFile(
      `${file}.tmp`,
      wrap(urlLink('1', 'Wiki'), urlLink('3', 'Runbook', ' alarmColumn="true"')),
    );
    await rename(`${file}.tmp`, file);
    await eventually(() => expect(names()).toEqual(['Wiki', 'Runbook']));
    await eventually(() => expect(columns).toEqual([[{ id: '3', name: 'Runbook' }]]));
    expect(notices.map((n) => n.title)).toContain('HyperLinks.xml reloaded');
  });

  it('keeps the previous menu when an edit breaks the file, and says why', async () => {
    await writeFile(file, wrap(urlLink('1', 'Wiki')));
    const { notices } = await open();
    await writeFile(file, '<HyperLinks><HyperLink id="1"');
    await eventually(() =>
      expect(notices.map((n) => [n.level, n.title])).toContainEqual([
        'error',
        'HyperLinks.xml edit not applied',
      ]),
    );
    expect(notices.find((n) => n.level === 'error')?.message).toMatch(
      /not well-formed XML.*previous menu stays/,
    );
    expect(names()).toEqual(['Wiki']);
    await writeFile(file, wrap(urlLink('1', 'Wiki'), urlLink('2', 'Fixed')));
    await eventually(() => expect(names()).toEqual(['Wiki', 'Fixed']));
  });
});
