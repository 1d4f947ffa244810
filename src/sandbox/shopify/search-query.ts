/**
 * Shopify's search syntax (the `query:` argument of connections), the subset the presets and
 * bindings use: `field:value`, `field:"quoted value"` with `\"` and `\\` escapes, bare words,
 * implicit AND, `AND`, `OR`, `NOT` / `-` prefix, parentheses, `field:>value` (and `<`, `>=`, `<=`)
 * and prefix `value*`. A tokenizer then a recursive-descent parser, so a quoted value is always
 * exactly one term: `email:"x OR status:any"` can never grow an OR.
 */

export type Comparator = ':' | '>' | '<' | '>=' | '<=';

export type SearchNode =
  | { kind: 'term'; field?: string; op: Comparator; value: string; prefix: boolean; quoted: boolean }
  | { kind: 'and' | 'or'; children: SearchNode[] }
  | { kind: 'not'; child: SearchNode }
  | { kind: 'all' };

type Token =
  | { t: 'lparen' | 'rparen' | 'and' | 'or' | 'not' }
  | { t: 'term'; field?: string; op: Comparator; value: string; quoted: boolean };

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Reads a double-quoted string starting at `i` (on the quote); returns the text and the next index. */
function readQuoted(src: string, i: number): [string, number] {
  let out = '';
  let j = i + 1;
  while (j < src.length && src[j] !== '"') {
    if (src[j] === '\\' && j + 1 < src.length) j++;
    out += src[j++];
  }
  return [out, j + 1]; // an unterminated quote runs to the end, still one value
}

function readBare(src: string, i: number): [string, number] {
  let j = i;
  while (j < src.length && !isSpace(src[j]) && src[j] !== '(' && src[j] !== ')') j++;
  return [src.slice(i, j), j];
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c === '(' ? 'lparen' : 'rparen' });
      i++;
    } else if (c === '-' && i + 1 < src.length && !isSpace(src[i + 1])) {
      out.push({ t: 'not' });
      i++;
    } else if (c === '"') {
      const [value, next] = readQuoted(src, i);
      out.push({ t: 'term', op: ':', value, quoted: true });
      i = next;
    } else {
      // A word, possibly `field:` followed by a comparator and a (quoted) value.
      let j = i;
      while (j < src.length && !isSpace(src[j]) && !'():"'.includes(src[j])) j++;
      const word = src.slice(i, j);
      if (src[j] !== ':') {
        const [rest, next] = src[j] === '"' ? [word, j] : readBare(src, i);
        if (rest === 'AND' || rest === 'OR' || rest === 'NOT') out.push({ t: rest.toLowerCase() as 'and' });
        else if (rest) out.push({ t: 'term', op: ':', value: rest, quoted: false });
        i = next === i ? i + 1 : next;
        continue;
      }
      j++;
      let op: Comparator = ':';
      for (const cand of ['>=', '<=', '>', '<'] as const) {
        if (src.startsWith(cand, j)) {
          op = cand;
          j += cand.length;
          break;
        }
      }
      const [value, next] = src[j] === '"' ? readQuoted(src, j) : readBare(src, j);
      out.push({ t: 'term', field: word.toLowerCase(), op, value, quoted: src[j] === '"' });
      i = next;
    }
  }
  return out;
}

/** Parses a search string; an empty one matches everything. Never throws: stray tokens are skipped. */
export function parseSearchQuery(src: string): SearchNode {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];

  function orExpr(): SearchNode {
    const children = [andExpr()];
    while (peek()?.t === 'or') {
      pos++;
      children.push(andExpr());
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }
  function andExpr(): SearchNode {
    const children: SearchNode[] = [];
    for (;;) {
      const tok = peek();
      if (!tok || tok.t === 'or' || tok.t === 'rparen') break;
      if (tok.t === 'and') {
        pos++;
        continue;
      }
      children.push(unary());
    }
    if (children.length === 0) return { kind: 'all' };
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }
  function unary(): SearchNode {
    const tok = tokens[pos++];
    if (tok.t === 'not') return peek() ? { kind: 'not', child: unary() } : { kind: 'all' };
    if (tok.t === 'lparen') {
      const inner = orExpr();
      if (peek()?.t === 'rparen') pos++;
      return inner;
    }
    if (tok.t === 'term') {
      const prefix = !tok.quoted && tok.value.length > 1 && tok.value.endsWith('*');
      return {
        kind: 'term',
        field: tok.field,
        op: tok.op,
        value: prefix ? tok.value.slice(0, -1) : tok.value,
        prefix,
        quoted: tok.quoted,
      };
    }
    return { kind: 'all' }; // a stray AND/OR/')' where a term belongs
  }

  const root = orExpr();
  // Unbalanced ')' at top level: skip it and keep reading, ANDing what follows.
  const rest: SearchNode[] = [root];
  while (pos < tokens.length) {
    pos++;
    rest.push(orExpr());
  }
  return rest.length === 1 ? root : { kind: 'and', children: rest };
}

export type TermNode = Extract<SearchNode, { kind: 'term' }>;

/** Evaluates a parsed query; `matchTerm` decides one term for one record. */
export function evaluate<T>(
  node: SearchNode,
  record: T,
  matchTerm: (term: TermNode, record: T) => boolean,
): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'term':
      return matchTerm(node, record);
    case 'not':
      return !evaluate(node.child, record, matchTerm);
    case 'and':
      return node.children.every((c) => evaluate(c, record, matchTerm));
    case 'or':
      return node.children.some((c) => evaluate(c, record, matchTerm));
  }
}
