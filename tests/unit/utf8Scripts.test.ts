import {describe, expect, it} from 'vitest';
import {getMinimizers} from '@docusaurus/bundler';
import {minify} from 'terser';
import {keepUtf8} from '../../src/plugins/utf8-scripts';
import type {WebpackConfig} from '../../src/plugins/cacheGroups';

interface TerserOptions {
  options: {minimizer: {options: Parameters<typeof minify>[1]}};
}

describe('utf8-scripts plugin', () => {
  it("turns Docusaurus's Terser output from \\uXXXX escapes to UTF-8 text, keeping the escapes JavaScript needs", async () => {
    const minimizer = await getMinimizers({faster: {swcJsMinimizer: false, lightningCssMinimizer: false}, currentBundler: {name: 'webpack'}} as never);
    const config = {optimization: {minimizer}} as WebpackConfig;
    const source = 'export const note = "Песочница урока", separator = "a\\u2028b"; export const re = /[а-я]+/u;';
    const options = (minimizer[0] as unknown as TerserOptions).options.minimizer.options;
    const before = (await minify(source, options)).code ?? '';
    expect(before).toContain('\\u041f');
    expect(keepUtf8(config)).toBe(1);
    const after = (await minify(source, options)).code ?? '';
    expect(after).toContain('"Песочница урока"');
    expect(after).toContain('/[а-я]+/u');
    expect(after).toContain('\\u2028');
    expect(Buffer.byteLength(after)).toBeLessThan(Buffer.byteLength(before));
    // a second pass finds nothing left to change
    expect(keepUtf8(config)).toBe(0);
  });
});
