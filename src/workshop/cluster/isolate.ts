/**
 * Keeps a participant's shell away from the server's files: the shell starts in new user, mount
 * and PID namespaces (util-linux `unshare --user --map-root-user --mount --pid --fork --mount-proc`)
 * where the hidden paths — the server's --data dir (token secret, every participant's kubeconfig),
 * the server user's HOME (cloud credentials, the admin kubeconfig) and the admin kubeconfig file —
 * are covered by an empty tmpfs (a file by /dev/null), and only the participant's own directory
 * (read-write) and the kubectl/istioctl directories (read-only) are mounted back at their paths.
 * The server's processes (and their environment in /proc) are out of sight.
 *
 * Needs unprivileged user namespaces (or root). `isolationAvailable()` probes once; without it the
 * shell runs unconfined and the server says so at start.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Isolation {
  /** Directories (tmpfs) and files (/dev/null) to hide. */
  hide: string[];
  /** The participant's directory, mounted back read-write. */
  own: string;
  /** Directories mounted back read-only (kubectl's, istioctl's). */
  readOnly: string[];
}

const UNSHARE_ARGS = ['--user', '--map-root-user', '--mount', '--pid', '--fork', '--mount-proc'];

/**
 * The shell script run inside the namespaces: $1 scratch dir, $2 own dir, $3 shell; then
 * "ro:<dir>" keeps and "hide:<path>" entries. Fails (exit 97, before any prompt) rather than
 * starting a shell that sees what it should not.
 */
const SCRIPT = `set -u
scratch=$1; own=$2; shell=$3; shift 3
fail() { echo "workshop: the terminal could not be isolated: $1" >&2; exit 97; }
mount -t tmpfs tmpfs "$scratch" || fail "tmpfs"
i=0
mkdir "$scratch/own" && mount --bind "$own" "$scratch/own" || fail "own"
for a in "$@"; do case $a in ro:*) i=$((i+1)); mkdir "$scratch/k$i" && mount --bind "\${a#ro:}" "$scratch/k$i" || fail "keep"; esac; done
for a in "$@"; do case $a in hide:*) p=\${a#hide:}; if [ -d "$p" ]; then mount -t tmpfs -o mode=0755 tmpfs "$p" || fail "hide"; elif [ -e "$p" ]; then mount --bind /dev/null "$p" || fail "hide"; fi; esac; done
mkdir -p "$own" && mount --bind "$scratch/own" "$own" || fail "own back"
i=0
for a in "$@"; do case $a in ro:*) i=$((i+1)); d=\${a#ro:}; mkdir -p "$d" && mount --bind "$scratch/k$i" "$d" && mount -o remount,bind,ro "$d" || fail "keep back"; esac; done
umount -l "$scratch"
cd "$own/home" || fail "home"
exec "$shell" --noprofile --norc -i`;

/** The command and arguments that start `shell` isolated. */
export function isolatedCommand(shell: string, iso: Isolation, scratch: string): { file: string; args: string[] } {
  return {
    file: 'unshare',
    args: [...UNSHARE_ARGS, '--', 'sh', '-c', SCRIPT, 'sh', scratch, iso.own, shell, ...iso.readOnly.map((d) => `ro:${d}`), ...iso.hide.map((p) => `hide:${p}`)],
  };
}

let probed: boolean | undefined;

/** Whether this machine lets the server start isolated shells (probed once, bounded in time). */
export function isolationAvailable(): boolean {
  if (probed !== undefined) return probed;
  const dir = mkdtempSync(join(tmpdir(), 'workshop-probe-'));
  try {
    const own = join(dir, 'own');
    spawnSync('mkdir', ['-p', join(own, 'home'), join(dir, 'hidden'), join(dir, 'scratch')]);
    const cmd = isolatedCommand('true', { hide: [join(dir, 'hidden')], own, readOnly: [] }, join(dir, 'scratch'));
    // `true --noprofile …` exits 0 once everything was mounted
    const r = spawnSync(cmd.file, cmd.args, { timeout: 5000, stdio: 'ignore' });
    probed = r.status === 0;
  } catch {
    probed = false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return probed;
}
