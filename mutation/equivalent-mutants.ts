/**
 * The surviving mutants of the mutation run (mutation/run.ts) that no test can tell apart
 * from the code, each with the reason; they are left out of the scores. Kept apart from
 * mutation.config.ts (the modules) because the list is long.
 */

/** A surviving mutant that cannot change behaviour, left out of the score. */
export interface EquivalentMutant {
  file: string;
  /** Stryker's mutator name, e.g. `Regex`. */
  mutator: string;
  /** The source text replaced, exactly. */
  original: string;
  /** Text of the line where the mutant starts (part of it), to tell alike mutants apart. */
  line: string;
  /** The replacement, exactly as in the report. */
  replacement: string;
  /** Why no test can tell it apart. */
  reason: string;
}

/**
 * Truly equivalent mutants, each with the reason. Besides these, one category is left out as
 * a whole (mutation/report.ts `isWordingMutant`): message wording and log text, i.e. mutants
 * of a string or template literal that reads as words (it contains a space), and everything
 * inside such a template literal.
 */
export const EQUIVALENT_MUTANTS: readonly EquivalentMutant[] = [
  // parseRetryAfter: the early return for '' is a shortcut; an empty text matches neither
  // the digits rule nor the date rule, so the answer is null with or without it.
  {
    file: 'electron/connector/retry-policy.ts',
    mutator: 'ConditionalExpression',
    original: "text === ''",
    line: "if (text === '') return null;",
    replacement: 'false',
    reason: "'' matches neither the digits nor the date rule: null either way",
  },
  {
    file: 'electron/connector/retry-policy.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "if (text === '') return null;",
    replacement: '"Stryker was here!"',
    reason: "'' matches neither the digits nor the date rule: null either way",
  },
  // isJsonContentType: split() always gives at least one element, so `[0]` is never
  // undefined: the optional chaining and the `?? ''` fallback can never take effect.
  {
    file: 'electron/connector/oceane-responses.ts',
    mutator: 'OptionalChaining',
    original: "contentType.split(';')[0]?.trim",
    line: "const type = contentType.split(';')[0]?.trim()",
    replacement: "contentType.split(';')[0].trim",
    reason: 'split() always gives a first element',
  },
  {
    file: 'electron/connector/oceane-responses.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const type = contentType.split(';')[0]?.trim()",
    replacement: '"Stryker was here!"',
    reason: "split() always gives a first element: the `?? ''` fallback is unreachable",
  },
  // parseJson: an empty catch block returns undefined just as `return undefined` does.
  {
    file: 'electron/connector/oceane-responses.ts',
    mutator: 'BlockStatement',
    original: '{\n    return undefined;\n  }',
    line: '} catch {',
    replacement: '{}',
    reason: 'a function that ends without return gives undefined too',
  },
  // errorFromAnswer: Number.isFinite is false for anything but a number, so the typeof test
  // before it changes nothing.
  {
    file: 'electron/connector/oceane-responses.ts',
    mutator: 'ConditionalExpression',
    original: "typeof code === 'number'",
    line: "typeof code === 'number' && Number.isFinite(code)",
    replacement: 'true',
    reason: 'Number.isFinite is false for every non-number',
  },
  // parseSearchResult: in place of a missing list, a list without a record matches nothing.
  {
    file: 'electron/connector/oceane-responses.ts',
    mutator: 'ArrayDeclaration',
    original: '[]',
    line: 'const ids = Array.isArray(item.externalIdentifier)',
    replacement: '["Stryker was here"]',
    reason: 'a list of strings holds no identifier record, like the empty list',
  },
  // toUtcIso: toISOString() ends with `Z` and has `.000Z` nowhere else, so the end anchor
  // changes nothing.
  {
    file: 'electron/connector/tmf621-mapping.ts',
    mutator: 'Regex',
    original: '/\\.000Z$/',
    line: 'return new Date(ms).toISOString()',
    replacement: '/\\.000Z/',
    reason: '`.000Z` can only be at the end of toISOString()',
  },
  // selectPrunable: the count pass's loop checks `remaining <= countLimit` before removing
  // anything, so the test that guards the loop only saves a walk over the rows.
  {
    file: 'electron/connector/retention.ts',
    mutator: 'ConditionalExpression',
    original: 'remaining > input.limits.countLimit',
    line: 'if (remaining > input.limits.countLimit) {',
    replacement: 'true',
    reason: 'the loop stops at once when nothing is beyond the count limit',
  },
  {
    file: 'electron/connector/retention.ts',
    mutator: 'EqualityOperator',
    original: 'remaining > input.limits.countLimit',
    line: 'if (remaining > input.limits.countLimit) {',
    replacement: 'remaining >= input.limits.countLimit',
    reason: 'the loop stops at once when nothing is beyond the count limit',
  },
  // externalUrlProblem: the WHATWG parser gives every http(s) URL a host, so the check for
  // an empty host (kept as a last gate) can never refuse one.
  {
    file: 'electron/platform/url-opener.ts',
    mutator: 'ConditionalExpression',
    original: "u.hostname === ''",
    line: "if (u.hostname === '')",
    replacement: 'false',
    reason: 'an http(s) URL always has a host',
  },
  {
    file: 'electron/platform/url-opener.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "if (u.hostname === '')",
    replacement: '"Stryker was here!"',
    reason: 'an http(s) URL always has a host',
  },
  // localZoneName: Intl.DateTimeFormat with `timeZoneName` set always gives a timeZoneName
  // part, so the fallback after it is never reached.
  {
    file: 'renderer/src/format.ts',
    mutator: 'OptionalChaining',
    original: 'part?.value',
    line: "name = part?.value ?? 'local time';",
    replacement: 'part.value',
    reason: 'formatToParts with timeZoneName always has that part',
  },
  {
    file: 'renderer/src/format.ts',
    mutator: 'StringLiteral',
    original: "'local time'",
    line: "name = part?.value ?? 'local time';",
    replacement: '""',
    reason: 'formatToParts with timeZoneName always has that part',
  },
  // formatTime: every zone but 'utc' is local time, so the default's exact text is unseen.
  {
    file: 'renderer/src/format.ts',
    mutator: 'StringLiteral',
    original: "'local'",
    line: "zone: TimeZoneChoice = 'local'",
    replacement: '""',
    reason: "any zone other than 'utc' is shown in local time",
  },
  // readerOf: without an argument there is no `ALARM:` prefix to match, whatever text stands
  // in for it; and a match always has its group (`(.*)` takes part even when empty).
  {
    file: 'electron/alarms/hyperlink-placeholders.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const scope = /^ALARM:(.*)$/i.exec(argument ?? '');",
    replacement: '"Stryker was here!"',
    reason: 'a text without the ALARM: prefix matches nothing, like the empty one',
  },
  {
    file: 'electron/alarms/hyperlink-placeholders.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const property = scope[1] ?? '';",
    replacement: '"Stryker was here!"',
    reason: 'the group (.*) always takes part in a match',
  },
  // readerOf: without its `return undefined`, the default case falls out of the function,
  // which returns undefined as well.
  {
    file: 'electron/alarms/hyperlink-placeholders.ts',
    mutator: 'ConditionalExpression',
    original: 'default:\n      return undefined;',
    line: 'default:',
    replacement: 'default:',
    reason: 'falling out of the function returns undefined too',
  },
  // splitOutsideBrackets: charAt past the end is '', which is no bracket and no separator.
  {
    file: 'electron/alarms/hyperlink-placeholders.ts',
    mutator: 'EqualityOperator',
    original: 'i < text.length',
    line: 'for (let i = 0; i < text.length; i++) {',
    replacement: 'i <= text.length',
    reason: "charAt(length) is '', which matches neither a bracket nor the separator",
  },
  // parseScriptCommand: split always gives a first part, so its default is never taken.
  {
    file: 'electron/alarms/hyperlink-placeholders.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const [script = '', dummies = ''",
    replacement: '"Stryker was here!"',
    reason: 'a split always gives a first part',
  },
  {
    file: 'electron/alarms/hyperlink-placeholders.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const [name = '', ...rest] = splitOutsideBrackets(part, '=');",
    replacement: '"Stryker was here!"',
    reason: 'a split always gives a first part',
  },
  // withoutMarkup: the page starts with '<', so its last '<' and its last '>' are never at
  // the same place.
  {
    file: 'shared/plain-text.ts',
    mutator: 'EqualityOperator',
    original: "page.lastIndexOf('<') > lastClose",
    line: "const cutInTag = page.lastIndexOf('<') > lastClose;",
    replacement: "page.lastIndexOf('<') >= lastClose",
    reason: "a '<' and a '>' are never at the same index",
  },
  // AlarmTicketFlags.isLater: inside the branch the creation times differ, and no two rows
  // share an Instance (the map's key), so `>=` cannot differ from `>`.
  {
    file: 'renderer/src/store/ticket-flags.ts',
    mutator: 'EqualityOperator',
    original: 'a.createdAt > b.createdAt',
    line: 'if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;',
    replacement: 'a.createdAt >= b.createdAt',
    reason: 'the two creation times differ in this branch',
  },
  {
    file: 'renderer/src/store/ticket-flags.ts',
    mutator: 'EqualityOperator',
    original: 'a.instance > b.instance',
    line: 'return a.instance > b.instance;',
    replacement: 'a.instance >= b.instance',
    reason: 'no two rows share an Instance',
  },
  // AlarmTicketFlags.drop: a mark in byInstance is always in its alarm's list (put adds it
  // to both), so the guards for a missing list or mark never act; an empty list left behind
  // holds no mark and gives no flag.
  {
    file: 'renderer/src/store/ticket-flags.ts',
    mutator: 'ConditionalExpression',
    original: '!list',
    line: 'if (!list) return;',
    replacement: 'false',
    reason: 'a known mark always has its list',
  },
  {
    file: 'renderer/src/store/ticket-flags.ts',
    mutator: 'ConditionalExpression',
    original: 'i >= 0',
    line: 'if (i >= 0) list.splice(i, 1);',
    replacement: 'true',
    reason: 'a known mark is always in its list',
  },
  {
    file: 'renderer/src/store/ticket-flags.ts',
    mutator: 'ConditionalExpression',
    original: 'list.length === 0',
    line: 'if (list.length === 0) this.byAlarm.delete(mark.alarmKey);',
    replacement: 'false',
    reason: 'an empty list gives no flag; deleting it only frees memory',
  },
  // recompute: an alarm without rows has no list; a list of one string has no Pending mark
  // and no status, so it gives no flag either.
  {
    file: 'renderer/src/store/ticket-flags.ts',
    mutator: 'ArrayDeclaration',
    original: '[]',
    line: 'for (const mark of this.byAlarm.get(alarmKey) ?? []) {',
    replacement: '["Stryker was here"]',
    reason: 'a list without ticket marks gives no flag, like the empty one',
  },
  // originOf: an unreadable Base URL only has to differ from every real origin and equal
  // itself; undefined or any non-origin text does both, as '' does.
  {
    file: 'electron/connector/ticket-request-machine.ts',
    mutator: 'BlockStatement',
    original: "{\n    return '';\n  }",
    line: '} catch {',
    replacement: '{}',
    reason: 'undefined, like the empty text, is no origin and equals itself',
  },
  {
    file: 'electron/connector/ticket-request-machine.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "return '';",
    replacement: '"Stryker was here!"',
    reason: 'any text that is no origin does what the empty text does',
  },
  // onLookupFailed: a request is looking up only with a purpose (lookUp always gives one).
  {
    file: 'electron/connector/ticket-request-machine.ts',
    mutator: 'StringLiteral',
    original: "'doubt'",
    line: "const purpose = state.lookupFor ?? 'doubt';",
    replacement: '""',
    reason: 'a look-up in flight always has its purpose',
  },
  // waitOrNull: `now < null` is false for every time, so the null test only says it plainly.
  {
    file: 'electron/connector/ticket-request-machine.ts',
    mutator: 'ConditionalExpression',
    original: 'at !== null',
    line: 'if (at !== null && ctx.now < at)',
    replacement: 'true',
    reason: 'now < null is false',
  },
  // dataminer-time.ts: every capture group of the pattern takes part in a match (the
  // optional pieces are optional inside their group), and the month and day lists cover
  // every index Date gives, so these fallbacks are never taken.
  {
    file: 'electron/alarms/dataminer-time.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const raw = match[k + 1] ?? '';",
    replacement: '"Stryker was here!"',
    reason: 'every group takes part in a match',
  },
  {
    file: 'electron/alarms/dataminer-time.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const name = MONTHS[month] ?? '';",
    replacement: '"Stryker was here!"',
    reason: 'getUTCMonth() is always an index of MONTHS',
  },
  {
    file: 'electron/alarms/dataminer-time.ts',
    mutator: 'StringLiteral',
    original: "''",
    line: "const name = DAYS[d.getUTCDay()] ?? '';",
    replacement: '"Stryker was here!"',
    reason: 'getUTCDay() is always an index of DAYS',
  },
  // The offset text was captured by the z or K pattern, which starts with its sign: the start
  // anchor of the pattern that reads it again changes nothing.
  {
    file: 'electron/alarms/dataminer-time.ts',
    mutator: 'Regex',
    original: '/^([+-])(\\d{1,2}):?(\\d{2})?$/',
    line: 'const o = /^([+-])(\\d{1,2}):?(\\d{2})?$/.exec(raw);',
    replacement: '/([+-])(\\d{1,2}):?(\\d{2})?$/',
    reason: 'the captured offset always starts with its sign',
  },
  // hyperlink-filter.ts tokenize: the `]` searched from a `[` is never at index 0, a name
  // that starts with its colon is no known placeholder either way, and the character past
  // the end read by the quote loop is '', after which the loop stops with the same error.
  {
    file: 'electron/alarms/hyperlink-filter.ts',
    mutator: 'EqualityOperator',
    original: 'end < 0',
    line: 'if (end < 0) throw',
    replacement: 'end <= 0',
    reason: 'the `]` after a `[` is never at index 0',
  },
  {
    file: 'electron/alarms/hyperlink-filter.ts',
    mutator: 'EqualityOperator',
    original: 'colon < 0',
    line: 'const name = colon < 0 ? inner : inner.slice(0, colon);',
    replacement: 'colon <= 0',
    reason: "'[:x]' names no known placeholder, whichever part is taken as its name",
  },
  {
    file: 'electron/alarms/hyperlink-filter.ts',
    mutator: 'EqualityOperator',
    original: 'colon < 0',
    line: 'const arg = colon < 0 ? undefined : inner.slice(colon + 1);',
    replacement: 'colon <= 0',
    reason: "'[:x]' names no known placeholder, whichever part is taken as its name",
  },
  {
    file: 'electron/alarms/hyperlink-filter.ts',
    mutator: 'EqualityOperator',
    original: 'j >= source.length',
    line: 'if (j >= source.length) throw',
    replacement: 'j > source.length',
    reason: "one more turn reads '' and then throws the same error",
  },
  // pushToast: with exactly as many passing toasts as allowed, dropping none gives a copy of
  // the same list; the ticket-failed group's name only has to be its own.
  {
    file: 'renderer/src/store/toast-stack.ts',
    mutator: 'EqualityOperator',
    original: 'extra <= 0',
    line: 'if (extra <= 0) return next;',
    replacement: 'extra < 0',
    reason: 'dropping none of the passing toasts gives the same list',
  },
  {
    file: 'renderer/src/store/toast-stack.ts',
    mutator: 'ConditionalExpression',
    original: 'extra <= 0',
    line: 'if (extra <= 0) return next;',
    replacement: 'false',
    reason: 'dropping none of the passing toasts gives the same list',
  },
  {
    file: 'renderer/src/store/toast-stack.ts',
    mutator: 'StringLiteral',
    original: "'ticket-failed'",
    line: "export const TICKET_FAILED_GROUP = 'ticket-failed';",
    replacement: '""',
    reason: 'any name that no level:title group takes works alike',
  },
];
