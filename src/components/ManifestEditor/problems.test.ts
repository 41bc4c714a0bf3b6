import {describe, expect, it} from 'vitest';
import type {Diagnostic} from '../../validation/types';
import {countOf, lessonTitle, placeText, plural, summaryText, toProblemViews} from './problems';

describe('problem list wording', () => {
  it('uses Russian plural forms', () => {
    const forms = (n: number) => plural(n, 'ошибка', 'ошибки', 'ошибок');
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].map(forms)).toEqual([
      'ошибка',
      'ошибки',
      'ошибки',
      'ошибок',
      'ошибок',
      'ошибок',
      'ошибок',
      'ошибка',
      'ошибки',
      'ошибок',
      'ошибка',
      'ошибок',
    ]);
  });

  it('summarizes counts', () => {
    expect(summaryText({error: 0, warning: 0, info: 0})).toBe('Проблем не найдено');
    expect(summaryText({error: 1, warning: 0, info: 0})).toBe('1 ошибка');
    expect(summaryText({error: 2, warning: 1, info: 0})).toBe('2 ошибки и 1 предупреждение');
    expect(summaryText({error: 5, warning: 3, info: 21})).toBe('5 ошибок, 3 предупреждения и 21 замечание');
  });

  it('names places and lessons', () => {
    expect(placeText({range: {start: {line: 12, column: 7, offset: 0}, end: {line: 12, column: 9, offset: 2}}})).toBe('строка 12, столбец 7');
    expect(placeText({})).toBe('весь манифест');
    expect(lessonTitle('/docs/virtual-service')).toBe('VirtualService');
    expect(lessonTitle('/docs/scenarios/traffic-split#weights')).toBe('Расщепление трафика');
    expect(lessonTitle('/docs/nope')).toBeUndefined();
  });

  it('turns diagnostics into list items', () => {
    const d: Diagnostic[] = [
      {
        code: 'IST0101',
        severity: 'error',
        source: 'analysis',
        message: 'Хост назначения: «nowhere» не найден',
        explanation: 'Почему…',
        link: '/docs/virtual-service',
        documentIndex: 0,
        range: {start: {line: 12, column: 19, offset: 200}, end: {line: 12, column: 26, offset: 207}},
      },
      {code: 'K8S003', severity: 'error', source: 'schema', message: 'Неизвестное поле', istioCode: 'IST0106', documentIndex: 0, link: '/docs/x'},
      {code: 'PRK004', severity: 'warning', source: 'analysis', message: 'нет меток'},
    ];
    const views = toProblemViews(d);
    expect(views[0]).toMatchObject({
      code: 'IST0101',
      severityLabel: 'Ошибка',
      place: 'строка 12, столбец 19',
      line: 12,
      column: 19,
      linkLabel: 'Урок «VirtualService»',
      suppressible: true,
    });
    expect(views[1]).toMatchObject({istioCode: 'IST0106', suppressible: false, line: 1, linkLabel: 'Урок «/docs/x»'});
    // Without a document index there is no object to annotate.
    expect(views[2].suppressible).toBe(false);
    expect(new Set(views.map((v) => v.key)).size).toBe(3);
    expect(countOf(d)).toEqual({error: 2, warning: 1, info: 0});
  });
});
