// Removes dist/ before every build: a moved or deleted source file must not survive there, in the
// tarball, or as a test that keeps running after its source is gone.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
