/**
 * Wraps the doc content (swizzled with --wrap): the page-level registry of manifest blocks, so
 * each <Manifest> is validated with the lesson's other manifests, and the "all manifests of
 * the lesson" download after the content; above it, the workshop room's bar (when
 * the page was opened from a room) and presenter mode (its toggle, or its bar).
 */
import React, { Suspense, lazy, useEffect, useState } from 'react';
import Content from '@theme-original/DocItem/Content';
import type ContentType from '@theme/DocItem/Content';
import type {WrapperProps} from '@docusaurus/types';
import {LessonManifestsProvider} from '@site/src/components/ManifestEditor/LessonContext';
import LessonManifestsBar from '@site/src/components/ManifestEditor/LessonManifestsBar';
import PresenterMode from '@site/src/components/Workshop/Presenter';
import {loadSeat} from '@site/src/workshop/pageState';

type Props = WrapperProps<typeof ContentType>;

/** The room's bar and the workshop client behind it load only on a page opened from a room (a seat in this tab). */
const RoomBar = lazy(() => import(/* webpackChunkName: "room-bar" */ '@site/src/components/Workshop/Participant/RoomBar'));

function RoomBarIfSeated(): React.JSX.Element | null {
  const [seated, setSeated] = useState(false);
  useEffect(() => setSeated(loadSeat() !== undefined), []);
  return seated ? (
    <Suspense fallback={null}>
      <RoomBar />
    </Suspense>
  ) : null;
}

export default function ContentWrapper(props: Props): React.JSX.Element {
  return (
    <LessonManifestsProvider>
      <RoomBarIfSeated />
      <PresenterMode />
      <Content {...props} />
      <LessonManifestsBar />
    </LessonManifestsProvider>
  );
}
