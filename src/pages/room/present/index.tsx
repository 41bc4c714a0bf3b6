import React from 'react';
import Layout from '@theme/Layout';
import BrowserOnly from '@docusaurus/BrowserOnly';
import PresentPage from '@site/src/components/Workshop/Presenter/PresentPage';

/** /room/present/?code=CODE: the presenter's start page for a workshop room. */
export default function Present(): React.JSX.Element {
  return (
    <Layout title="Режим ведущего" description="Режим ведущего для комнаты мастерской: QR-код для входа и уроки с переходом участников за ведущим." noFooter>
      <BrowserOnly fallback={<main style={{ padding: '2rem' }}>Загружаем…</main>}>{() => <PresentPage />}</BrowserOnly>
    </Layout>
  );
}
