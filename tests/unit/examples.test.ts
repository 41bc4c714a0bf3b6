import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {lessons} from '../../src/course';
import {examplesDir, lessonSource, listFiles, manifestFiles} from '../support/docs';

const CLUSTER_SCOPED_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

const yamlFiles = listFiles(examplesDir).filter((file) => /\.ya?ml$/.test(file));

describe('examples/', () => {
  it('has manifests for every scenario', () => {
    for (const scenario of ['ingress-service-a', 'service-a-service-b', 'traffic-split', 'egress']) {
      expect(yamlFiles.some((file) => file.startsWith(`${scenario}/`)), scenario).toBe(true);
    }
  });

  it.each(yamlFiles)('%s parses into complete Kubernetes objects', (file) => {
    const documents = parseAllDocuments(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      expect(document.errors.map((error) => error.message)).toEqual([]);
      const object = document.toJS() as {
        apiVersion?: unknown;
        kind?: unknown;
        metadata?: {name?: unknown; namespace?: unknown};
      };
      expect(typeof object.apiVersion).toBe('string');
      expect(typeof object.kind).toBe('string');
      expect(typeof object.metadata?.name).toBe('string');
      if (!CLUSTER_SCOPED_KINDS.has(object.kind as string)) {
        expect(typeof object.metadata?.namespace, `${object.kind} ${object.metadata?.name} needs a namespace`).toBe(
          'string',
        );
      }
    }
  });
});

describe('lessons and examples', () => {
  const sources = lessons.map((lesson) => lessonSource(lesson.id));
  const shown = new Set(sources.flatMap(manifestFiles));
  // Paths a lesson's commands use, such as `kubectl apply -f examples/egress/` or `-f examples/egress/client.yaml`.
  const mentioned = sources.flatMap((source) => [...source.matchAll(/examples\/([\w./-]+)/g)].map((match) => match[1]));
  const isUsed = (file: string) =>
    shown.has(file) || mentioned.some((path) => path === file || (path.endsWith('/') && file.startsWith(path)));

  it.each(lessons.map((lesson) => lesson.id))('every manifest lesson %s shows exists in examples/', (id) => {
    for (const file of manifestFiles(lessonSource(id))) {
      expect(fs.existsSync(path.join(examplesDir, file)), `examples/${file}`).toBe(true);
    }
  });

  it('every manifest in examples/ is shown or applied by some lesson', () => {
    expect(yamlFiles.filter((file) => !isUsed(file))).toEqual([]);
  });

  it('no lesson pastes a whole manifest instead of importing it', () => {
    for (const lesson of lessons) {
      const fences = lessonSource(lesson.id).match(/^```ya?ml[^\n]*\n[\s\S]*?^```/gm) ?? [];
      const whole = fences.filter((fence) => /^apiVersion:/m.test(fence) && /^kind:/m.test(fence));
      expect(whole, lesson.id).toEqual([]);
    }
  });
});
