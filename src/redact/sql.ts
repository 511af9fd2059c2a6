// SQL text with every literal replaced by `?` and comments removed, so db.query.text keeps the
// query's shape and never its values. A scanner, not a parser: it only has to find literals.
export function sanitizeSql(sql: string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      out += ' ';
      continue;
    }
    // 'string', E'string', B'0101', X'ff', N'text' (doubled quotes and backslash escapes inside)
    if (c === "'" || (/[eEbBxXnN]/.test(c) && next === "'" && !/[\w$]/.test(sql[i - 1] ?? ''))) {
      let j = c === "'" ? i + 1 : i + 2;
      const escapes = c === 'e' || c === 'E';
      while (j < n) {
        if (escapes && sql[j] === '\\') { j += 2; continue; }
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") { j += 2; continue; }
          break;
        }
        j++;
      }
      out += '?';
      i = j + 1;
      continue;
    }
    // $tag$ ... $tag$ dollar-quoted strings (but not $1 placeholders)
    if (c === '$' && !/[0-9]/.test(next ?? '')) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        out += '?';
        i = end === -1 ? n : end + m[0].length;
        continue;
      }
    }
    // "quoted identifiers" stay as they are
    if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      const stop = end === -1 ? n : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    // numbers not part of an identifier or a $n placeholder
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      const prev = sql[i - 1] ?? '';
      if (!/[\w$]/.test(prev)) {
        const m = /^(0[xX][0-9a-fA-F]+|\d*\.?\d+(?:[eE][+-]?\d+)?)/.exec(sql.slice(i));
        if (m) {
          out += '?';
          i += m[0].length;
          continue;
        }
      }
    }
    // identifiers and keywords are copied whole, so digits inside them are never taken for literals
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w$]*/.exec(sql.slice(i))!;
      out += m[0];
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out.replace(/\s+/g, ' ').trim();
}
