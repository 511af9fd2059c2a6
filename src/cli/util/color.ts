// ANSI colours for the obs terminal views; a Paint with enabled=false returns text untouched.
export interface Paint {
  readonly enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (on: boolean, open: number, close: number) => (s: string) => (on ? `\x1b[${open}m${s}\x1b[${close}m` : s);

export function paint(enabled: boolean): Paint {
  return {
    enabled,
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    blue: wrap(enabled, 34, 39),
    magenta: wrap(enabled, 35, 39),
    cyan: wrap(enabled, 36, 39),
    dim: wrap(enabled, 2, 22),
    bold: wrap(enabled, 1, 22),
  };
}

/** Colour only for a terminal, and never when the user said no (flag or the NO_COLOR convention). */
export function wantColor(stream: NodeJS.WriteStream, noColorFlag: boolean | undefined, env = process.env): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Printable width of a string that may hold colour codes. */
export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

/** Cuts a plain string to width with an ellipsis; used before colouring so codes are never split. */
export function fit(s: string, width: number): string {
  if (width <= 1) return s.slice(0, Math.max(0, width));
  return s.length > width ? s.slice(0, width - 1) + '…' : s;
}
