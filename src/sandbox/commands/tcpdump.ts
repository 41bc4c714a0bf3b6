/**
 * `sudo` and `tcpdump` as they behave in Istio's proxy container (istio/istio docker/Dockerfile.base:
 * ubuntu:noble with sudo, tcpdump and "istio-proxy ALL=NOPASSWD: ALL" in /etc/sudoers). The injected
 * sidecar runs as uid 1337 with `allowPrivilegeEscalation: false` unless Istio was installed with
 * values.global.proxy.privileged=true (manifests/charts/istio-control/istio-discovery/files/
 * injection-template.yaml), and the kubelet then sets no_new_privs, so:
 *   sudo     refuses before it reads its arguments (sudo-project/sudo src/sudo.c sudo_check_suid: two
 *            warnings and exit 1);
 *   tcpdump  as uid 1337 without capabilities cannot open the device (libpcap 1.10 PCAP_ERROR_PERM_DENIED,
 *            tcpdump 4.99's "You don't have permission to perform this capture on that device", exit 1);
 *            without -i it picks the first device, eth0.
 * Not modelled: values.global.proxy.privileged=true (the sandbox's install accepts and ignores it), sudo
 * as root, and capturing packets.
 */
import type { CommandSpec } from './types';

/** tcpdump's device: `-i DEV`, `-iDEV`, `--interface=DEV`, `--interface DEV`; eth0 by default. */
function captureDevice(argv: string[]): string {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '-i' || a === '--interface') && argv[i + 1] !== undefined) return argv[i + 1];
    if (a.startsWith('--interface=')) return a.slice('--interface='.length);
    // a cluster of short options ending in -i takes the next word; -iDEV (or -nniDEV) carries it
    if (/^-[A-Za-z]*i$/.test(a) && argv[i + 1] !== undefined) return argv[i + 1];
    if (/^-[A-Za-z]*i./.test(a) && !a.startsWith('--')) return a.slice(a.indexOf('i') + 1);
  }
  return 'eth0';
}

export function tcpdumpCommand(): CommandSpec {
  return {
    name: 'tcpdump',
    summary: 'dump traffic on a network (needs root in the container)',
    run: async (ctx) => {
      ctx.err(`tcpdump: ${captureDevice(ctx.argv)}: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n`);
      return 1;
    },
  };
}

/** @param noNewPrivs the container forbids privilege escalation (its securityContext.allowPrivilegeEscalation is not true) */
export function sudoCommand(noNewPrivs: boolean): CommandSpec {
  return {
    name: 'sudo',
    summary: 'run a command as root (refused in a sidecar without privilege escalation)',
    run: async (ctx) => {
      if (noNewPrivs) {
        ctx.err('sudo: The "no new privileges" flag is set, which prevents sudo from running as root.\nsudo: If sudo is running in a container, you may need to adjust the container configuration to disable the flag.\n');
        return 1;
      }
      ctx.err('sudo: (песочница: команды от root в контейнере не моделируются)\n');
      return 1;
    },
  };
}
