import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Alarm } from '../../shared/domain.js';
import { createTicketRequestSchema, menuItemSchema } from '../../shared/schemas.js';
import { HyperLinkMenu, defaultHyperLinksPath } from './hyperlink-menu.js';
import { sampleAlarm } from './test-support.js';

const alarm: Alarm = sampleAlarm();
const ticket = {
  'Oceane Ticket ID': 'INC000123',
  'Oceane Ticket URL': 'https://oceane.example/tickets/INC000123',
};

function wrap(...links: string[]): string {
  return `<HyperLinks xmlns="http://www.skyline.be/config/hyperlinks">${links.join('')}</HyperLinks>`;
}

function createTicketLink(params: string, filter = ''): string {
  return `<HyperLink id="1" version="2" name="Create Ticket" type="script"${filter}>Orange Oceane Ticketing System||${params}||Create ticket|NoConfirmation</HyperLink>`;
}

const SEED_PARAMS =
  'DMA ID=[DMAID];Element ID=[EID];Alarm ID=[ROOTKEY];Element Name=[ENAME];Alarm Value=[VALUE];Root Time=[ROOTTIME:yyyy-MM-ddTHH:mm:ssZ]';

describe('the assets HyperLinks.xml', () => {
  it('keeps the seed Create Ticket hyperlink word for word', async () => {
    const xml = await readFile(defaultHyperLinksPath(), 'utf8');
    expect(xml).toContain('<HyperLinks xmlns="http://www.skyline.be/config/hyperlinks">');
    expect(xml).toContain(
      'Orange Oceane Ticketing System||DMA ID=[DMAID];Element ID=[EID];Alarm ID=[ROOTKEY];Element Name=[ENAME];Alarm Value=[VALUE];Root Time=[ROOTTIME:yyyy-MM-ddTHH:mm:ssZ]||Create ticket in Oceane Ticketing Tool|NoConfirmation,CloseWhenFinished',
    );
  });

  it('offers Create Ticket, with the alarm context as parameters, to an alarm without a ticket', async () => {
    const menu = await HyperLinkMenu.load(defaultHyperLinksPath());
    const items = menu.menuFor(alarm);
    expect(items).toEqual([
      {
        id: '1',
        name: 'Create Ticket',
        kind: 'create-ticket',
        tooltip: 'Create ticket in Oceane Ticketing Tool',
        url: null,
        params: {
          'DMA ID': '346',
          'Element ID': '212',
          'Alarm ID': '48213',
          'Element Name': 'PAR-CORE-RTR-01',
          'Alarm Value': 'Down',
          'Root Time': '2025-03-14T08:02:07Z',
        },
        error: null,
        menu: [],
        alarmColumn: false,
        confirm: false,
        closeWhenFinished: true,
      },
    ]);
    for (const item of items) menuItemSchema.parse(item);
  });

  it('offers only Go To Ticket, with the ticket URL, to an alarm that has a ticket', async () => {
    const menu = await HyperLinkMenu.load(defaultHyperLinksPath());
    const items = menu.menuFor({ ...alarm, properties: ticket });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: '2',
      name: 'Go To Ticket',
      kind: 'url',
      url: ticket['Oceane Ticket URL'],
      error: null,
    });
    menuItemSchema.parse(items[0]);
  });

  it('treats a ticket ID without a URL as a ticket, and says there is no link to open', async () => {
    const menu = await HyperLinkMenu.load(defaultHyperLinksPath());
    const items = menu.menuFor({ ...alarm, properties: { 'Oceane Ticket ID': 'INC9' } });
    expect(items.map((i) => i.name)).toEqual(['Go To Ticket']);
    expect(items[0]?.url).toBeNull();
    expect(items[0]?.error).toMatch(/no link/);
  });
});

describe('HyperLinkMenu placeholders', () => {
  it('fills ROOTTIME and TIME with the format written, in UTC', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        createTicketLink(
          `${SEED_PARAMS};Raised=[ROOTTIME:dd/MM/yyyy HH:mm:ss.fff];Changed=[TIME:yyyy-MM-dd'T'HH:mm];Plain=[ROOTTIME]`,
        ),
      ),
    );
    const params = menu.menuFor(alarm)[0]?.params;
    expect(params?.['Root Time']).toBe('2025-03-14T08:02:07Z');
    expect(params?.Raised).toBe('14/03/2025 08:02:07.250');
    expect(params?.Changed).toBe('2025-03-14T09:31');
    expect(params?.Plain).toBe('2025-03-14T08:02:07Z');
  });

  it('fills alarm properties and leaves unknown placeholders as written', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        createTicketLink(
          `${SEED_PARAMS};Ticket=[PROPERTY:ALARM:Oceane Ticket ID];None=[PROPERTY:ALARM:Nope];Odd=[WHATEVER]`,
        ),
      ),
    );
    const params = menu.menuFor({ ...alarm, properties: ticket })[0]?.params;
    expect(params?.Ticket).toBe('INC000123');
    expect(params?.None).toBe('');
    expect(params?.Odd).toBe('[WHATEVER]');
  });

  it('names a required parameter the alarm lacks instead of giving a half-made ticket', () => {
    const menu = HyperLinkMenu.parse(wrap(createTicketLink(SEED_PARAMS)));
    const item = menu.menuFor({ ...alarm, elementName: '  ' })[0];
    expect(item?.kind).toBe('create-ticket');
    expect(item?.error).toBe(
      'Create Ticket cannot run: this alarm has no Element Name, which a ticket requires.',
    );
  });

  it('names required parameters the hyperlink does not pass at all', () => {
    const menu = HyperLinkMenu.parse(
      wrap(createTicketLink('Element ID=[EID];Alarm ID=[ROOTKEY];Alarm Value=[VALUE]')),
    );
    const error = menu.menuFor(alarm)[0]?.error ?? '';
    expect(error).toContain('DMA ID and Element Name parameters');
  });

  it('does not treat other scripts as Create Ticket', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        '<HyperLink id="7" version="2" name="Report" type="script">QA report||Element=[ENAME]||Send report|</HyperLink>',
      ),
    );
    expect(menu.menuFor(alarm)).toEqual([
      {
        id: '7',
        name: 'Report',
        kind: 'script',
        tooltip: 'Send report',
        url: null,
        params: { Element: 'PAR-CORE-RTR-01' },
        error: null,
        menu: [],
        alarmColumn: false,
        confirm: true,
        closeWhenFinished: false,
      },
    ]);
  });

  it('keeps hostile alarm values whole inside their own parameter', () => {
    const menu = HyperLinkMenu.parse(wrap(createTicketLink(SEED_PARAMS)));
    const value = `x;Element Name=EVIL|y||z=[DMAID] <b>&amp;</b> "q" 'r'`;
    const elementName = 'LYO-OLT-07;Alarm ID=1=2]|[';
    const params = menu.menuFor({ ...alarm, value, elementName })[0]?.params;
    expect(params).toEqual({
      'DMA ID': '346',
      'Element ID': '212',
      'Alarm ID': '48213',
      'Element Name': elementName,
      'Alarm Value': value,
      'Root Time': '2025-03-14T08:02:07Z',
    });
  });

  it('round-trips any alarm text into the parameters (property test)', () => {
    const menu = HyperLinkMenu.parse(wrap(createTicketLink(SEED_PARAMS)));
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.string(),
        (elementName, value) => {
          fc.pre(elementName.trim() !== '');
          const item = menu.menuFor({ ...alarm, elementName, value })[0];
          expect(item?.params['Element Name']).toBe(elementName);
          expect(item?.params['Alarm Value']).toBe(value);
          expect(item?.params['DMA ID']).toBe('346');
          expect(Object.keys(item?.params ?? {})).toHaveLength(6);
          expect(item?.error).toBeNull();
        },
      ),
    );
  });

  it('refuses a resolved URL that is not http or https', () => {
    const menu = goToTicketMenu();
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'not a url', 'ftp://x/y']) {
      const item = menu.menuFor({
        ...alarm,
        properties: { ...ticket, 'Oceane Ticket URL': url },
      })[0];
      expect(item?.url).toBeNull();
      expect(item?.error).toContain('only http and https');
    }
  });
});

function goToTicketMenu(): HyperLinkMenu {
  return HyperLinkMenu.parse(
    wrap(
      `<HyperLink id="2" version="2" name="Go To Ticket" type="url" filterElement="[PROPERTY:ALARM:Oceane Ticket ID] != ''">[PROPERTY:ALARM:Oceane Ticket URL]</HyperLink>`,
    ),
  );
}

describe('HyperLinkMenu filterElement', () => {
  const menuWith = (filter: string): HyperLinkMenu =>
    HyperLinkMenu.parse(
      wrap(
        `<HyperLink id="5" version="2" name="Check" type="url" filterElement="${filter}">https://x.example/[ROOTKEY]</HyperLink>`,
      ),
    );
  const shows = (filter: string, a: Alarm = alarm): boolean =>
    menuWith(filter).menuFor(a).length === 1;

  it('compares placeholders and quoted text with == and !=', () => {
    expect(shows("[SEVERITY] == 'Critical'")).toBe(true);
    expect(shows("[SEVERITY] != 'Critical'")).toBe(false);
    expect(shows("[ENAME] == 'PAR-CORE-RTR-01'")).toBe(true);
  });

  it('combines with AND, OR, NOT and parentheses, AND binding tighter', () => {
    expect(shows("[SEVERITY] == 'Minor' OR [DMAID] == '346' AND [EID] == '212'")).toBe(true);
    expect(shows("([SEVERITY] == 'Minor' OR [DMAID] == '346') and [EID] == '999'")).toBe(false);
    expect(shows("NOT [SEVERITY] == 'Minor'")).toBe(true);
  });

  it('reads a doubled quote as a quote inside text', () => {
    expect(shows("[VALUE] == 'it''s down'", { ...alarm, value: "it's down" })).toBe(true);
  });

  it('skips a hyperlink whose filter it cannot read, naming it and why', () => {
    const skippedFor = (filter: string) => menuWith(filter).skipped;
    const [first, ...others] = skippedFor("[SEVERITY] = 'Critical'");
    expect(others).toEqual([]);
    expect(first?.label).toBe('hyperlink 5 ("Check")');
    expect(first?.reason).toMatch(/^its filterElement "\[SEVERITY\] = 'Critical'" cannot be read/);
    expect(skippedFor("[PROPERTY:ALRM:X] == ''")[0]?.reason).toMatch(/not a known placeholder/);
    expect(skippedFor("[SEVERITY] == 'open")[0]?.reason).toMatch(/unclosed quote/);
    expect(skippedFor("([SEVERITY] == 'Major'")[0]?.reason).toMatch(/expected "\)"/);
    expect(menuWith("[SEVERITY] = 'Critical'").menuFor(alarm)).toEqual([]);
  });

  it('skips DataMiner filter syntaxes it does not know (protocol:, view:) and keeps the rest', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        '<HyperLink id="3" version="2" name="Ping" type="url" filterElement="protocol:Generic Ping">https://ping.example/[EID]</HyperLink>',
        '<HyperLink id="4" version="2" name="View" type="url" filterElement="view:5">https://view.example/</HyperLink>',
        '<HyperLink id="6" version="2" name="Wiki" type="url">https://wiki.example/[ENAME]</HyperLink>',
      ),
    );
    expect(menu.skipped.map((s) => s.label)).toEqual([
      'hyperlink 3 ("Ping")',
      'hyperlink 4 ("View")',
    ]);
    expect(menu.menuFor(alarm).map((i) => i.name)).toEqual(['Wiki']);
  });
});

describe('HyperLinkMenu parsing', () => {
  it('refuses a file that is not XML at all, with a clear message', () => {
    expect(() => HyperLinkMenu.parse('this is not XML')).toThrow(/not well-formed XML/);
    expect(() => HyperLinkMenu.parse('<HyperLinks><Oops></HyperLinks>')).toThrow(
      /HyperLinks.xml is not well-formed XML: .*line 1/,
    );
    expect(() => HyperLinkMenu.parse('<Links/>')).toThrow(/<HyperLinks> root/);
  });

  it('skips one entry with bad XML inside it, naming it and the line, and keeps the others', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        '<HyperLink id="1" type="url">https://a.example/</HyperLink>',
        '\n<HyperLink id="2" type="url">a & b</HyperLink>',
        '<HyperLink id="3" type="url">https://c.example/</HyperLink>',
      ),
    );
    expect(menu.menuFor(alarm).map((i) => i.id)).toEqual(['1', '3']);
    expect(menu.skipped.map((x) => x.label)).toEqual(['hyperlink 2']);
    expect(menu.skipped[0]?.reason).toMatch(/^its XML is not well-formed: .*line 2 of the entry/);
  });

  it('skips a hyperlink without id or command, a duplicate id and an unknown version', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        '<HyperLink version="2" type="url">https://x</HyperLink>',
        '<HyperLink id="1" type="url">https://a</HyperLink>',
        '<HyperLink id="1" type="url">https://b</HyperLink>',
        '<HyperLink id="7" name="Empty" type="url"></HyperLink>',
        '<HyperLink id="8" version="3" name="Future" type="url">https://f</HyperLink>',
      ),
    );
    expect(menu.skipped).toEqual([
      { label: 'the 1st hyperlink', reason: 'it has no id attribute' },
      { label: 'hyperlink 1', reason: 'another hyperlink already has id="1"' },
      { label: 'hyperlink 7 ("Empty")', reason: 'it has no command' },
      {
        label: 'hyperlink 8 ("Future")',
        reason: 'its version="3" is not one this console reads (1 or 2)',
      },
    ]);
    expect(menu.menuFor(alarm).map((i) => i.url)).toEqual(['https://a']);
  });

  it('reports the file when loading fails', async () => {
    await expect(HyperLinkMenu.load('/nonexistent/HyperLinks.xml')).rejects.toThrow(
      /Cannot read the hyperlinks file/,
    );
  });

  it('decodes XML entities, reads legacy hyperlinks and leaves out unsupported types', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        '<HyperLink id="10">https://wiki.example/?el=[ENAME]&amp;dma=[DMAID]</HyperLink>',
        '<HyperLink id="15">Script:QA report|Dummy1=1/2|Who=[ENAME]||Tip|</HyperLink>',
        '<HyperLink id="50" version="2" name="Open Element" type="openelement">[EID]</HyperLink>',
      ),
    );
    const items = menu.menuFor(alarm);
    expect(items.map((i) => [i.id, i.kind])).toEqual([
      ['10', 'url'],
      ['15', 'script'],
    ]);
    expect(items[0]?.url).toBe('https://wiki.example/?el=PAR-CORE-RTR-01&dma=346');
    expect(items[1]?.params).toEqual({ Who: 'PAR-CORE-RTR-01' });
  });
});

describe('HyperLinkMenu placement and options', () => {
  it('places a hyperlink in the submenu its menu attribute names, root at the top', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        '<HyperLink id="1" version="2" name="Top" menu="root" type="url">https://a/</HyperLink>',
        '<HyperLink id="2" version="2" name="Deep" menu="Tickets/Oceane" type="url">https://b/</HyperLink>',
        '<HyperLink id="3" version="2" name="Plain" type="url">https://c/</HyperLink>',
      ),
    );
    expect(menu.menuFor(alarm).map((i) => [i.name, i.menu])).toEqual([
      ['Top', []],
      ['Deep', ['Tickets', 'Oceane']],
      ['Plain', []],
    ]);
  });

  it('lists the alarmColumn hyperlinks as columns and marks their items', () => {
    const menu = HyperLinkMenu.parse(
      wrap(
        '<HyperLink id="1" version="2" name="Wiki" type="url" alarmColumn="true">https://a/[ENAME]</HyperLink>',
        '<HyperLink id="2" version="2" name="Other" type="url" alarmColumn="false">https://b/</HyperLink>',
      ),
    );
    expect(menu.columns()).toEqual([{ id: '1', name: 'Wiki' }]);
    expect(menu.menuFor(alarm).map((i) => i.alarmColumn)).toEqual([true, false]);
  });

  it('asks for confirmation without NoConfirmation and stays open without CloseWhenFinished', () => {
    const link = (options: string) =>
      HyperLinkMenu.parse(
        wrap(
          `<HyperLink id="1" version="2" name="Create Ticket" type="script">Orange Oceane Ticketing System||${SEED_PARAMS}||Tip|${options}</HyperLink>`,
        ),
      ).menuFor(alarm)[0];
    expect(link('')).toMatchObject({ confirm: true, closeWhenFinished: false });
    expect(link('noconfirmation')).toMatchObject({ confirm: false, closeWhenFinished: false });
    expect(link('CloseWhenFinished')).toMatchObject({ confirm: true, closeWhenFinished: true });
  });

  it('falls back to the built-in Create Ticket and Go To Ticket items', () => {
    const menu = HyperLinkMenu.builtIn();
    expect(menu.menuFor(alarm).map((i) => i.name)).toEqual(['Create Ticket']);
    expect(menu.menuFor({ ...alarm, properties: ticket }).map((i) => i.name)).toEqual([
      'Go To Ticket',
    ]);
    expect(menu.skipped).toEqual([]);
  });
});

describe('HyperLinkMenu Root Time', () => {
  const rootTimeOf = (template: string, a: Alarm = alarm, logger = { warn: vi.fn() }) => {
    const params = SEED_PARAMS.replace('[ROOTTIME:yyyy-MM-ddTHH:mm:ssZ]', template);
    const item = HyperLinkMenu.parse(wrap(createTicketLink(params))).menuFor(a, logger)[0];
    return { value: item?.params['Root Time'], item, logger };
  };

  it('turns a root time written in any .NET format the ticket can read into an ISO time', () => {
    expect(rootTimeOf('[ROOTTIME:dd/MM/yyyy HH:mm:ss]').value).toBe('2025-03-14T08:02:07.000Z');
    expect(rootTimeOf('[ROOTTIME:G]').value).toBe('2025-03-14T08:02:07.000Z');
    // Already ISO 8601 (seven decimals, as .NET writes "o"): kept as it is.
    expect(rootTimeOf('[ROOTTIME:o]').value).toBe('2025-03-14T08:02:07.2500000Z');
    expect(
      createTicketRequestSchema.shape.rootTime.safeParse('2025-03-14T08:02:07.2500000Z').success,
    ).toBe(true);
  });

  it('leaves out, with a log line, a root time it cannot produce or read, and never blocks', () => {
    for (const [template, a] of [
      ['[ROOTTIME:HH:mm]', alarm],
      ['[ROOTTIME:q]', alarm],
      ['at [ROOTTIME:HH:mm]', alarm],
      ['[ROOTTIME:yyyy-MM-dd]', { ...alarm, rootTime: 'not a time' }],
    ] as const) {
      const { item, logger } = rootTimeOf(template, a);
      expect(item?.params, template).not.toHaveProperty('Root Time');
      expect(item?.error, template).toBeNull();
      expect(logger.warn, template).toHaveBeenCalledWith(
        'Root Time left out of the ticket',
        expect.objectContaining({ hyperlink: '1', template }),
      );
      const request = createTicketRequestSchema.safeParse({
        dmaId: item?.params['DMA ID'],
        elementId: item?.params['Element ID'],
        alarmId: item?.params['Alarm ID'],
        elementName: item?.params['Element Name'],
        rootTime: item?.params['Root Time'],
        priority: 'High',
        urgency: 'High',
        technicalImpact: 'Major',
      });
      expect(request.success, template).toBe(true);
    }
  });
});
