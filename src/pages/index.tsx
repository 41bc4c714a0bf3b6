import React from 'react';
import Link from '@docusaurus/Link';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import Layout from '@theme/Layout';
import Heading from '@theme/Heading';
import {course, lessons} from '@site/src/course';
import styles from './index.module.css';

function docPath(id: string): string {
  return `/docs/${id}`;
}

export default function Home(): React.JSX.Element {
  const {siteConfig} = useDocusaurusContext();
  let number = 0;
  return (
    <Layout title="Курс по service mesh и Istio" description={siteConfig.tagline}>
      <header className={styles.hero}>
        <div className="container">
          <Heading as="h1" className={styles.title}>
            {siteConfig.title}
          </Heading>
          <p className={styles.tagline}>{siteConfig.tagline}</p>
          <p className={styles.lead}>
            Двенадцать уроков — от идеи service mesh до egress-шлюза. Каждый манифест курса проверен и лежит в
            репозитории целиком: его можно скопировать и применить в настоящем кластере.
          </p>
          <Link className="button button--primary button--lg" to={docPath(lessons[0].id)}>
            Начать с первого урока
          </Link>
        </div>
      </header>
      <main className="container margin-vert--lg">
        {course.map((section) => (
          <section key={section.label} className={styles.section}>
            <Heading as="h2">{section.label}</Heading>
            <ol className={styles.lessons} start={number + 1}>
              {section.lessons.map((lesson) => {
                number += 1;
                return (
                  <li key={lesson.id} className={styles.lesson}>
                    <Link to={docPath(lesson.id)} className={styles.lessonLink}>
                      <span className={styles.number}>{number}</span>
                      <span>
                        <strong>{lesson.label}</strong>
                        <span className={styles.summary}>{lesson.summary}</span>
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ol>
          </section>
        ))}
      </main>
    </Layout>
  );
}
