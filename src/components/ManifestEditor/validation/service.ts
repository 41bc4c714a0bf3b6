/**
 * Validation of one block, as the worker runs it (and the page itself when workers are
 * unavailable): the engine's validateText with the lesson's context. Parsed context objects
 * are cached by text, so a keystroke re-parses only the block being edited.
 */
import {getMonacoSchemas, parseManifests, validateText, type KubeObjectLike} from '../../../validation';
import {silencedOn} from '../rules';
import {contextTexts} from './context';
import type {MonacoSchema, ValidateRequest, ValidationOutcome} from './protocol';

/** Context files larger than this are not parsed for context (the engine rejects them anyway). */
const MAX_CONTEXT_TEXT = 1024 * 1024;
const CACHE_SIZE = 256;

export interface ValidationService {
  validate(request: Pick<ValidateRequest, 'file' | 'text' | 'page'>): ValidationOutcome;
  schemas(): MonacoSchema[];
}

/** Files are matched by monaco-yaml against the model URI: every block model ends in .yaml. */
export const SCHEMA_FILE_MATCH = ['**/*.yaml'];

export function createValidationService(background: Readonly<Record<string, string>>): ValidationService {
  const cache = new Map<string, KubeObjectLike[]>();
  const parsed = (text: string): KubeObjectLike[] => {
    const hit = cache.get(text);
    if (hit) {
      cache.delete(text);
      cache.set(text, hit);
      return hit;
    }
    const objects = text.length > MAX_CONTEXT_TEXT ? [] : parseManifests(text);
    cache.set(text, objects);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return objects;
  };
  return {
    validate({file, text, page}) {
      const started = performance.now();
      const context = contextTexts({file, page, background}).flatMap((m) => parsed(m.text));
      const result = validateText(text, {context});
      const silenced = result.documents
        .map((doc) => ({index: doc.index, codes: silencedOn(doc.object)}))
        .filter((doc) => doc.codes.length > 0);
      return {diagnostics: result.diagnostics, silenced, ms: performance.now() - started};
    },
    schemas() {
      // Hover shows a schema's title above each field's description; the combined schema's
      // title ("Kubernetes and Istio resources") would head every hover, so it is dropped.
      return getMonacoSchemas(SCHEMA_FILE_MATCH).map(({uri, fileMatch, schema}) => {
        const {title: _title, ...rest} = schema as {title?: string};
        return {uri, fileMatch, schema: rest};
      });
    },
  };
}
