/**
 * Hyperlink placeholders ([DMAID], [ROOTTIME:format], [PROPERTY:ALARM:name], ...) and the
 * splitting of a hyperlink's command into its fields.
 *
 * Safety rule: a command is always split (on `|`, `;`, `=`) BEFORE its placeholders are
 * filled, and filling is a single pass. So an alarm value containing `;`, `=`, `|` or even
 * `[DMAID]` lands verbatim in its one field and can never add, split or rewrite a parameter.
 */
import type { Alarm } from '../../shared/domain.js';
import { formatDataMinerTime } from './dataminer-time.js';

/** The format used when [ROOTTIME] or [TIME] comes without one. */
export const DEFAULT_TIME_FORMAT = 'yyyy-MM-ddTHH:mm:ssZ';

const PLACEHOLDER = /\[([A-Za-z]+)(?::([^\]]*))?\]/g;

/**
 * The time in the format, or '' when the time or the format cannot be read (formatDataMinerTime
 * throws a RangeError for both).
 */
function formatTime(iso: string, format: string | undefined): string {
  try {
    return formatDataMinerTime(
      iso,
      format === undefined || format === '' ? DEFAULT_TIME_FORMAT : format,
    );
  } catch {
    return '';
  }
}

/** How one placeholder reads its text from an alarm. */
type PlaceholderReader = (alarm: Alarm) => string;

/** The reader of a placeholder, or undefined when this console does not know it. */
function readerOf(name: string, argument: string | undefined): PlaceholderReader | undefined {
  switch (name.toUpperCase()) {
    case 'DMAID':
      return (alarm) => alarm.dmaId;
    case 'EID':
      return (alarm) => alarm.elementId;
    case 'ROOTKEY':
      return (alarm) => alarm.alarmId;
    case 'ALARMID':
      return (alarm) => alarm.latestAlarmId ?? alarm.alarmId;
    case 'ENAME':
      return (alarm) => alarm.elementName;
    case 'PNAME':
      return (alarm) => alarm.parameter;
    case 'VALUE':
      return (alarm) => alarm.value;
    case 'SEVERITY':
      return (alarm) => alarm.severity;
    case 'ROOTTIME':
      return (alarm) => formatTime(alarm.rootTime, argument);
    case 'TIME':
      return (alarm) => formatTime(alarm.time, argument);
    case 'PROPERTY': {
      const scope = /^ALARM:(.*)$/i.exec(argument ?? '');
      if (!scope) return undefined;
      const property = scope[1] ?? '';
      return (alarm) => alarm.properties[property] ?? '';
    }
    default:
      return undefined;
  }
}

/**
 * The text of one placeholder for `alarm`, or undefined when the placeholder is unknown (it
 * is then left as written). A missing alarm property gives ''.
 */
export function placeholderValue(
  alarm: Alarm,
  name: string,
  argument: string | undefined,
): string | undefined {
  return readerOf(name, argument)?.(alarm);
}

/** True when this console knows the placeholder (unknown ones are left as written). */
export function isKnownPlaceholder(name: string, argument: string | undefined): boolean {
  return readerOf(name, argument) !== undefined;
}

/** Fills every placeholder of `template` in one pass; filled text is never re-read. */
export function fillPlaceholders(template: string, alarm: Alarm): string {
  return template.replace(PLACEHOLDER, (whole, name: string, argument: string | undefined) => {
    return placeholderValue(alarm, name, argument) ?? whole;
  });
}

/**
 * Splits `text` on `separator` (one character), ignoring separators inside [...] so that a
 * placeholder's format may contain any character but `]`.
 */
export function splitOutsideBrackets(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '[') depth++;
    else if (c === ']' && depth > 0) depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The fields of a script hyperlink: `Script|Dummies|Parameters|Memory|Tooltip|Options`. */
export interface ScriptCommand {
  script: string;
  dummies: string;
  /** Parameter name and its unfilled template, in the order written. */
  parameters: [string, string][];
  memory: string;
  tooltip: string;
  options: string[];
}

/** Parses a script hyperlink's command (placeholders still unfilled). */
export function parseScriptCommand(command: string): ScriptCommand {
  const fields = splitOutsideBrackets(command, '|');
  const [script = '', dummies = '', params = '', memory = '', tooltip = '', options = ''] = fields;
  const parameters: [string, string][] = [];
  for (const part of splitOutsideBrackets(params, ';')) {
    if (part.trim() === '') continue;
    const [name = '', ...rest] = splitOutsideBrackets(part, '=');
    parameters.push([name.trim(), rest.join('=').trim()]);
  }
  return {
    script: script.trim().replace(/^Script:/i, ''),
    dummies: dummies.trim(),
    parameters,
    memory: memory.trim(),
    tooltip: tooltip.trim(),
    options: options
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  };
}
