import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/domain.js';
import {
  DEFAULT_TIME_FORMAT,
  fillPlaceholders,
  isKnownPlaceholder,
  parseScriptCommand,
  placeholderValue,
  splitOutsideBrackets,
} from './hyperlink-placeholders.js';
import { sampleAlarm } from './test-support.js';

const alarm: Alarm = sampleAlarm({
  time: '2025-03-14T21:31:05.000Z',
  properties: { Site: 'Paris 13', 'Customer Ref': 'C-77' },
});

describe('placeholderValue', () => {
  it('gives the alarm field each placeholder names, whatever the case of its name', () => {
    expect(placeholderValue(alarm, 'DMAID', undefined)).toBe('346');
    expect(placeholderValue(alarm, 'EID', undefined)).toBe('212');
    expect(placeholderValue(alarm, 'ROOTKEY', undefined)).toBe('48213');
    expect(placeholderValue(alarm, 'ENAME', undefined)).toBe('PAR-CORE-RTR-01');
    expect(placeholderValue(alarm, 'PNAME', undefined)).toBe('Interface Status');
    expect(placeholderValue(alarm, 'VALUE', undefined)).toBe('Down');
    expect(placeholderValue(alarm, 'SEVERITY', undefined)).toBe('Critical');
    expect(placeholderValue(alarm, 'dmaid', undefined)).toBe('346');
    expect(placeholderValue(alarm, 'Pname', undefined)).toBe('Interface Status');
  });

  it('gives the latest alarm id for [ALARMID], the root alarm id while there is none', () => {
    expect(placeholderValue(alarm, 'ALARMID', undefined)).toBe('48213');
    expect(placeholderValue({ ...alarm, latestAlarmId: '48990' }, 'ALARMID', undefined)).toBe(
      '48990',
    );
    expect(placeholderValue({ ...alarm, latestAlarmId: '48990' }, 'ROOTKEY', undefined)).toBe(
      '48213',
    );
  });

  it('formats [ROOTTIME] and [TIME] with their format, the default one when none is given', () => {
    expect(DEFAULT_TIME_FORMAT).toBe('yyyy-MM-ddTHH:mm:ssZ');
    expect(placeholderValue(alarm, 'ROOTTIME', undefined)).toBe('2025-03-14T08:02:07Z');
    expect(placeholderValue(alarm, 'ROOTTIME', '')).toBe('2025-03-14T08:02:07Z');
    expect(placeholderValue(alarm, 'TIME', undefined)).toBe('2025-03-14T21:31:05Z');
    expect(placeholderValue(alarm, 'ROOTTIME', 'dd/MM/yyyy HH:mm')).toBe('14/03/2025 08:02');
    expect(placeholderValue(alarm, 'TIME', 'h tt')).toBe('9 PM');
  });

  it('gives an empty text for an unreadable time or format, never an exception', () => {
    expect(placeholderValue({ ...alarm, rootTime: 'not a time' }, 'ROOTTIME', undefined)).toBe('');
    expect(placeholderValue({ ...alarm, time: '' }, 'TIME', 'HH:mm')).toBe('');
    expect(placeholderValue(alarm, 'ROOTTIME', 'q')).toBe('');
  });

  it('gives an alarm property for [PROPERTY:ALARM:name], empty when the alarm has none', () => {
    expect(placeholderValue(alarm, 'PROPERTY', 'ALARM:Site')).toBe('Paris 13');
    expect(placeholderValue(alarm, 'PROPERTY', 'alarm:Customer Ref')).toBe('C-77');
    expect(placeholderValue(alarm, 'PROPERTY', 'ALARM:Region')).toBe('');
    expect(placeholderValue(alarm, 'PROPERTY', 'ALARM:')).toBe('');
  });

  it('knows no other property scope, placeholder or a property without its scope', () => {
    expect(placeholderValue(alarm, 'PROPERTY', 'ELEMENT:Site')).toBeUndefined();
    expect(placeholderValue(alarm, 'PROPERTY', 'Site')).toBeUndefined();
    expect(placeholderValue(alarm, 'PROPERTY', 'xALARM:Site')).toBeUndefined();
    expect(placeholderValue(alarm, 'PROPERTY', undefined)).toBeUndefined();
    expect(placeholderValue(alarm, 'PROPERTY', 'ALARM:Site\nRegion')).toBeUndefined();
    expect(placeholderValue(alarm, 'SERVICE', undefined)).toBeUndefined();
  });
});

describe('isKnownPlaceholder', () => {
  it('is true for every placeholder this console fills, even with an unusable format', () => {
    for (const name of ['DMAID', 'EID', 'ROOTKEY', 'ALARMID', 'ENAME', 'PNAME', 'VALUE']) {
      expect(isKnownPlaceholder(name, undefined), name).toBe(true);
    }
    expect(isKnownPlaceholder('severity', undefined)).toBe(true);
    expect(isKnownPlaceholder('ROOTTIME', 'HH:mm')).toBe(true);
    expect(isKnownPlaceholder('TIME', 'q')).toBe(true);
    expect(isKnownPlaceholder('PROPERTY', 'ALARM:Anything')).toBe(true);
  });

  it('is false for placeholders it leaves as written', () => {
    expect(isKnownPlaceholder('PROPERTY', 'ELEMENT:Site')).toBe(false);
    expect(isKnownPlaceholder('VIEWID', undefined)).toBe(false);
  });
});

describe('fillPlaceholders', () => {
  it('fills every placeholder of a template and keeps the text around them', () => {
    expect(fillPlaceholders('id=[DMAID]/[ROOTKEY] at [ROOTTIME:HH;mm] on [ename]', alarm)).toBe(
      'id=346/48213 at 08;02 on PAR-CORE-RTR-01',
    );
    expect(fillPlaceholders('[TIME:]', alarm)).toBe('2025-03-14T21:31:05Z');
  });

  it('leaves unknown placeholders and bracketed text that is no placeholder as written', () => {
    expect(fillPlaceholders('[VIEWID] [PROPERTY:ELEMENT:Site] [X1] [] [DMA ID]', alarm)).toBe(
      '[VIEWID] [PROPERTY:ELEMENT:Site] [X1] [] [DMA ID]',
    );
  });

  it('fills in one pass: a value that looks like a placeholder is never read again', () => {
    const tricky = { ...alarm, value: '[DMAID];x=[EID]', properties: { Note: '[ROOTKEY]' } };
    expect(fillPlaceholders('[VALUE]|[PROPERTY:ALARM:Note]', tricky)).toBe(
      '[DMAID];x=[EID]|[ROOTKEY]',
    );
  });
});

describe('splitOutsideBrackets', () => {
  it('splits on the separator, keeping empty fields', () => {
    expect(splitOutsideBrackets('a;b;;c;', ';')).toEqual(['a', 'b', '', 'c', '']);
    expect(splitOutsideBrackets('', ';')).toEqual(['']);
  });

  it('ignores separators inside brackets, nested ones too', () => {
    expect(splitOutsideBrackets('T=[ROOTTIME:HH;mm];V=[VALUE]', ';')).toEqual([
      'T=[ROOTTIME:HH;mm]',
      'V=[VALUE]',
    ]);
    expect(splitOutsideBrackets('[a[b;c]d;e];f', ';')).toEqual(['[a[b;c]d;e]', 'f']);
  });

  it('keeps splitting after a closing bracket that opened nothing', () => {
    expect(splitOutsideBrackets('a]b;c', ';')).toEqual(['a]b', 'c']);
  });
});

describe('parseScriptCommand', () => {
  it('reads the six fields of a script hyperlink, trimmed', () => {
    const command =
      ' Script:Orange Oceane Ticketing System | dummy1 | DMA ID=[DMAID]; Root Time = [ROOTTIME:HH;mm] | mem | Create ticket | NoConfirmation, , CloseWhenFinished ';
    expect(parseScriptCommand(command)).toEqual({
      script: 'Orange Oceane Ticketing System',
      dummies: 'dummy1',
      parameters: [
        ['DMA ID', '[DMAID]'],
        ['Root Time', '[ROOTTIME:HH;mm]'],
      ],
      memory: 'mem',
      tooltip: 'Create ticket',
      options: ['NoConfirmation', 'CloseWhenFinished'],
    });
  });

  it('strips the Script: prefix in any case, only at the start', () => {
    expect(parseScriptCommand('script:Run').script).toBe('Run');
    expect(parseScriptCommand('My Script:Run').script).toBe('My Script:Run');
  });

  it('keeps an = inside a value and skips empty parameters', () => {
    expect(parseScriptCommand('S||A=x=y;;  ;B=[PROPERTY:ALARM:k=v];C').parameters).toEqual([
      ['A', 'x=y'],
      ['B', '[PROPERTY:ALARM:k=v]'],
      ['C', ''],
    ]);
  });

  it('gives empty fields for the ones a short command leaves out', () => {
    expect(parseScriptCommand('OnlyScript')).toEqual({
      script: 'OnlyScript',
      dummies: '',
      parameters: [],
      memory: '',
      tooltip: '',
      options: [],
    });
  });
});
