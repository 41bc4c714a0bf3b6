/** Messages between a lesson page and the validation worker. Plain data (structured clone). */
import type {Diagnostic} from '../../../validation/types';

export interface PageManifest {
  file: string;
  text: string;
}

export interface ValidateRequest {
  type: 'validate';
  id: number;
  /** The block's file under examples/ (never used as its own context). */
  file: string;
  text: string;
  /** The lesson's other manifests, with the learner's edits. */
  page: PageManifest[];
}

export interface SchemasRequest {
  type: 'schemas';
  id: number;
}

export type WorkerRequest = ValidateRequest | SchemasRequest;

export interface ValidationOutcome {
  diagnostics: Diagnostic[];
  /** Rules silenced by the suppress annotation, per document (0-based index). */
  silenced: Array<{index: number; codes: string[]}>;
  /** Time spent in the engine, ms. */
  ms: number;
}

/** A JSON Schema entry for monaco-yaml (`schemas` option). */
export interface MonacoSchema {
  uri: string;
  fileMatch: string[];
  schema: unknown;
}

export type WorkerResponse =
  | ({type: 'result'; id: number} & ValidationOutcome)
  | {type: 'schemas'; id: number; schemas: MonacoSchema[]}
  | {type: 'error'; id: number; message: string};
