/**
 * The validation worker: the engine, the schemas and the vetted examples (background context)
 * off the page's main thread. Answers WorkerRequest messages with WorkerResponse messages.
 */
import examples from '@manifest-editor/examples';
import {createValidationService} from './service';
import type {WorkerRequest, WorkerResponse} from './protocol';

interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
}

const scope = self as unknown as WorkerScope;
const service = createValidationService(examples);

scope.onmessage = (event) => {
  const request = event.data;
  try {
    if (request.type === 'validate') {
      scope.postMessage({type: 'result', id: request.id, ...service.validate(request)});
    } else if (request.type === 'schemas') {
      scope.postMessage({type: 'schemas', id: request.id, schemas: service.schemas()});
    }
  } catch (error) {
    scope.postMessage({type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error)});
  }
};
