/**
 * How deep the flow collections (`[`, `{`) of a YAML text nest, found by one linear scan before
 * any parser runs: the yaml package parses flow collections recursively, so a 200 000-deep
 * `[[[[…` would overflow the stack (or take seconds) before a depth check on the result could
 * say no. Quoted scalars and comments are skipped; brackets inside block scalars count, which
 * only matters for texts with more than `limit` unbalanced brackets.
 */
export function flowNestingTooDeep(text: string, limit: number): { offset: number } | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return { offset: i };
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    } else if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      const prev = i === 0 ? 0x0a : text.charCodeAt(i - 1);
      // a quote opens a scalar only at the start of a token
      if (prev !== 0x20 && prev !== 0x0a && prev !== 0x09 && prev !== 0x5b && prev !== 0x7b && prev !== 0x2c && prev !== 0x3a && prev !== 0x2d) continue;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (c === 0x22 && d === 0x5c /* \ */) i++;
        else if (d === c) {
          if (c === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
          else break;
        }
      }
    } else if (c === 0x23 /* # */) {
      const prev = i === 0 ? 0x0a : text.charCodeAt(i - 1);
      if (prev === 0x20 || prev === 0x0a || prev === 0x09) while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    }
  }
  return undefined;
}
