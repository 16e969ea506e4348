import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/domain.js';
import { evaluateFilter, parseFilter, type FilterNode } from './hyperlink-filter.js';
import { sampleAlarm } from './test-support.js';

const alarm: Alarm = sampleAlarm({
  value: "Don't know",
  properties: { 'Oceane Ticket ID': 'INC1' },
});

const passes = (source: string, a: Alarm = alarm): boolean =>
  evaluateFilter(parseFilter(source), a);

describe('parseFilter', () => {
  it('reads a comparison of a placeholder with quoted text', () => {
    expect(parseFilter("[SEVERITY] == 'Critical'")).toStrictEqual({
      op: '==',
      left: { kind: 'placeholder', name: 'SEVERITY' },
      right: { kind: 'text', text: 'Critical' },
    });
    expect(parseFilter("[PROPERTY:ALARM:Oceane Ticket ID]!=''")).toEqual({
      op: '!=',
      left: { kind: 'placeholder', name: 'PROPERTY', arg: 'ALARM:Oceane Ticket ID' },
      right: { kind: 'text', text: '' },
    });
  });

  it('binds AND tighter than OR, reads NOT and parentheses, keywords in any case', () => {
    const a = { op: '==', left: { kind: 'text', text: 'a' }, right: { kind: 'text', text: 'a' } };
    const b = { ...a, op: '!=' };
    expect(parseFilter("'a'=='a' or 'a'!='a' AND 'a'=='a'")).toEqual({
      op: 'or',
      left: a,
      right: { op: 'and', left: b, right: a },
    });
    expect(parseFilter("NOT ('a'=='a' Or 'a'!='a') and 'a'=='a' and 'a'!='a'")).toEqual({
      op: 'and',
      left: { op: 'and', left: { op: 'not', inner: { op: 'or', left: a, right: b } }, right: a },
      right: b,
    });
    expect(parseFilter("not not 'a'=='a' or 'a'=='a' or 'a'!='a'")).toEqual({
      op: 'or',
      left: { op: 'or', left: { op: 'not', inner: { op: 'not', inner: a } }, right: a },
      right: b,
    });
  });

  it("reads '' inside quotes as one quote, and keeps spaces and brackets of quoted text", () => {
    expect(parseFilter("[VALUE] == 'Don''t [x] know'''")).toMatchObject({
      right: { kind: 'text', text: "Don't [x] know'" },
    });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ["[SEVERITY == 'x'", /unclosed "\[" at position 1/],
    ["[SEVERITY] == 'x", /unclosed quote at position 15/],
    ["[NOPE] == 'x'", /"\[NOPE\]" is not a known placeholder/],
    ["[X1] == 'x'", /"\[X1\]" is not a known placeholder/],
    ["[PROPERTY:ELEMENT:x] == 'x'", /not a known placeholder/],
    ["[SEVERITY] = 'x'", /unexpected "= 'x'" at position 12/],
    ["[SEVERITY] == 'x' xor 'y'", /unexpected "xor 'y'" at position 19/],
    ["[SEVERITY] 'x'", /expected "==" or "!=" but found an operand/],
    ['[SEVERITY]', /expected "==" or "!=" but found the end/],
    ['[SEVERITY] == and', /expected a placeholder or 'text' but found "and"/],
    ["('a' == 'a'", /expected "\)" but found the end/],
    ['[SEVERITY] ==', /expected a placeholder or 'text' but found the end/],
    ["'a' == 'a' and", /expected a placeholder or 'text' but found the end/],
    ["'a' == 'a' & or 'b' == 'b'", /unexpected "& or 'b' == " at position 12/],
    ["[SEVERITY ] == 'x'", /not a known placeholder/],
    ["'a' == 'a')", /unexpected "\)" after the expression/],
    ["'a' == 'a' 'b'", /unexpected an operand after the expression/],
  ])('refuses %j, saying what is wrong and where', (source, message) => {
    expect(() => parseFilter(source)).toThrow(message);
  });
});

describe('evaluateFilter', () => {
  it('compares exact texts; a missing property reads as empty', () => {
    expect(passes("[SEVERITY] == 'Critical'")).toBe(true);
    expect(passes("[SEVERITY] == 'critical'")).toBe(false);
    expect(passes("[SEVERITY] != 'Critical'")).toBe(false);
    expect(passes("[PROPERTY:ALARM:Oceane Ticket ID] == ''")).toBe(false);
    expect(passes("[PROPERTY:ALARM:Region] == ''")).toBe(true);
    expect(passes("[VALUE] == 'Don''t know'")).toBe(true);
  });

  it('combines with AND, OR and NOT as logic says', () => {
    const t = "'a'=='a'";
    const f = "'a'=='b'";
    expect([passes(`${t} and ${t}`), passes(`${t} and ${f}`), passes(`${f} and ${t}`)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([passes(`${f} or ${f}`), passes(`${t} or ${f}`), passes(`${f} or ${t}`)]).toEqual([
      false,
      true,
      true,
    ]);
    expect([passes(`not ${t}`), passes(`not ${f}`)]).toEqual([false, true]);
  });

  it('shows the seed Create Ticket only for alarms without a ticket', () => {
    const filter = parseFilter(
      "[PROPERTY:ALARM:Oceane Ticket ID] == '' AND [SEVERITY] != 'Normal'",
    );
    expect(evaluateFilter(filter, alarm)).toBe(false);
    expect(evaluateFilter(filter, { ...alarm, properties: {} })).toBe(true);
    expect(evaluateFilter(filter, { ...alarm, properties: {}, severity: 'Normal' })).toBe(false);
  });

  it('reads an unknown placeholder of a tree built by hand as written', () => {
    const node = {
      op: '==',
      left: { kind: 'placeholder', name: 'VIEW', arg: 'x' },
      right: { kind: 'text', text: '[VIEW:x]' },
    } as FilterNode;
    expect(evaluateFilter(node, alarm)).toBe(true);
    const bare = {
      op: '==',
      left: { kind: 'placeholder', name: 'VIEW' },
      right: { kind: 'text', text: '[VIEW]' },
    } as FilterNode;
    expect(evaluateFilter(bare, alarm)).toBe(true);
  });
});
