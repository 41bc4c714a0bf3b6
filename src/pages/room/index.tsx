import React from 'react';
import Layout from '@theme/Layout';
import BrowserOnly from '@docusaurus/BrowserOnly';
import RoomPage from '@site/src/components/Workshop/Participant/RoomPage';

/** /room/?code=CODE: a workshop room, for its participants (see src/workshop/protocol.ts). */
export default function Room(): React.JSX.Element {
  return (
    <Layout title="Комната мастерской" description="Вход в комнату мастерской по коду: своя песочница на сервере, шаги ведущего и объявления." noFooter>
      <BrowserOnly fallback={<main style={{ padding: '2rem' }}>Загружаем комнату…</main>}>{() => <RoomPage />}</BrowserOnly>
    </Layout>
  );
}
