/**
 * pilot-agent, inside the istio-proxy container: `pilot-agent request GET stats` (Envoy's
 * admin /stats) and `pilot-agent request GET clusters|config_dump` in a reduced form.
 */
import { ISTIO_VERSION } from '../../istio/version';
import type { CommandSpec } from './types';

export const pilotAgent: CommandSpec = {
  name: 'pilot-agent',
  summary: "Istio's agent in the istio-proxy container: pilot-agent request GET stats",
  async run(ctx) {
    if (ctx.origin.kind !== 'pod' || ctx.origin.container !== 'istio-proxy') {
      ctx.err('bash: pilot-agent: command not found\n');
      return 127;
    }
    const [sub, method, path] = ctx.argv.slice(1);
    if (sub !== 'request' || !method || !path) {
      ctx.err('Error: pilot-agent request <method> <path>\n');
      return 1;
    }
    const envoy = ctx.cluster.network.envoyFor(ctx.origin.pod);
    if (!envoy) {
      ctx.err('Error: envoy is not running\n');
      return 1;
    }
    const p = path.replace(/^\//, '');
    if (p === 'stats' || p.startsWith('stats?')) {
      ctx.out(envoy.statsText(ctx.cluster.clock.now()));
      return 0;
    }
    if (p === 'server_info') {
      ctx.out(JSON.stringify({ version: `${ISTIO_VERSION}/Clean/RELEASE/BoringSSL`, state: 'LIVE', command_line_options: { service_node: envoy.config.id } }, null, 2) + '\n');
      return 0;
    }
    ctx.err(`Error: the sandbox's Envoy admin serves /stats and /server_info; use istioctl proxy-config for listeners, routes, clusters and endpoints\n`);
    return 1;
  },
};
