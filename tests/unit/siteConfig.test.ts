/**
 * Publishing settings come from the environment at build time: SITE_URL (canonical links, sitemap,
 * the social card's absolute address) and EDIT_URL («Предложить правку» under each lesson).
 */
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it, vi} from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function load(): Promise<{url: string; editUrl: unknown}> {
  const {default: config} = await import('../../docusaurus.config');
  const classic = (config.presets ?? []).find((p) => Array.isArray(p) && p[0] === 'classic') as [string, {docs: {editUrl?: unknown}}];
  return {url: config.url, editUrl: classic[1].docs.editUrl};
}

describe('publishing settings', () => {
  it('take the address and the edit links from SITE_URL and EDIT_URL', async () => {
    vi.stubEnv('SITE_URL', 'https://istio.example.org/');
    vi.stubEnv('EDIT_URL', 'https://github.com/org/course/edit/main/');
    expect(await load()).toEqual({url: 'https://istio.example.org', editUrl: 'https://github.com/org/course/edit/main/'});
  });

  it('without EDIT_URL there is no edit link; the address defaults to a reserved .example name', async () => {
    vi.stubEnv('SITE_URL', undefined as unknown as string);
    vi.stubEnv('EDIT_URL', '');
    expect(await load()).toEqual({url: 'https://istio-practicum.example', editUrl: undefined});
  });

  it('the edit link reads «Предложить правку»', () => {
    const messages = JSON.parse(readFileSync('i18n/ru/code.json', 'utf8')) as Record<string, {message: string}>;
    expect(messages['theme.common.editThisPage'].message).toBe('Предложить правку');
  });
});
