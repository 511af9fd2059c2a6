// Which Node versions the preload runs on. CommonJS on purpose: the --require entry must check the
// version before it loads any of our ES modules (an older Node cannot require() them).
const MIN_NODE = [22, 15] as const;

export function supportedNode(version: string = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

export function unsupportedNodeLine(): string {
  return `Node ${process.version} is not supported (@org/obs 0.2 needs ${MIN_NODE.join('.')} or newer, as OpenTelemetry JS 3.x does); the app runs uninstrumented`;
}
