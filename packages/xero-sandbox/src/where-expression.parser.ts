// A small parser and evaluator for the `where` query parameter: the subset of Xero's (LINQ-like)
// filter language a client uses. Grammar:
//   expr    := and (('OR' | '||') and)*
//   and     := unary (('AND' | '&&') unary)*
//   unary   := ('NOT' | '!') unary | primary
//   primary := '(' expr ')' | operand (op operand)?      op: == != > >= < <=
//   operand := literal | path ('.' method '(' args ')')?  method: Contains StartsWith EndsWith ToLower ToUpper
//   literal := "string" | number | true | false | null | Guid("…") | DateTime(y, m, d[, h, mi, s])
// String comparisons ignore case, as Xero's do.

export type WhereNode =
  | { kind: 'or' | 'and'; left: WhereNode; right: WhereNode }
  | { kind: 'not'; expr: WhereNode }
  | { kind: 'cmp'; op: string; left: WhereNode; right: WhereNode }
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; segments: string[] }
  | { kind: 'call'; target: WhereNode; method: string; args: WhereNode[] };

export class WhereParseError extends Error {}

interface Token {
  type: 'str' | 'num' | 'ident' | 'op' | 'punct';
  value: string;
  pos: number;
}

const OPS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '!'];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && j + 1 < input.length) j++;
        value += input[j];
        j++;
      }
      if (j >= input.length) throw new WhereParseError(`Unterminated string starting at position ${i}`);
      tokens.push({ type: 'str', value, pos: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', value: op, pos: i });
      i += op.length;
      continue;
    }
    if (c === '=') throw new WhereParseError(`Use == for comparison (position ${i})`);
    if ('().,'.includes(c)) {
      tokens.push({ type: 'punct', value: c, pos: i });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(input.slice(i));
    if (num) {
      tokens.push({ type: 'num', value: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(input.slice(i));
    if (ident) {
      tokens.push({ type: 'ident', value: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    throw new WhereParseError(`Unexpected character '${c}' at position ${i}`);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): WhereNode {
    const node = this.or();
    if (this.i < this.tokens.length)
      throw new WhereParseError(
        `Unexpected '${this.tokens[this.i].value}' at position ${this.tokens[this.i].pos}`,
      );
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isWord(t: Token | undefined, word: string): boolean {
    return !!t && t.type === 'ident' && t.value.toUpperCase() === word;
  }

  private expect(value: string): void {
    const t = this.tokens[this.i];
    if (!t || t.value !== value)
      throw new WhereParseError(
        `Expected '${value}'${t ? ` at position ${t.pos}` : ' at end of expression'}`,
      );
    this.i++;
  }

  private or(): WhereNode {
    let left = this.and();
    for (let t = this.peek(); t && (this.isWord(t, 'OR') || t.value === '||'); t = this.peek()) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): WhereNode {
    let left = this.unary();
    for (let t = this.peek(); t && (this.isWord(t, 'AND') || t.value === '&&'); t = this.peek()) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): WhereNode {
    const t = this.peek();
    if (t && (this.isWord(t, 'NOT') || (t.type === 'op' && t.value === '!'))) {
      this.i++;
      return { kind: 'not', expr: this.unary() };
    }
    return this.primary();
  }

  private primary(): WhereNode {
    const t = this.peek();
    if (t && t.type === 'punct' && t.value === '(') {
      this.i++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    const op = this.peek();
    if (op && op.type === 'op' && ['==', '!=', '>', '>=', '<', '<='].includes(op.value)) {
      this.i++;
      return { kind: 'cmp', op: op.value, left, right: this.operand() };
    }
    return left;
  }

  private operand(): WhereNode {
    const t = this.peek();
    if (!t) throw new WhereParseError('Unexpected end of expression');
    this.i++;
    if (t.type === 'str') return { kind: 'literal', value: t.value };
    if (t.type === 'num') return { kind: 'literal', value: Number(t.value) };
    if (t.type !== 'ident') throw new WhereParseError(`Unexpected '${t.value}' at position ${t.pos}`);
    const word = t.value.toLowerCase();
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
    if (word === 'null') return { kind: 'literal', value: null };
    if (word === 'guid' && this.peek()?.value === '(') {
      const [arg] = this.args();
      return { kind: 'literal', value: String(literalValue(arg)) };
    }
    if (word === 'datetime' && this.peek()?.value === '(') {
      const parts = this.args().map((a) => Number(literalValue(a)));
      if (parts.length < 3 || parts.some((n) => Number.isNaN(n)))
        throw new WhereParseError('DateTime() takes (year, month, day[, hour, minute, second])');
      return {
        kind: 'literal',
        value: new Date(
          Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0),
        ),
      };
    }
    const segments = [t.value];
    let node: WhereNode = { kind: 'path', segments };
    while (this.peek()?.value === '.') {
      this.i++;
      const next = this.peek();
      if (!next || next.type !== 'ident')
        throw new WhereParseError(`Expected a name after '.'${next ? ` at position ${next.pos}` : ''}`);
      this.i++;
      if (this.peek()?.value === '(') {
        node = { kind: 'call', target: node, method: next.value, args: this.args() };
      } else if (node.kind === 'path') {
        segments.push(next.value);
      } else {
        throw new WhereParseError(`Unexpected '.${next.value}' at position ${next.pos}`);
      }
    }
    return node;
  }

  private args(): WhereNode[] {
    this.expect('(');
    const out: WhereNode[] = [];
    if (this.peek()?.value === ')') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.operand());
      const t = this.peek();
      if (t?.value === ',') {
        this.i++;
        continue;
      }
      this.expect(')');
      return out;
    }
  }
}

function literalValue(node: WhereNode): unknown {
  if (node.kind !== 'literal') throw new WhereParseError('Expected a literal argument');
  return node.value;
}

export function parseWhere(input: string): WhereNode {
  return new Parser(tokenize(input)).parse();
}

function lookup(entity: unknown, segments: string[]): unknown {
  let current: unknown = entity;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

function value(node: WhereNode, entity: unknown): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'path':
      return lookup(entity, node.segments);
    case 'call': {
      const target = value(node.target, entity);
      const arg = node.args.length ? value(node.args[0], entity) : undefined;
      const s = target === undefined || target === null ? '' : String(target).toLowerCase();
      const a = arg === undefined || arg === null ? '' : String(arg).toLowerCase();
      switch (node.method.toLowerCase()) {
        case 'contains':
          return s.includes(a);
        case 'startswith':
          return s.startsWith(a);
        case 'endswith':
          return s.endsWith(a);
        case 'tolower':
        case 'toupper':
          return target === undefined || target === null ? target : String(target);
        default:
          throw new WhereParseError(`Unsupported method ${node.method}()`);
      }
    }
    default:
      return matchesWhere(node, entity);
  }
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

function comparable(a: unknown, b: unknown): [unknown, unknown] {
  if (a instanceof Date || b instanceof Date) {
    const toMs = (v: unknown): unknown => {
      if (v instanceof Date) return v.getTime();
      if (typeof v === 'string') {
        const m = MS_DATE.exec(v);
        return m ? Number(m[1]) : Date.parse(v);
      }
      return v;
    };
    return [toMs(a), toMs(b)];
  }
  if (typeof a === 'string' && typeof b === 'string') return [a.toLowerCase(), b.toLowerCase()];
  if (typeof a === 'number' && typeof b === 'string') return [a, Number(b)];
  if (typeof a === 'string' && typeof b === 'number') return [Number(a), b];
  return [a ?? null, b ?? null];
}

export function matchesWhere(node: WhereNode, entity: unknown): boolean {
  switch (node.kind) {
    case 'or':
      return matchesWhere(node.left, entity) || matchesWhere(node.right, entity);
    case 'and':
      return matchesWhere(node.left, entity) && matchesWhere(node.right, entity);
    case 'not':
      return !matchesWhere(node.expr, entity);
    case 'cmp': {
      const [a, b] = comparable(value(node.left, entity), value(node.right, entity));
      switch (node.op) {
        case '==':
          return a === b;
        case '!=':
          return a !== b;
        case '>':
          return (a as number) > (b as number);
        case '>=':
          return (a as number) >= (b as number);
        case '<':
          return (a as number) < (b as number);
        default:
          return (a as number) <= (b as number);
      }
    }
    default:
      return Boolean(value(node, entity));
  }
}
