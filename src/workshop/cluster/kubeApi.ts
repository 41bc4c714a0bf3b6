/**
 * A small Kubernetes API client for provisioning: JSON over HTTPS with the credentials of a
 * kubeconfig. @kubernetes/client-node's KubeConfig reads the file and applies its auth (token,
 * client certificate, exec plugins such as gke-gcloud-auth-plugin or `aws eks get-token`, CA or
 * insecure-skip-tls-verify); the requests themselves are plain node:https, bounded in time.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';

export interface KubeAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A request the API did not answer in time, or a connection that failed. */
export class KubeApiError extends Error {}

const TIMEOUT_MS = 15_000;
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export class KubeApi {
  private constructor(
    readonly kubeconfig: KubeConfig,
    readonly server: string,
  ) {}

  static fromFile(path: string): KubeApi {
    const kc = new KubeConfig();
    kc.loadFromFile(path);
    return KubeApi.fromConfig(kc);
  }

  static fromConfig(kc: KubeConfig): KubeApi {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeApiError('kubeconfig: no current context with a cluster');
    return new KubeApi(kc, cluster.server.replace(/\/+$/, ''));
  }

  /** The cluster entry the participants' kubeconfigs copy: server and how to trust it. */
  clusterEntry(): { server: string; caData?: string; insecure: boolean } {
    const c = this.kubeconfig.getCurrentCluster();
    const caData = c?.caData ?? (c?.caFile ? readFileSync(c.caFile).toString('base64') : undefined);
    return { server: this.server, caData, insecure: Boolean(c?.skipTLSVerify) };
  }

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeAnswer> {
    const url = new URL(this.server + path);
    const opts: RequestOptions = {
      method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || 443,
      path: url.pathname + url.search,
      headers: { Accept: 'application/json', 'User-Agent': 'istio-practicum-workshop', ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
      timeout: TIMEOUT_MS,
    };
    await this.kubeconfig.applyToHTTPSOptions(opts);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise<KubeAnswer>((resolve, reject) => {
      const req = request(opts, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new KubeApiError(`${method} ${path}: answer over ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            parsed = { message: text.slice(0, 500) };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new KubeApiError(`${method} ${path}: no answer in ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (e) => reject(e instanceof KubeApiError ? e : new KubeApiError(`${method} ${path}: ${e.message}`)));
      req.end(payload);
    });
  }

  /** A request that must succeed (2xx, or one of `accept`): otherwise an error with the API's message. */
  async must(method: string, path: string, body?: unknown, accept: number[] = []): Promise<KubeAnswer> {
    const r = await this.request(method, path, body);
    if ((r.status >= 200 && r.status < 300) || accept.includes(r.status)) return r;
    throw new KubeApiError(`${method} ${path}: ${r.status} ${typeof r.body.message === 'string' ? r.body.message : ''}`.trim());
  }
}
