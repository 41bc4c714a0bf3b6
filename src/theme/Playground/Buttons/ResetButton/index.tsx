/**
 * The reset button of a live code block, in Russian: the theme's own one has an English
 * aria-label and title that the site's translations cannot reach.
 */
import React from 'react';
import clsx from 'clsx';
import {translate} from '@docusaurus/Translate';
import {usePlayground} from '@docusaurus/theme-live-codeblock/client';
import styles from './styles.module.css';

export default function ResetButton({className}: {className?: string}): React.JSX.Element {
  const {reset} = usePlayground();
  return (
    <button
      type="button"
      className={clsx('button button--sm', styles.reset, className)}
      title={translate({id: 'theme.Playground.buttons.resetTitle', message: 'Вернуть исходный код примера'})}
      onClick={() => reset()}>
      <span aria-hidden="true">↺ </span>
      {translate({id: 'theme.Playground.buttons.reset', message: 'Сбросить'})}
    </button>
  );
}
