import React from 'react';
import Layout from '@theme/Layout';
import BrowserOnly from '@docusaurus/BrowserOnly';
import InstructorPage from '@site/src/components/Workshop/Instructor/InstructorPage';

/** /room/instructor/?code=CODE: the instructor's view of a workshop room (src/workshop/protocol.ts). */
export default function Instructor(): React.JSX.Element {
  return (
    <Layout title="Ведущий мастерской" description="Комната мастерской для ведущего: участники, их шаги, терминал участника, объявления." noFooter>
      <BrowserOnly fallback={<main style={{ padding: '2rem' }}>Загружаем…</main>}>{() => <InstructorPage />}</BrowserOnly>
    </Layout>
  );
}
