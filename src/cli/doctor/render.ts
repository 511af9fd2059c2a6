// The doctor's printed verdict: sections of ✓ / ! / ✗ lines, each problem followed by its fix.
import type { Paint } from '../util/color.js';
import { SECTION_TITLES, problems, type Finding, type Level, type Section } from './finding.js';

const ORDER: readonly Section[] = ['runtime', 'preload', 'config', 'instrumentations', 'proof', 'api', 'exporters', 'ports'];

function mark(level: Level, p: Paint): string {
  switch (level) {
    case 'ok': return p.green('✓');
    case 'warn': return p.yellow('!');
    case 'fail': return p.red('✗');
    default: return p.dim('·');
  }
}

/** Greedy word wrap; continuation lines get `indent`. Long unbreakable words (URLs) stay whole. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = indent + word;
      } else {
        line = line === '' ? (lines.length > 0 ? indent : '') + word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines;
}

export function renderFindings(findings: readonly Finding[], p: Paint, width: number, title: string): string {
  const out: string[] = [p.bold(title), ''];
  for (const section of ORDER) {
    const items = findings.filter((f) => f.section === section);
    if (items.length === 0) continue;
    out.push(p.bold(SECTION_TITLES[section]));
    for (const f of items) {
      const [first = '', ...rest] = wrap(f.text, width - 4, '    ');
      out.push(`  ${mark(f.level, p)} ${f.level === 'info' ? p.dim(first) : first}`);
      for (const line of rest) out.push(f.level === 'info' ? p.dim(line) : line);
      if (f.fix && f.level !== 'ok') {
        for (const line of wrap(`→ fix: ${f.fix}`, width - 4, '      ')) out.push(`    ${p.cyan(line)}`);
      }
    }
    out.push('');
  }
  const bad = problems(findings);
  const warnings = findings.filter((f) => f.level === 'warn').length;
  if (bad.length === 0) {
    out.push(p.green(`✓ No blocking problem found${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}.`));
  } else {
    out.push(p.red(`✗ ${bad.length} problem${bad.length > 1 ? 's' : ''} will stop telemetry from working. Fix:`));
    for (const fix of new Set(bad.map((f) => f.fix ?? f.text.split('\n')[0]))) {
      for (const line of wrap(`- ${fix}`, width - 2, '    ')) out.push(`  ${line}`);
    }
  }
  return out.join('\n') + '\n';
}
