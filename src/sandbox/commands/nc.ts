/**
 * nc HOST PORT: connects over TCP, writes its stdin and prints what the server sends back until the
 * server closes. In a pod it is busybox's applet as the alpine images (curlimages/curl) have it
 * (networking/nc.c: "nc: bad address 'HOST'", "nc: can't connect to remote host (IP): Connection
 * refused"); on the node, Ubuntu's netcat-openbsd (netcat.c: `nc: getaddrinfo for host "HOST" port
 * PORT: Name or service not known`, "nc: connect to HOST port PORT (tcp) failed: Connection refused").
 */
import { isNetError } from '../network/http';
import type { CommandContext, CommandSpec } from './types';

export const nc: CommandSpec = {
  name: 'nc',
  summary: 'open a TCP connection: nc HOST PORT (stdin is sent, the answer printed)',
  async run(ctx: CommandContext) {
    const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
    const [host, portText] = args;
    const busybox = ctx.origin.kind === 'pod';
    if (!host || !portText) {
      ctx.err(busybox ? 'BusyBox v1.37.0 (2025-01-17 18:12:01 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n' : 'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n');
      return 1;
    }
    const port = Number(portText);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      ctx.err(`nc: bad port '${portText}'\n`);
      return 1;
    }
    const start = ctx.cluster.clock.now();
    const r = ctx.cluster.network.request(ctx.origin, `http://${host}:${port}/`, { method: '-', body: ctx.stdin, raw: true }, start);
    await ctx.cluster.clock.sleep(Math.max(0, r.durationMs), ctx.token);
    ctx.cluster.sync();
    if (isNetError(r)) {
      if (r.error === 'ENOTFOUND') {
        ctx.err(busybox ? `nc: bad address '${host}'\n` : `nc: getaddrinfo for host "${host}" port ${port}: Name or service not known\n`);
        return 1;
      }
      if (r.error === 'ECONNREFUSED') {
        ctx.err(busybox ? `nc: can't connect to remote host (${host}): Connection refused\n` : `nc: connect to ${host} port ${port} (tcp) failed: Connection refused\n`);
        return 1;
      }
      // the server (or a proxy in between) closed the connection: nc ends quietly
      return 0;
    }
    ctx.out(r.body);
    return 0;
  },
};
