// container.id from /proc: a few synchronous reads, instead of a detector package, so start-up loads nothing more.
import { readFileSync } from 'node:fs';

const ID = /([0-9a-f]{64})/;

function firstId(path: string, lineFilter?: (line: string) => boolean): string | undefined {
  try {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (lineFilter && !lineFilter(line)) continue;
      const m = ID.exec(line);
      if (m) return m[1];
    }
  } catch {
    // not Linux, or /proc unreadable: no container id
  }
  return undefined;
}

export function containerId(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  // cgroup v1 names the container in the cgroup path; cgroup v2 only in the mount of /etc/hostname and friends.
  return firstId('/proc/self/cgroup') ?? firstId('/proc/self/mountinfo', (l) => l.includes('/containers/') || l.includes('/docker/'));
}
