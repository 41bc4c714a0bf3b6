/**
 * Splits a code block or a multi-line paste into command units: lines ending in "\",
 * here-documents, and for/while/if bodies stay together; blank lines and comments go.
 */
export function splitCommands(text: string): string[] {
  const units: string[] = [];
  let cur: string[] = [];
  const heredocs: string[] = [];
  let depth = 0;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (heredocs.length) {
      cur.push(line);
      if (line.replace(/^\t+/, '') === heredocs[0]) heredocs.shift();
      if (!heredocs.length && depth === 0) {
        units.push(cur.join('\n'));
        cur = [];
      }
      continue;
    }
    if (!cur.length && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    cur.push(line);
    // <<EOF, <<'EOF', <<"EOF", <<\EOF (a backslash quotes the delimiter too: no expansion in the body)
    for (const m of line.matchAll(/<<-?\s*\\?(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) heredocs.push(m[2]);
    const opens = (line.match(/\b(do|then)\b/g) ?? []).length;
    const closes = (line.match(/\b(done|fi)\b/g) ?? []).length;
    depth = Math.max(0, depth + opens - closes);
    if (!heredocs.length && depth === 0 && !line.endsWith('\\') && !/(\||&&|\|\|)\s*$/.test(line)) {
      units.push(cur.join('\n'));
      cur = [];
    }
  }
  if (cur.length) units.push(cur.join('\n'));
  return units;
}
