/**
 * «Все манифесты урока»: every lesson with two or more manifest blocks offers them as one file
 * "for kubectl apply -f". Build it as the page does (joinManifests over the lesson's <Manifest>
 * files in page order) and apply it to a fresh sandbox in one command.
 */
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {lessons} from '../../src/course';
import {joinManifests} from '../../src/components/ManifestEditor/joinManifests';
import {Sandbox} from '../../src/sandbox';
import {EXAMPLES_DIR, readExamples} from '../../src/sandbox/testing';
import {lessonSource, manifestFiles} from '../support/docs';

interface ObjectRef {
  kind: string;
  name: string;
  namespace: string | undefined;
}

/** Objects in a bundle as kubectl names them in `kubectl get` (kind/name -n namespace). */
function objects(bundle: string): ObjectRef[] {
  return bundle
    .split(/^---.*$/m)
    .map((doc) => ({
      kind: /^kind:\s*(\S+)/m.exec(doc)?.[1],
      name: /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*(\S+)/m.exec(doc)?.[1],
      namespace: /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+namespace:\s*(\S+)/m.exec(doc)?.[1],
    }))
    .filter((o): o is ObjectRef => !!o.kind && !!o.name);
}

const withBundles = lessons
  .map((lesson) => ({id: lesson.id, files: manifestFiles(lessonSource(lesson.id))}))
  .filter((l) => l.files.length >= 2);

describe('lesson bundles apply in one kubectl apply -f on a fresh cluster', () => {
  it('covers the lessons with manifests', () => {
    expect(withBundles.map((l) => l.id)).toEqual(expect.arrayContaining(['gateway', 'virtual-service', 'destination-rule', 'service-entry']));
  });

  it.each(withBundles.map((l) => [l.id, l.files] as const))('%s', async (_id, files) => {
    const bundle = joinManifests(files.map((file) => ({file, text: readFileSync(join(EXAMPLES_DIR, file), 'utf8')})));
    const sb = new Sandbox({examples: {...readExamples(), 'bundle.yaml': bundle}});
    const r = await sb.exec('kubectl apply -f ~/examples/bundle.yaml');
    const out = r.stdout + r.stderr;
    expect(out).not.toMatch(/error/i);
    expect(r.code, out).toBe(0);
    for (const o of objects(bundle)) {
      const ns = o.namespace ? ` -n ${o.namespace}` : '';
      const got = await sb.exec(`kubectl get ${o.kind.toLowerCase()} ${o.name}${ns} -o name`);
      expect(got.code, `${o.kind}/${o.name}${ns}: ${got.stderr}`).toBe(0);
    }
  });
});
