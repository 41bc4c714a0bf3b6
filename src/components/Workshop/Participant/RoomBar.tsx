/**
 * On a lesson page opened from a room: a bar with the room, its time left, the connection to the
 * workshop server (the lesson's terminal runs there), the presenter's step and the newest
 * broadcast. It also reports the learner's progress (lesson, step checked, passed checks) to the
 * room, and follows the presenter by itself when the learner asked for that.
 */
import React, { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useDoc } from '@docusaurus/plugin-content-docs/client';
import Link from '@docusaurus/Link';
import { useTerminalStore } from '@site/src/components/Terminal/launcher';
import { terminalStore } from '@site/src/terminal/store';
import { clearLessonState, loadLessonState } from '@site/src/terminal/persistence';
import { roomLink, type RoomLink } from '@site/src/workshop/roomLink';
import type { FollowTarget } from '@site/src/workshop/protocol';
import { loadAutoFollow, saveAutoFollow } from '@site/src/workshop/pageState';
import { BroadcastList, ClusterNote, ConnectionStatus, FollowBanner, LinkError, TimeLeft, useGoToFollow } from './parts';
import { useStickyHeight } from '../useStickyHeight';
import styles from './styles.module.css';

export default function RoomBar(): React.JSX.Element | null {
  const [link, setLink] = useState<RoomLink>();
  useEffect(() => setLink(roomLink()), []);
  return link ? <RoomBarView link={link} /> : null;
}

function RoomBarView({ link }: { link: RoomLink }): React.JSX.Element {
  const snap = useSyncExternalStore(link.subscribe, link.getSnapshot, link.getSnapshot);
  const { metadata } = useDoc();
  const [auto, setAuto] = useState(loadAutoFollow);
  useProgressReports(link, metadata.id);
  useInstructorResets(snap.resets, link.clusterRoom);
  useAutoFollow(auto ? snap.room?.follow : undefined);
  const bar = useRef<HTMLElement>(null);
  useStickyHeight(bar, '--room-bar-height');
  const room = snap.room;
  return (
    <aside ref={bar} className={styles.bar} aria-label="Комната мастерской" data-testid="room-bar">
      <div className={styles.barRow}>
        <span>
          Комната{' '}
          <Link to={`/room/?code=${encodeURIComponent(link.seat.code)}`}>
            <strong>{room?.title ?? link.seat.code}</strong>
          </Link>
          {room && (
            <>
              {' · '}
              <TimeLeft endsAt={room.endsAt} />
            </>
          )}
        </span>
        <ConnectionStatus state={snap.state} />
      </div>
      <LinkError link={link} snap={snap} />
      {link.clusterRoom && <ClusterNote seat={snap.cluster} lessons={[metadata.id]} />}
      {room?.follow && <FollowBanner follow={room.follow} />}
      <label className={styles.autoFollow}>
        <input
          type="checkbox"
          checked={auto}
          onChange={(e) => {
            setAuto(e.target.checked);
            saveAutoFollow(e.target.checked);
          }}
        />{' '}
        Переходить за ведущим автоматически
      </label>
      <BroadcastList items={snap.broadcasts} limit={1} />
    </aside>
  );
}

/** Tells the room where the learner is and which of the lesson's checks passed (on arrival and after every check). */
function useProgressReports(link: RoomLink, lesson: string): void {
  const { scenario, progress } = useTerminalStore();
  useEffect(() => {
    const passed = (): string[] => (scenario ? loadLessonState(scenario).passed : []);
    link.progress(lesson, undefined, passed());
    return terminalStore.onCheck((step) => link.progress(lesson, step, passed()));
  }, [link, lesson, scenario, progress]);
}

/** The instructor reset this learner's sandbox: the open terminal starts the lesson afresh (a cluster room's namespace is reset on the server). */
function useInstructorResets(resets: number, cluster: boolean): void {
  const seen = useRef(resets);
  useEffect(() => {
    if (resets === seen.current) return;
    seen.current = resets;
    if (cluster) return;
    const { scenario, dock } = terminalStore.getSnapshot();
    if (dock !== 'closed') {
      void terminalStore
        .ready()
        .then((c) => c.reset())
        .finally(() => terminalStore.bumpProgress());
    } else if (scenario) {
      clearLessonState(scenario);
      terminalStore.bumpProgress();
    }
  }, [resets]);
}

/** With «Переходить за ведущим автоматически» on, a new presenter step moves this page there. */
function useAutoFollow(follow: FollowTarget | undefined): void {
  const go = useGoToFollow();
  const key = follow ? `${follow.lesson}#${follow.anchor ?? ''}` : '';
  const last = useRef(key);
  useEffect(() => {
    if (!follow || key === last.current) return;
    last.current = key;
    go(follow);
    // go changes with the location; the target alone decides
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
