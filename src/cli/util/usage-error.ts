// An error caused by how the command was called: printed as one line plus a --help hint, exit code 2.
export class UsageError extends Error {
  override name = 'UsageError';
}
