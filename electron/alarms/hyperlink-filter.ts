/**
 * The `filterElement` expressions of assets/HyperLinks.xml: when a hyperlink shows in an
 * alarm's menu. DataMiner's public documentation names the attribute but does not give its
 * expression syntax, so this console uses a small readable one, documented in the XML file:
 *
 *   expression := term ( OR term )*
 *   term       := factor ( AND factor )*
 *   factor     := NOT factor | '(' expression ')' | operand ( '==' | '!=' ) operand
 *   operand    := a placeholder such as [PROPERTY:ALARM:Oceane Ticket ID] or [SEVERITY]
 *               | 'quoted text' (write '' for a quote inside)
 *
 * Keywords are case-insensitive. Comparisons are exact text comparisons; a missing alarm
 * property reads as '' (so `[PROPERTY:ALARM:X] == ''` means "has no X").
 */
import type { Alarm } from '../../shared/domain.js';
import { isKnownPlaceholder, placeholderValue } from './hyperlink-placeholders.js';

type Operand = { kind: 'text'; text: string } | { kind: 'placeholder'; name: string; arg?: string };

/** A parsed filter expression. */
export type FilterNode =
  | { op: 'or' | 'and'; left: FilterNode; right: FilterNode }
  | { op: 'not'; inner: FilterNode }
  | { op: '==' | '!='; left: Operand; right: Operand };

type Token =
  { t: 'operand'; operand: Operand } | { t: '==' | '!=' | '(' | ')' | 'and' | 'or' | 'not' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '[') {
      const end = source.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed "[" at position ${i + 1}`);
      const inner = source.slice(i + 1, end);
      const colon = inner.indexOf(':');
      const name = colon < 0 ? inner : inner.slice(0, colon);
      const arg = colon < 0 ? undefined : inner.slice(colon + 1);
      if (!isKnownPlaceholder(name, arg)) {
        throw new Error(`"[${inner}]" is not a known placeholder`);
      }
      tokens.push({
        t: 'operand',
        operand:
          arg === undefined ? { kind: 'placeholder', name } : { kind: 'placeholder', name, arg },
      });
      i = end + 1;
    } else if (c === "'") {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new Error(`unclosed quote at position ${i + 1}`);
        const d = source.charAt(j);
        if (d === "'") {
          if (source.charAt(j + 1) === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += d;
        j++;
      }
      tokens.push({ t: 'operand', operand: { kind: 'text', text } });
      i = j + 1;
    } else if (source.startsWith('==', i) || source.startsWith('!=', i)) {
      tokens.push({ t: source.slice(i, i + 2) as '==' | '!=' });
      i += 2;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c });
      i++;
    } else {
      const word = /^[A-Za-z]+/.exec(source.slice(i))?.[0];
      const keyword = word?.toLowerCase();
      if (keyword !== 'and' && keyword !== 'or' && keyword !== 'not') {
        throw new Error(`unexpected "${source.slice(i, i + 12)}" at position ${i + 1}`);
      }
      tokens.push({ t: keyword });
      i += keyword.length;
    }
  }
  return tokens;
}

/** Parses a filter expression; throws an Error that says what is wrong and where. */
export function parseFilter(source: string): FilterNode {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const describe = (token: Token | undefined): string =>
    token === undefined ? 'the end' : token.t === 'operand' ? 'an operand' : `"${token.t}"`;

  const expression = (): FilterNode => {
    let left = term();
    while (peek()?.t === 'or') {
      at++;
      left = { op: 'or', left, right: term() };
    }
    return left;
  };
  const term = (): FilterNode => {
    let left = factor();
    while (peek()?.t === 'and') {
      at++;
      left = { op: 'and', left, right: factor() };
    }
    return left;
  };
  const operand = (): Operand => {
    const token = tokens[at++];
    if (token?.t !== 'operand') {
      throw new Error(`expected a placeholder or 'text' but found ${describe(token)}`);
    }
    return token.operand;
  };
  const factor = (): FilterNode => {
    const token = peek();
    if (token?.t === 'not') {
      at++;
      return { op: 'not', inner: factor() };
    }
    if (token?.t === '(') {
      at++;
      const inner = expression();
      if (peek()?.t !== ')') throw new Error(`expected ")" but found ${describe(peek())}`);
      at++;
      return inner;
    }
    const left = operand();
    const op = tokens[at++];
    if (op?.t !== '==' && op?.t !== '!=') {
      throw new Error(`expected "==" or "!=" but found ${describe(op)}`);
    }
    return { op: op.t, left, right: operand() };
  };

  if (tokens.length === 0) throw new Error('the expression is empty');
  const tree = expression();
  if (at < tokens.length) throw new Error(`unexpected ${describe(peek())} after the expression`);
  return tree;
}

function operandText(operand: Operand, alarm: Alarm): string {
  if (operand.kind === 'text') return operand.text;
  const value = placeholderValue(alarm, operand.name, operand.arg);
  return value ?? `[${operand.name}${operand.arg === undefined ? '' : `:${operand.arg}`}]`;
}

/** True when `alarm` passes the filter. */
export function evaluateFilter(node: FilterNode, alarm: Alarm): boolean {
  switch (node.op) {
    case 'or':
      return evaluateFilter(node.left, alarm) || evaluateFilter(node.right, alarm);
    case 'and':
      return evaluateFilter(node.left, alarm) && evaluateFilter(node.right, alarm);
    case 'not':
      return !evaluateFilter(node.inner, alarm);
    case '==':
      return operandText(node.left, alarm) === operandText(node.right, alarm);
    case '!=':
      return operandText(node.left, alarm) !== operandText(node.right, alarm);
  }
}
