import React, {useId, useState} from 'react';
import clsx from 'clsx';
import styles from './styles.module.css';

export interface QuizOption {
  text: string;
  correct?: boolean;
  explanation: string;
}

export interface QuizProps {
  question: string;
  options: QuizOption[];
}

export default function Quiz({question, options}: QuizProps): React.JSX.Element {
  const [chosen, setChosen] = useState<number | null>(null);
  const id = useId();
  const answer = chosen === null ? null : options[chosen];
  return (
    <section className={styles.quiz} aria-labelledby={`${id}-q`}>
      <p className={styles.label}>Проверьте себя</p>
      <p id={`${id}-q`} className={styles.question}>
        {question}
      </p>
      <div role="radiogroup" aria-labelledby={`${id}-q`} className={styles.options}>
        {options.map((option, index) => (
          <button
            key={option.text}
            type="button"
            role="radio"
            aria-checked={chosen === index}
            className={clsx(
              styles.option,
              chosen === index && (option.correct ? styles.right : styles.wrong),
            )}
            onClick={() => setChosen(index)}>
            {option.text}
          </button>
        ))}
      </div>
      <div aria-live="polite" className={styles.feedback}>
        {answer && (
          <p className={answer.correct ? styles.rightText : styles.wrongText}>
            <strong>{answer.correct ? 'Верно. ' : 'Не совсем. '}</strong>
            {answer.explanation}
          </p>
        )}
      </div>
    </section>
  );
}
