// A small, nearly full ext4 filesystem (a loop mount, root only) so host_metrics sees a disk under 10% free
// (DiskSpaceLow) without filling the machine's real disk. Undefined when this machine cannot loop-mount.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FullDisk {
  mountpoint: string;
  freeRatio: number;
  remove(): void;
}

const ok = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

export function makeFullDisk(): FullDisk | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-stack-disk-'));
  const image = path.join(dir, 'disk.img');
  const mountpoint = path.join(dir, 'mnt');
  mkdirSync(mountpoint);
  const cleanup = (): void => {
    spawnSync('umount', [mountpoint], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  if (!ok('truncate', ['-s', '16M', image]) || !ok('mkfs.ext4', ['-q', '-F', '-m', '0', image]) || !ok('mount', ['-o', 'loop', image, mountpoint])) {
    cleanup();
    return undefined;
  }
  const st = statfsSync(mountpoint);
  // Leave about 4% free: under DiskSpaceLow's 10%, above zero so the filesystem stays usable.
  const fill = Math.floor(st.bavail * st.bsize - 0.04 * st.blocks * st.bsize);
  spawnSync('fallocate', ['-l', String(fill), path.join(mountpoint, 'filler')], { stdio: 'ignore' });
  const after = statfsSync(mountpoint);
  return { mountpoint, freeRatio: after.bavail / after.blocks, remove: cleanup };
}
